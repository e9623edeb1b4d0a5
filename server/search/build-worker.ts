/**
 * The thread where a project's search index is built when no saved copy can be used: indexing
 * the 4 million words of a large study takes one to two seconds of CPU and leaves hundreds of
 * megabytes of garbage, which on the server's thread would slow every request for seconds
 * afterwards (V8 collecting it). It receives `{document, text}` messages, one per document, then
 * `{seq}`, and answers with the index's persisted form, its buffers moved rather than copied
 * (`{pieces}`), or `{error}`. See off-thread.ts.
 */
import { parentPort } from 'node:worker_threads';
import type { DocumentMeta } from '../../shared/model.ts';
import { ProjectIndex } from './project-index.ts';

export type BuildRequest = { document: DocumentMeta; text: string } | { seq: number };
export type BuildAnswer = { pieces: Uint8Array[] } | { error: string };

const index = ProjectIndex.empty();

parentPort?.on('message', (request: BuildRequest) => {
  if ('document' in request) {
    index.addDocument(request.document, request.text);
    return;
  }
  index.seq = request.seq;
  index.compact();
  index.serialise().then(
    (pieces) => {
      if (!pieces) throw new Error('index changed while it was written');
      const buffers = new Set(pieces.map((p) => p.buffer as ArrayBuffer));
      parentPort?.postMessage({ pieces } satisfies BuildAnswer, [...buffers]);
    },
    (error: unknown) => parentPort?.postMessage({ error: String(error) } satisfies BuildAnswer),
  );
});
