/**
 * A project's search index built on a thread of its own (build-worker.ts), the documents sent to
 * it one by one as they are read; the thread answers with the index's columns, their typed arrays
 * moved rather than copied, so none of the building's garbage lands on the server's heap and
 * nothing is serialised and read back. One thread per build, started from the builder's compiled
 * script (`startCompiledWorker`), stopped once the index is back.
 */
import type { DocumentMeta } from '../../shared/model.ts';
import { compileWorker, startCompiledWorker } from '../worker-thread.ts';
import type { BuildAnswer, BuildRequest } from './build-worker.ts';
import { columnsOf, type ColumnArrays } from './index-columns.ts';
import { ProjectIndex } from './project-index.ts';

/** The heap the thread may use, in MiB: several times what the large study's index needs. */
const WORKER_HEAP_MB = 1024;

/** Texts being read ahead of the one sent: one after the other, reads would keep the thread waiting. */
const READ_AHEAD = 8;

const BUILD_WORKER = 'search/build-worker.ts';

/** Compile the thread's code now (at the server's start), rather than at the first build. */
export function warmBuildThread(): void {
  void compileWorker(BUILD_WORKER);
}

/** The thread building the index of the documents it is sent, answering its columns. */
async function startBuildThread(): Promise<{
  send: (request: BuildRequest) => void;
  answer: Promise<ColumnArrays>;
  stop: () => Promise<number>;
}> {
  const worker = await startCompiledWorker(BUILD_WORKER, {
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
  const answer = new Promise<ColumnArrays>((done, fail) => {
    worker.once('message', (message: BuildAnswer) =>
      'columns' in message ? done(message.columns) : fail(new Error(message.error)),
    );
    worker.once('error', fail);
    worker.once('exit', (code) => fail(new Error(`search index thread exited (${code})`)));
  });
  // Seen by the caller through `answer`; not an unhandled rejection while documents are sent.
  answer.catch(() => undefined);
  return {
    send: (request) => worker.postMessage(request),
    answer,
    stop: () => worker.terminate(),
  };
}

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
  const thread = await startBuildThread();
  try {
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
      thread.send({ document: documents[i] as DocumentMeta, text });
    }
    thread.send({ seq });
    return ProjectIndex.of(columnsOf(await thread.answer), seq);
  } finally {
    await thread.stop();
  }
}
