import type { InstanceEvent, ProjectEvent } from '../../shared/events.ts';
import type { ProjectId } from '../../shared/ids.ts';
import { sqlLiteral, type Db } from './pg-db.ts';
import {
  instanceEventsAfter,
  projectLogOf,
  projectLogQuery,
  readInstanceEvents,
  readProjectLog,
  type ProjectLogRead,
} from './pg-events.ts';

interface Waiting<T> {
  readonly statement: string;
  readonly alone: () => Promise<T>;
  readonly answer: (rows: unknown[]) => T;
  readonly resolve: (value: T) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The catch-up reads of the instance's and the projects' logs, those asked in the same turn of
 * the event loop sent together: one simple query of several statements (each reading what was
 * committed when it runs), one round trip. A request reads the accounts (its session) and its
 * project at once this way (`PgStore.readInstance` with a project). A read asked alone is sent
 * alone, with parameters, as before.
 */
export class CatchUpReads {
  private queued: Waiting<unknown>[] = [];

  constructor(private readonly db: Db) {}

  /** The instance's events after `after`. */
  instance(after: number): Promise<InstanceEvent[]> {
    return this.queue({
      statement: instanceEventsAfter(String(Math.trunc(after))),
      alone: () => readInstanceEvents(this.db, after),
      answer: (rows) => (rows as { body: InstanceEvent }[]).map((r) => r.body),
    });
  }

  /** A project's events after `after`, or that it is gone (see `readProjectLog`). */
  project(id: ProjectId, after: number): Promise<ProjectLogRead> {
    return this.queue({
      statement: projectLogQuery(sqlLiteral(id), String(Math.trunc(after))),
      alone: () => readProjectLog(this.db, id, after),
      answer: (rows) => projectLogOf(rows as { deleted: boolean; body: ProjectEvent | null }[]),
    });
  }

  private queue<T>(read: Omit<Waiting<T>, 'resolve' | 'reject'>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queued.length === 0) queueMicrotask(() => this.send());
      this.queued.push({ ...read, resolve, reject } as Waiting<unknown>);
    });
  }

  private send(): void {
    const reads = this.queued;
    this.queued = [];
    const [only] = reads;
    if (reads.length === 1 && only) {
      only.alone().then(only.resolve, only.reject);
      return;
    }
    this.db.query(reads.map((r) => r.statement).join('; ')).then(
      (result) => {
        const results = result as unknown as { rows: unknown[] }[];
        reads.forEach((read, i) => {
          try {
            read.resolve(read.answer(results[i]?.rows ?? []));
          } catch (error) {
            read.reject(error);
          }
        });
      },
      (error: unknown) => {
        for (const read of reads) read.reject(error);
      },
    );
  }
}
