/**
 * Files imported on a worker thread (import-worker.ts), one at a time, so that reading a large
 * transcript never blocks the requests of others: a 20 Mo HTML file is seconds of parsing. The
 * worker starts at the first import and stays; one that dies (out of memory on a hostile file, a
 * crash) refuses the file it was reading and is replaced at the next import. Its heap is bounded, so
 * a file that would take more fails alone.
 */
import type { Worker } from 'node:worker_threads';
import { DomainError, type DomainErrorCode } from '../../shared/errors.ts';
import { startWorker } from '../worker-thread.ts';
import type { ImportedText } from './index.ts';

/** The heap a worker may use, in Mo: far more than a 20 Mo transcript needs. */
const WORKER_HEAP_MB = 1024;

interface Pending {
  resolve: (imported: ImportedText) => void;
  reject: (error: unknown) => void;
  /** What was sent, to send again to a new thread if this one dies before reaching it. */
  request: { id: number; name: string; bytes: Uint8Array; maxBytes: number };
}

interface Answer {
  id: number;
  imported?: ImportedText;
  error?: { code?: DomainErrorCode; message: string; details?: Record<string, unknown> };
}

function unreadable(name: string): DomainError {
  return new DomainError(
    'unprocessable',
    `Le fichier « ${name} » n'a pas pu être lu : il est peut-être endommagé, ou trop complexe.`,
    { file: name },
  );
}

export class ImportThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private next = 1;

  /** Import `bytes` as `importFile` does, on the worker thread. */
  importFile(name: string, bytes: Uint8Array, options: { maxBytes: number }): Promise<ImportedText> {
    const worker = this.started();
    const request = { id: this.next++, name, bytes, maxBytes: options.maxBytes };
    return new Promise<ImportedText>((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject, request });
      worker.postMessage(request);
    });
  }

  /** Start the worker now, so that the first import does not wait for it to load. */
  warm(): void {
    this.started();
  }

  /** Stop the worker (at shutdown); imports under way are refused. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(unreadable(p.request.name));
    }
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker('import/import-worker.ts', {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    // An idle worker does not keep the process alive.
    worker.unref();
    worker.on('message', (answer: Answer) => this.answered(answer));
    worker.on('error', () => this.died(worker));
    worker.on('exit', () => this.died(worker));
    this.worker = worker;
    return worker;
  }

  /**
   * A thread died (out of memory on a hostile file, a crash, stopped): the file it was reading —
   * the oldest waiting, as it reads them in order — is refused; the others go to a new thread.
   */
  private died(worker: Worker): void {
    if (this.worker !== worker) return; // Already handled ('error' is followed by 'exit'), or closed.
    this.worker = undefined;
    const waiting = [...this.pending.values()].sort((a, b) => a.request.id - b.request.id);
    const [reading, ...others] = waiting;
    if (reading) {
      this.pending.delete(reading.request.id);
      reading.reject(unreadable(reading.request.name));
    }
    if (others.length === 0) return;
    const next = this.started();
    for (const p of others) next.postMessage(p.request);
  }

  private answered(answer: Answer): void {
    const pending = this.pending.get(answer.id);
    if (!pending) return;
    this.pending.delete(answer.id);
    if (answer.imported) return pending.resolve(answer.imported);
    const error = answer.error;
    pending.reject(
      error?.code
        ? new DomainError(error.code, error.message, error.details ?? {})
        : unreadable(pending.request.name),
    );
  }
}

/** The server's import thread (one per process). */
export const importThread = new ImportThread();
