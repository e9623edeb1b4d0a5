/**
 * Download a file with fetch, reading the body as a stream to report progress (from
 * Content-Length when the server gives it, else bytes only), then hand it to the browser.
 */
import { ApiError, isErrorBody } from '../../api/client.ts';

export interface DownloadProgress {
  readonly received: number;
  /** Total bytes, when the server announced them. */
  readonly total: number | null;
}

/** The file name of a Content-Disposition header, preferring its UTF-8 form. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (utf8?.[1]) {
    try {
      return decodeURIComponent(utf8[1]);
    } catch {
      // A malformed name: fall back to the ASCII one.
    }
  }
  return /filename="([^"]+)"/i.exec(disposition)?.[1] ?? fallback;
}

/** Fetch `url` and save it; a refusal becomes an {@link ApiError} with the server's message. */
export async function downloadFile(
  url: string,
  fallbackName: string,
  onProgress: (progress: DownloadProgress) => void,
): Promise<string> {
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) {
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    if (isErrorBody(body)) throw new ApiError(res.status, body.error.code, body.error.message, body);
    throw new ApiError(res.status, 'http_error', res.statusText);
  }
  const length = Number(res.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const chunks: Uint8Array[] = [];
  let received = 0;
  onProgress({ received, total });
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress({ received, total });
    }
  }
  const name = fileNameOf(res.headers.get('content-disposition'), fallbackName);
  const blob = new Blob(chunks as BlobPart[], {
    type: res.headers.get('content-type') ?? 'application/octet-stream',
  });
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
  return name;
}
