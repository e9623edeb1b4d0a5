/**
 * A project's search index built on a thread of its own (build-worker.ts), the documents sent to
 * it one by one as they are read; the index comes back in its persisted form and is loaded here,
 * which takes a fraction of the time and leaves none of the building's garbage on the server's
 * heap. One thread per build, stopped once the index is back.
 */
import type { DocumentMeta } from '../../shared/model.ts';
import { startWorker } from '../worker-thread.ts';
import type { BuildAnswer, BuildRequest } from './build-worker.ts';
import { ProjectIndex } from './project-index.ts';

/** The heap the thread may use, in MiB: several times what the large study's index needs. */
const WORKER_HEAP_MB = 1024;

/**
 * Build the index of `documents` (read as they are needed) at `seq` on a thread of its own.
 * Rejects if the thread fails or dies; the caller may then build it on its own thread.
 */
export async function buildOffThread(
  documents: AsyncIterable<{ document: DocumentMeta; text: string }>,
  seq: number,
): Promise<ProjectIndex> {
  const worker = startWorker('search/build-worker.ts', {
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  try {
    const answered = new Promise<Uint8Array[]>((done, fail) => {
      worker.once('message', (answer: BuildAnswer) =>
        'pieces' in answer ? done(answer.pieces) : fail(new Error(answer.error)),
      );
      worker.once('error', fail);
      worker.once('exit', (code) => fail(new Error(`search index thread exited (${code})`)));
    });
    // Seen by the caller through `answered`; not an unhandled rejection while documents are sent.
    answered.catch(() => undefined);
    for await (const item of documents) worker.postMessage(item satisfies BuildRequest);
    worker.postMessage({ seq } satisfies BuildRequest);
    const index = ProjectIndex.load(Buffer.concat(await answered));
    if (!index) throw new Error('search index built on its thread did not read back');
    return index;
  } finally {
    await worker.terminate();
  }
}
