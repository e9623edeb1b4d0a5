/**
 * A project's search index built on threads of their own (build-worker.ts), the documents sent to
 * them one by one as they are read; each thread answers with its documents' columns, their typed
 * arrays moved rather than copied, so none of the building's garbage lands on the server's heap
 * and nothing is serialised and read back. Texts the server does not hold are sent as the bytes
 * stored, moved as well and decoded by the thread: the server's heap never holds them. A large
 * study is cut into stretches of about the same length, built side by side on the machine's cores
 * and merged (`mergeColumns`) into what one thread would have built. The threads start from the
 * builder's compiled script (`startCompiledWorker`) and are stopped once the index is back.
 */
import { availableParallelism } from 'node:os';
import type { DocumentMeta } from '../../shared/model.ts';
import { compileWorker, startCompiledWorker } from '../worker-thread.ts';
import type { BuildAnswer, BuildRequest } from './build-worker.ts';
import { columnsOf, mergeColumns, type ColumnArrays } from './index-columns.ts';
import { ProjectIndex } from './project-index.ts';

/** The heap the thread may use, in MiB: several times what the large study's index needs. */
const WORKER_HEAP_MB = 1024;

/** Texts being read ahead of the one sent: one after the other, reads would keep the thread waiting. */
const READ_AHEAD = 8;

const BUILD_WORKER = 'search/build-worker.ts';

/** Threads building one index at most: the server's own thread must still answer requests. */
const MAX_THREADS = 4;

/** Code points of text a thread of its own must have to index: below that, its start and the merge cost more than it saves. */
const MIN_THREAD_LENGTH = 4_000_000;

/** Compile the thread's code now (at the server's start), rather than at the first build. */
export function warmBuildThread(): void {
  void compileWorker(BUILD_WORKER);
}

/** The thread building the index of the documents it is sent, answering its columns. */
async function startBuildThread(): Promise<{
  send: (request: BuildRequest, moved?: ArrayBuffer[]) => void;
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
    send: (request, moved = []) => worker.postMessage(request, moved),
    answer,
    stop: () => worker.terminate(),
  };
}

/** A text as `buildOffThread` is given it: decoded, or its UTF-8 bytes. */
export type TextToIndex = string | Uint8Array;

/** `documents` cut into at most `count` stretches, in order, of about the same length of text; none empty. */
export function stretches<T extends { readonly length: number }>(
  documents: readonly T[],
  count: number,
): T[][] {
  const total = documents.reduce((n, d) => n + d.length, 0);
  const parts: T[][] = [];
  let part: T[] = [];
  let done = 0;
  for (const document of documents) {
    // The next stretch starts with the document whose middle lies past this stretch's share.
    const share = (total * (parts.length + 1)) / count;
    if (part.length > 0 && parts.length < count - 1 && done + document.length / 2 >= share) {
      parts.push(part);
      part = [];
    }
    part.push(document);
    done += document.length;
  }
  if (part.length > 0) parts.push(part);
  return parts;
}

/**
 * How many threads build the index of `documents`: one per core the machine gives the process but
 * one (the server's own thread keeps a core for the requests), up to `MAX_THREADS`, each with at
 * least `MIN_THREAD_LENGTH` code points to index. On two cores, one.
 */
export function buildThreads(documents: readonly DocumentMeta[], cores = availableParallelism()): number {
  const length = documents.reduce((n, d) => n + d.length, 0);
  return Math.max(
    1,
    Math.min(cores - 1, MAX_THREADS, documents.length, Math.floor(length / MIN_THREAD_LENGTH)),
  );
}

/** The message carrying `text`, and what it moves rather than copies (bytes of their own). */
function documentMessage(document: DocumentMeta, text: TextToIndex): [BuildRequest, ArrayBuffer[]] {
  if (typeof text === 'string') return [{ document, text }, []];
  // A view into a larger buffer (a pool) is copied out: only what is ours may be moved.
  const own = text.byteOffset === 0 && text.byteLength === text.buffer.byteLength ? text : text.slice();
  return [{ document, text: own }, [own.buffer as ArrayBuffer]];
}

/**
 * Build the index of `documents`, their texts read with `readText`, at `seq`, on `threads` threads
 * (`buildThreads`): the documents cut into stretches (`stretches`), one per thread, their columns
 * merged. Rejects if a text cannot be read, or a thread fails or dies; the caller may then build
 * it on its own thread.
 */
export async function buildOffThread(
  documents: readonly DocumentMeta[],
  readText: (document: DocumentMeta) => Promise<TextToIndex>,
  seq: number,
  threads = buildThreads(documents),
): Promise<ProjectIndex> {
  const parts = stretches(documents, threads);
  const starting = parts.map(() => startBuildThread());
  try {
    const running = await Promise.all(starting);
    // Read in turns across the stretches, so that every thread has work from the start; each
    // still receives its documents in their order.
    const order: { document: DocumentMeta; thread: number }[] = [];
    for (let i = 0; order.length < documents.length; i++)
      parts.forEach((part, thread) => {
        const document = part[i];
        if (document !== undefined) order.push({ document, thread });
      });
    const reads = new Map<number, Promise<TextToIndex>>();
    const readAhead = (i: number) => {
      const next = order[i];
      if (next === undefined) return;
      const text = readText(next.document);
      text.catch(() => undefined); // Awaited in its turn below.
      reads.set(i, text);
    };
    for (let i = 0; i < READ_AHEAD; i++) readAhead(i);
    for (let i = 0; i < order.length; i++) {
      const text = await (reads.get(i) as Promise<TextToIndex>);
      reads.delete(i);
      readAhead(i + READ_AHEAD);
      const { document, thread } = order[i] as { document: DocumentMeta; thread: number };
      running[thread]?.send(...documentMessage(document, text));
    }
    for (const thread of running) thread.send({ seq });
    const columns = await Promise.all(running.map((thread) => thread.answer));
    return ProjectIndex.of(columnsOf(mergeColumns(columns)), seq);
  } finally {
    await Promise.all(
      starting.map((thread) =>
        thread.then(
          (t) => t.stop(),
          () => undefined,
        ),
      ),
    );
  }
}
