/**
 * The thread where uploaded files are read: parsing a 20 Mo HTML or RTF transcript takes seconds
 * of CPU, which on the server's own thread would keep every other request waiting. It answers each
 * message `{id, name, bytes, maxBytes}` with `{id, imported}` or `{id, error}` (a DomainError's
 * code, message and details). See off-thread.ts.
 */
import { parentPort } from 'node:worker_threads';
import { isDomainError } from '../../shared/errors.ts';
import { importFile } from './index.ts';

interface Request {
  id: number;
  name: string;
  bytes: Uint8Array;
  maxBytes: number;
}

/**
 * One file at a time, in the order sent: the file being read when the thread dies is then always
 * the oldest one waiting (off-thread.ts refuses it, and sends the others to a new thread).
 */
let queue: Promise<unknown> = Promise.resolve();

parentPort?.on('message', (request: Request) => {
  queue = queue.then(() => answer(request));
});

function answer(request: Request): Promise<void> {
  return importFile(request.name, request.bytes, { maxBytes: request.maxBytes }).then(
    (imported) => {
      // The original goes back as it came, its buffer moved rather than copied.
      parentPort?.postMessage({ id: request.id, imported }, [imported.original.buffer as ArrayBuffer]);
    },
    (error: unknown) => {
      parentPort?.postMessage({
        id: request.id,
        error: isDomainError(error)
          ? { code: error.code, message: error.message, details: error.details }
          : { message: String((error as Error)?.message ?? error) },
      });
    },
  );
}
