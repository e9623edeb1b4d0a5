/**
 * A project's search index built on threads of their own (build-worker.ts): the documents are cut
 * into as many consecutive runs as there are threads, about the same length each, and their texts
 * sent to them one by one as they are read; each thread indexes its run and sends back its columns
 * (their typed arrays moved, not copied), put together here in document order
 * (`ProjectIndex.append`): the same index, byte for byte, as one built document after document on
 * one thread. None of the building's garbage lands on the server's heap. The threads are stopped
 * once their part is back.
 */
import { availableParallelism } from 'node:os';
import type { DocumentMeta } from '../../shared/model.ts';
import { startWorker } from '../worker-thread.ts';
import type { BuildAnswer, BuildRequest } from './build-worker.ts';
import { columnsOf, type ColumnArrays, type IndexColumns } from './index-columns.ts';
import { ProjectIndex } from './project-index.ts';

/** The heap each thread may use, in MiB: several times what the large study's index needs. */
const WORKER_HEAP_MB = 1024;

/**
 * Threads for one build: one per core but one, left to the server's own thread (which reads the
 * texts meanwhile), up to four. On two cores that is one: two threads beside the server's built the
 * large study's index more slowly than one (2.3–2.4 s against 1.6–2.1).
 */
export const BUILD_THREADS = Math.max(1, Math.min(4, availableParallelism() - 1));

/** Texts being read ahead of the one sent: one after the other, reads would keep the threads waiting. */
const READ_AHEAD = 8;

/** `documents` cut into `parts` consecutive runs of about the same total length (at least one each). */
export function consecutiveRuns<T extends { length: number }>(documents: readonly T[], parts: number): T[][] {
  const count = Math.max(1, Math.min(parts, documents.length));
  const total = documents.reduce((sum, d) => sum + d.length, 0);
  const runs: T[][] = [[]];
  let before = 0;
  documents.forEach((document, i) => {
    const run = runs[runs.length - 1] as T[];
    const left = documents.length - i;
    // A new run once this one has its share, or when each remaining run needs its document.
    const share = (total * runs.length) / count;
    if (run.length > 0 && runs.length < count && (before >= share || left <= count - runs.length)) {
      runs.push([document]);
    } else run.push(document);
    before += document.length;
  });
  return runs;
}

/** One thread building the index of `documents` (sent by `send`), answering its columns. */
function buildPart(): {
  send: (request: BuildRequest) => void;
  answer: Promise<ColumnArrays>;
  stop: () => Promise<number>;
} {
  const worker = startWorker('search/build-worker.ts', {
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
 * Build the index of `documents`, their texts read with `readText`, at `seq`, on `threads`
 * threads. Rejects if a text cannot be read, or a thread fails or dies; the caller may then build
 * it on its own thread.
 */
export async function buildOffThread(
  documents: readonly DocumentMeta[],
  readText: (document: DocumentMeta) => Promise<string>,
  seq: number,
  threads = BUILD_THREADS,
): Promise<ProjectIndex> {
  const runs = consecutiveRuns(documents, threads);
  const parts = runs.map(() => buildPart());
  try {
    // Read in turns across the runs, so that every thread has work from the start.
    const order: { part: number; document: DocumentMeta }[] = [];
    const longest = Math.max(...runs.map((r) => r.length));
    for (let i = 0; i < longest; i++) {
      runs.forEach((run, part) => {
        const document = run[i];
        if (document) order.push({ part, document });
      });
    }
    const reads = new Map<number, Promise<string>>();
    const readAhead = (i: number) => {
      const next = order[i];
      if (next === undefined) return;
      const text = readText(next.document);
      text.catch(() => undefined); // Awaited in its turn below.
      reads.set(i, text);
    };
    for (let i = 0; i < READ_AHEAD; i++) readAhead(i);
    for (let i = 0; i < order.length; i++) {
      const text = await (reads.get(i) as Promise<string>);
      reads.delete(i);
      readAhead(i + READ_AHEAD);
      const { part, document } = order[i] as { part: number; document: DocumentMeta };
      parts[part]?.send({ document, text });
    }
    for (const part of parts) part.send({ seq });
    const answers = await Promise.all(parts.map((p) => p.answer));
    // At least one run, and so one answer.
    const [first, ...others] = answers.map(columnsOf) as [IndexColumns, ...IndexColumns[]];
    const index = ProjectIndex.of(first, seq);
    for (const part of others) index.append(part);
    return index;
  } finally {
    await Promise.all(parts.map((p) => p.stop()));
  }
}
