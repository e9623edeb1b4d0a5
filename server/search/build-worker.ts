/**
 * A thread where (part of) a project's search index is built when no saved copy can be used:
 * indexing the 4 million words of a large study takes one to two seconds of CPU and leaves hundreds
 * of megabytes of garbage, which on the server's thread would slow every request for seconds
 * afterwards (V8 collecting it). It receives `{document, text}` messages, one per document, then
 * `{seq}`, and answers with the index's columns, their typed arrays moved rather than copied
 * (`{columns}`), or `{error}`. See off-thread.ts.
 */
import { parentPort } from 'node:worker_threads';
import type { DocumentMeta } from '../../shared/model.ts';
import { transferables, type ColumnArrays } from './index-columns.ts';
import { ProjectIndex } from './project-index.ts';

export type BuildRequest = { document: DocumentMeta; text: string } | { seq: number };
export type BuildAnswer = { columns: ColumnArrays } | { error: string };

const index = ProjectIndex.empty();

parentPort?.on('message', (request: BuildRequest) => {
  if ('document' in request) {
    index.addDocument(request.document, request.text);
    return;
  }
  try {
    const columns = index.arrays();
    parentPort?.postMessage({ columns } satisfies BuildAnswer, transferables(columns));
  } catch (error) {
    parentPort?.postMessage({ error: String(error) } satisfies BuildAnswer);
  }
});
