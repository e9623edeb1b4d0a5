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
 * Texts being read ahead of the one sent: read one after the other, the large study's 500 texts
 * took 400–500 ms, longer than the thread takes to start; eight at a time, about 100 ms.
 */
const READ_AHEAD = 8;

/**
 * Build the index of `documents`, their texts read with `readText`, at `seq`, on a thread of its
 * own. Rejects if a text cannot be read, or the thread fails or dies; the caller may then build it
 * on its own thread.
 */
export async function buildOffThread(
  documents: readonly DocumentMeta[],
  readText: (document: DocumentMeta) => Promise<string>,
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
    const reads = new Map<number, Promise<string>>();
    const readAhead = (i: number) => {
      const document = documents[i];
      if (document === undefined) return;
      const text = readText(document);
      text.catch(() => undefined); // Awaited in its turn below.
      reads.set(i, text);
    };
    for (let i = 0; i < READ_AHEAD; i++) readAhead(i);
    for (let i = 0; i < documents.length; i++) {
      const text = await (reads.get(i) as Promise<string>);
      reads.delete(i);
      readAhead(i + READ_AHEAD);
      worker.postMessage({ document: documents[i] as DocumentMeta, text } satisfies BuildRequest);
    }
    worker.postMessage({ seq } satisfies BuildRequest);
    const index = ProjectIndex.load(Buffer.concat(await answered));
    if (!index) throw new Error('search index built on its thread did not read back');
    return index;
  } finally {
    await worker.terminate();
  }
}
