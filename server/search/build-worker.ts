/**
 * A thread where (part of) a project's search index is built when no saved copy can be used:
 * indexing the 4 million words of a large study takes one to two seconds of CPU and leaves hundreds
 * of megabytes of garbage, which on the server's thread would slow every request for seconds
 * afterwards (V8 collecting it). It receives one message per document, with its text
 * (`{document, text}`) or the file that holds it, read here (`{document, file}`), then `{seq}`, and
 * answers with the index's columns, their typed arrays moved rather than copied (`{columns}`), or
 * `{error}`. See off-thread.ts.
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { DocumentMeta } from '../../shared/model.ts';
import { transferables, type ColumnArrays } from './index-columns.ts';
import { ProjectIndex } from './project-index.ts';

export type BuildRequest =
  { document: DocumentMeta; text: string } | { document: DocumentMeta; file: string } | { seq: number };
export type BuildAnswer = { columns: ColumnArrays } | { error: string };

const index = ProjectIndex.empty();
/** The first failure: once a document is missing, the part cannot be built. */
let failed: string | undefined;

parentPort?.on('message', (request: BuildRequest) => {
  if ('document' in request) {
    if (failed !== undefined) return;
    try {
      const text = 'text' in request ? request.text : readFileSync(request.file, 'utf8');
      index.addDocument(request.document, text);
    } catch (error) {
      failed = String(error);
    }
    return;
  }
  try {
    if (failed !== undefined) throw new Error(failed);
    const columns = index.arrays();
    parentPort?.postMessage({ columns } satisfies BuildAnswer, transferables(columns));
  } catch (error) {
    parentPort?.postMessage({
      error: error instanceof Error ? error.message : String(error),
    } satisfies BuildAnswer);
  }
});
