/**
 * Creating codings over HTTP (`POST /api/projects/:id/codings`): one at a time in a small and a big
 * project (does the cost of a write grow with the project?), then 20 coders at once.
 */
import type { GeneratedStudy } from '../generate.ts';
import type { Profile } from '../profile.ts';
import { Random } from '../random.ts';
import type { Client } from '../server.ts';
import { round, summarise, summaryCells, table, type Cell, type Table } from '../table.ts';

export function writeTable(): Table {
  const t = table('write', 'Creating one coding over HTTP, one request at a time', [
    'Size',
    'Project',
    'Codings',
    'n',
    'median ms',
    'p95 ms',
    'p99 ms',
    'ratio to baseline (median / p99)',
  ]);
  t.notes.push(
    'Requests alternate between the baseline project and the study, so that both see the same machine load; 10 warm-up writes per project are not counted.',
    'Each answer is 201 only once the coding is fsync’d to the project’s journal.',
  );
  return t;
}

export function concurrentTable(): Table {
  const t = table('concurrent', 'Coders creating codings at the same time, each as fast as answers come', [
    'Size',
    'Codings at start',
    'Coders',
    ...CLOSED_LOOP_COLUMNS,
  ]);
  t.notes.push(
    'Each coder is one signed-in client sending its next coding as soon as the previous one is answered.',
    'The server serialises a snapshot of a project after 1,000 events (or a quarter of the project’s events, if more), once writes have paused for 250 ms: under this steady load none is written until the run ends, unless four times that many events wait.',
  );
  return t;
}

/** A random coding of `study`, by whichever coder sends it. */
function randomCoding(r: Random, study: GeneratedStudy) {
  const document = r.pick(study.documents);
  const start = r.int(0, Math.max(0, document.length - 25));
  const end = Math.min(document.length, start + r.int(20, 300));
  return { documentId: document.id, codeId: r.pick(study.childCodes), start, end };
}

async function createCoding(client: Client, r: Random, study: GeneratedStudy): Promise<number> {
  const started = performance.now();
  const res = await client.request(
    'POST',
    `/api/projects/${study.projectId}/codings`,
    randomCoding(r, study),
  );
  const ms = performance.now() - started;
  if (res.status !== 201) {
    throw new Error(`POST codings → ${res.status}: ${new TextDecoder().decode(res.bytes).slice(0, 200)}`);
  }
  return ms;
}

export async function writeBenchmark(
  t: Table,
  size: string,
  admin: Client,
  baseline: GeneratedStudy,
  study: GeneratedStudy,
  profile: Profile,
): Promise<void> {
  const r = new Random(11);
  for (let i = 0; i < 10; i++) {
    await createCoding(admin, r, baseline);
    await createCoding(admin, r, study);
  }
  const small: number[] = [];
  const big: number[] = [];
  for (let i = 0; i < profile.writeRequests; i++) {
    // Alternate which goes first, so neither always follows the other's fsync.
    if (i % 2 === 0) {
      small.push(await createCoding(admin, r, baseline));
      big.push(await createCoding(admin, r, study));
    } else {
      big.push(await createCoding(admin, r, study));
      small.push(await createCoding(admin, r, baseline));
    }
  }
  const a = summarise(small);
  const b = summarise(big);
  t.rows.push([size, 'baseline', baseline.codings, ...summaryCells(small), '1 / 1']);
  t.rows.push([
    size,
    'study',
    study.codings,
    ...summaryCells(big),
    `${round(b.median / a.median)} / ${round(b.p99 / a.p99)}`,
  ]);
}

/** What a closed-loop run of coders measured. */
export interface ClosedLoopResult {
  seconds: number;
  /** Milliseconds of each coding created (answered 201). */
  latencies: number[];
  /** Requests answered otherwise, or not at all. */
  errors: number;
}

/**
 * `coders` creating codings in `study` for `seconds`, each sending its next coding as soon as the
 * previous one is answered (a closed loop: the load is what the server can take). Coder `i`
 * draws its codings from seed `seed + i`: two runs from the same state with the same seed send the
 * same codings, and runs on one study need different seeds, or the second would send codings the
 * first made (refused as duplicates: 409).
 */
export async function runClosedLoop(
  coders: readonly Client[],
  study: GeneratedStudy,
  seconds: number,
  seed: number,
): Promise<ClosedLoopResult> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    coders.map(async (client, i) => {
      const r = new Random(seed + i);
      while (performance.now() < deadline) {
        try {
          latencies.push(await createCoding(client, r, study));
        } catch {
          // Counted, not hidden: the table shows the errors beside the successes.
          errors++;
        }
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies, errors };
}

/** The columns of `closedLoopCells`, ending every table of a closed-loop run. */
export const CLOSED_LOOP_COLUMNS = [
  'Seconds',
  'Created',
  'Errors',
  'Codings/s',
  'median ms',
  'p95 ms',
  'p99 ms',
] as const;

/** `[Seconds, Created, Errors, Codings/s, median ms, p95 ms, p99 ms]` of a closed-loop run. */
export function closedLoopCells(what: string, run: ClosedLoopResult): Cell[] {
  if (run.latencies.length === 0) throw new Error(`${what}: no coding was created (${run.errors} errors)`);
  return [
    round(run.seconds),
    run.latencies.length,
    run.errors,
    round(run.latencies.length / run.seconds),
    ...summaryCells(run.latencies).slice(1),
  ];
}

export async function concurrentBenchmark(
  t: Table,
  size: string,
  coders: readonly Client[],
  study: GeneratedStudy,
  codingsAtStart: number,
  profile: Profile,
): Promise<void> {
  const run = await runClosedLoop(coders, study, profile.concurrentSeconds, 100);
  t.rows.push([size, codingsAtStart, coders.length, ...closedLoopCells(`concurrent writes (${size})`, run)]);
}
