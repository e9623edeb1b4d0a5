/**
 * File uploads with progress. `fetch` cannot report how much of a request body has been sent, so
 * batches of files go through XMLHttpRequest; the URL still comes from the typed client
 * (`$url()`), so a renamed route breaks the build here too.
 */
import { ApiError, isErrorBody } from './client.ts';

/** How far a request body has gone: bytes sent out of the total. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * POST `files` as one multipart request, one `file` part per file, reporting progress as the body
 * is sent. Resolves with the JSON body of a 2xx answer; rejects with an {@link ApiError} carrying
 * the whole body otherwise, or a `TypeError` when the server cannot be reached.
 */
export function uploadFiles(
  url: URL | string,
  files: readonly File[],
  onProgress: (progress: UploadProgress) => void,
): Promise<unknown> {
  const body = new FormData();
  for (const file of files) body.append('file', file, file.name);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', String(url));
    request.withCredentials = true;
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    });
    request.addEventListener('load', () => {
      const parsed = parseBody(request.responseText);
      if (request.status >= 200 && request.status < 300) {
        resolve(parsed);
        return;
      }
      reject(
        isErrorBody(parsed)
          ? new ApiError(request.status, parsed.error.code, parsed.error.message, parsed)
          : new ApiError(
              request.status,
              'http_error',
              typeof parsed === 'string' && parsed !== '' ? parsed : request.statusText,
            ),
      );
    });
    request.addEventListener('error', () => reject(new TypeError('uploadFiles: network error')));
    request.addEventListener('abort', () => reject(new TypeError('uploadFiles: aborted')));
    request.send(body);
  });
}
