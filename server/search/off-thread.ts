/**
 * A project's search index built on threads of its own (build-worker.ts): the documents are cut
 * into consecutive parts, one thread per part, each sent its documents one by one as they are
 * read; each thread answers with its part's columns, their typed arrays moved rather than copied,
 * so none of the building's garbage lands on the server's heap and nothing is serialised and read
 * back. The parts are then joined as one build over all the documents would have numbered them
 * (`joinColumns`). Threads are stopped once their part is back.
 */
import { availableParallelism } from 'node:os';
import type { DocumentMeta } from '../../shared/model.ts';
import { compileWorker, startCompiledWorker } from '../worker-thread.ts';
import type { BuildAnswer, BuildRequest } from './build-worker.ts';
import { joinColumns, type ColumnArrays } from './index-columns.ts';
import { ProjectIndex } from './project-index.ts';

/** The heap a thread may use, in MiB: several times what the large study's index needs. */
const WORKER_HEAP_MB = 1024;

/** Texts being read ahead of the one sent, in all: one after the other, reads would keep the threads waiting. */
const READ_AHEAD = 8;

/**
 * How the documents are shared between threads: at most `threads` parts, none of fewer than
 * `minPartLength` code points (by default about 150,000 words: below that, starting a second
 * thread costs more than it saves). By default, two threads on a machine of three cores or more,
 * one below: the server's own thread reads the texts meanwhile, and on two cores two builders
 * beside it were slower than one (large study, first search that builds the index: 1.12-1.36 s
 * with two, 1.00-1.11 s with one, alternated).
 */
export interface BuildSharing {
  threads?: number;
  minPartLength?: number;
}

const DEFAULT_THREADS = availableParallelism() >= 3 ? 2 : 1;
const DEFAULT_MIN_PART_LENGTH = 1_000_000;

const BUILD_WORKER = 'search/build-worker.ts';

/** Compile the threads' code now (at the server's start), rather than at the first build. */
export function warmBuildThreads(): void {
  void compileWorker(BUILD_WORKER);
}

interface BuildThread {
  send: (request: BuildRequest) => void;
  answer: Promise<ColumnArrays>;
  stop: () => Promise<number>;
}

/** The thread building the index of the documents it is sent, answering its columns. */
async function startBuildThread(): Promise<BuildThread> {
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
 * `documents` cut, in their order, into at most `threads` runs of nearly equal length (in code
 * points), none shorter than `minPartLength` unless it is the only one.
 */
export function shareDocuments(
  documents: readonly DocumentMeta[],
  { threads = DEFAULT_THREADS, minPartLength = DEFAULT_MIN_PART_LENGTH }: BuildSharing = {},
): DocumentMeta[][] {
  const total = documents.reduce((sum, d) => sum + d.length, 0);
  const count = Math.max(
    1,
    Math.min(threads, documents.length, Math.floor(total / Math.max(1, minPartLength))),
  );
  const parts: DocumentMeta[][] = [[]];
  let done = 0;
  for (const document of documents) {
    // A new part once this one holds its share of the whole.
    if (parts.length < count && done >= (total * parts.length) / count) parts.push([]);
    (parts[parts.length - 1] as DocumentMeta[]).push(document);
    done += document.length;
  }
  return parts;
}

/** Read the texts of `documents` ahead, `readAhead` at a time, and send each in its order. */
async function feed(
  documents: readonly DocumentMeta[],
  readText: (document: DocumentMeta) => Promise<string>,
  readAhead: number,
  send: (request: BuildRequest) => void,
): Promise<void> {
  const reads = new Map<number, Promise<string>>();
  const read = (i: number) => {
    const document = documents[i];
    if (document === undefined) return;
    const text = readText(document);
    text.catch(() => undefined); // Awaited in its turn below.
    reads.set(i, text);
  };
  for (let i = 0; i < readAhead; i++) read(i);
  for (let i = 0; i < documents.length; i++) {
    const text = await (reads.get(i) as Promise<string>);
    reads.delete(i);
    read(i + readAhead);
    send({ document: documents[i] as DocumentMeta, text });
  }
}

/**
 * Build the index of `documents`, their texts read with `readText`, at `seq`, on threads of their
 * own (see `BuildSharing`). Rejects if a text cannot be read, or a thread fails or dies; the
 * caller may then build it on its own thread.
 */
export async function buildOffThread(
  documents: readonly DocumentMeta[],
  readText: (document: DocumentMeta) => Promise<string>,
  seq: number,
  sharing: BuildSharing = {},
): Promise<ProjectIndex> {
  const parts = shareDocuments(documents, sharing);
  const threads = await Promise.all(parts.map(() => startBuildThread()));
  try {
    const readAhead = Math.max(2, Math.ceil(READ_AHEAD / parts.length));
    const answers = parts.map(async (part, i) => {
      const thread = threads[i] as BuildThread;
      await feed(part, readText, readAhead, thread.send);
      thread.send({ seq });
      return thread.answer;
    });
    return ProjectIndex.of(joinColumns(await Promise.all(answers)), seq);
  } finally {
    await Promise.all(threads.map((thread) => thread.stop()));
  }
}
