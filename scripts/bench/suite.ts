/**
 * The benchmark suite: for each study size, generate the study into a data folder, start the
 * server over it, and measure; then the sizes-independent ones (import, client). Every server,
 * PostgreSQL cluster and browser started is stopped, and every data folder removed.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { concurrentBenchmark, concurrentTable, writeBenchmark, writeTable } from './benchmarks/writes.ts';
import { clientOpenBenchmark, clientSizeBenchmark } from './benchmarks/client.ts';
import { docxBenchmark, docxTable, refiBenchmark, refiTable } from './benchmarks/exports.ts';
import { importBenchmark } from './benchmarks/import.ts';
import { openDocumentBenchmark } from './benchmarks/open-document.ts';
import { pgLockTable, pgStartTable, postgresBenchmark, postgresTable } from './benchmarks/postgres.ts';
import {
  pagesBenchmark,
  pagesTable,
  reviewBenchmark,
  reviewTable,
  searchBenchmark,
  searchTable,
} from './benchmarks/reads.ts';
import { startBenchmark, startTable } from './benchmarks/start.ts';
import { scalingBenchmark, scalingTable } from './benchmarks/scaling.ts';
import { taguetteBenchmark, taguetteTable } from './benchmarks/taguette.ts';
import {
  createBenchUsers,
  generateQuoteWorkload,
  generateStudy,
  SIZES,
  SMOKE_SIZE,
  writeDataFolder,
  type BenchUsers,
  type GeneratedStudy,
  type QuoteWorkload,
  type StudySize,
} from './generate.ts';
import { describeMachine, type Machine } from './machine.ts';
import { FULL, SMOKE, type Profile } from './profile.ts';
import { BENCH_DIR, Client, memoryOf, removeBundle, startServer } from './server.ts';
import { plain, round, table, type Table } from './table.ts';

/** Benchmark names, for `--only`, in the order they run. */
export const BENCHMARKS = [
  'import',
  'search',
  'review',
  'docx',
  'refi',
  'write',
  'concurrent',
  'start',
  'postgres',
  'client',
  'clientsize',
  'opendoc',
  'taguette',
  'scaling',
] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];

export interface BenchOptions {
  sizes: readonly string[];
  smoke: boolean;
  only?: readonly BenchmarkName[] | undefined;
  /** Print each table as it is done (the CLI); the smoke test stays quiet. */
  print?: boolean;
}

export interface BenchResult {
  machine: Machine;
  /** Machine load before and after (1-minute load average). */
  loadBefore: number;
  loadAfter: number;
  sizes: string[];
  smoke: boolean;
  tables: Table[];
  seconds: number;
}

const SIZE_BENCHMARKS: readonly BenchmarkName[] = [
  'search',
  'review',
  'docx',
  'refi',
  'write',
  'concurrent',
  'start',
  'postgres',
];

function dataFolderMiB(dir: string): number {
  const out = execFileSync('du', ['-sk', dir], { encoding: 'utf8' });
  return Number(out.split('\t')[0]) / 1024;
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const started = performance.now();
  const machine = describeMachine();
  const loadBefore = machine.load[0];
  const profile: Profile = options.smoke ? SMOKE : FULL;
  const wanted = (name: BenchmarkName) => !options.only || options.only.includes(name);
  const print = (t: Table) => {
    if (options.print) console.info(plain(t));
  };
  const sizes: StudySize[] = options.smoke
    ? [SMOKE_SIZE]
    : options.sizes.map((name) => {
        const size = SIZES[name];
        if (!size) throw new Error(`Unknown size « ${name} » (sizes: ${Object.keys(SIZES).join(', ')})`);
        return size;
      });

  const tables: Table[] = [];
  const studyTable = table('study', 'Generated studies', [
    'Size',
    'Interviews',
    'Words',
    'Code points',
    'Codings',
    'Codes',
    'Data folder MiB',
    'Generation s',
  ]);
  const search = searchTable();
  const review = reviewTable();
  const pages = pagesTable();
  const docx = docxTable();
  const refi = refiTable();
  const write = writeTable();
  const concurrent = concurrentTable();
  const start = startTable();
  const postgres = postgresTable();
  const pgStart = pgStartTable();
  const pgLock = pgLockTable();

  await mkdir(BENCH_DIR, { recursive: true });
  try {
    if (wanted('import')) {
      const t = await importBenchmark(profile);
      print(t);
      tables.push(t);
    }
    if (SIZE_BENCHMARKS.some(wanted)) {
      for (const size of sizes) {
        await runSize(size);
      }
      tables.push(studyTable);
      for (const t of [search, review, docx, refi, write, concurrent, start, postgres]) {
        if (wanted(t.id as BenchmarkName)) tables.push(t);
      }
      if (wanted('review')) tables.push(pages);
      if (wanted('postgres')) tables.push(pgLock, pgStart);
    }
    if (wanted('client')) {
      const t = await clientOpenBenchmark(profile);
      print(t);
      tables.push(t);
    }
    if (wanted('opendoc')) {
      const t = await openDocumentBenchmark(profile);
      print(t);
      tables.push(t);
    }
    if (wanted('taguette')) {
      const t = taguetteTable();
      await taguetteBenchmark(t, profile);
      print(t);
      tables.push(t);
    }
    if (wanted('scaling')) {
      const t = scalingTable();
      await scalingBenchmark(t, profile);
      print(t);
      tables.push(t);
    }
    if (wanted('clientsize')) {
      const t = await clientSizeBenchmark();
      print(t);
      tables.push(t);
    }
  } finally {
    await removeBundle();
  }

  async function runSize(size: StudySize): Promise<void> {
    const dataDir = await mkdtemp(join(BENCH_DIR, `${size.name}-`));
    try {
      const generationStart = performance.now();
      // The quote-report workload goes with the first size only: it does not depend on the study.
      const withWorkload = wanted('docx') && size === sizes[0];
      const { users, study, baseline, workload } = await writeDataFolder(dataDir, async (store) => {
        // Enough coders for both benchmarks that need many; all are members of every project.
        const coderCount = Math.max(profile.concurrentCoders, profile.pgCoders);
        const users: BenchUsers = await createBenchUsers(store, coderCount);
        const study = await generateStudy(store, users, size, { seed: 1 });
        const baseline: GeneratedStudy = await generateStudy(
          store,
          users,
          {
            name: 'baseline',
            interviews: Math.min(30, size.interviews),
            wordsPerInterview: size.wordsPerInterview,
            codings: profile.baselineCodings,
          },
          { seed: 2, name: `Référence (${profile.baselineCodings} codages)` },
        );
        const workload: QuoteWorkload | undefined = withWorkload
          ? await generateQuoteWorkload(store, users, { seed: 3 })
          : undefined;
        return { users, study, baseline, workload };
      });
      studyTable.rows.push([
        size.name,
        size.interviews,
        study.words,
        study.characters,
        study.codings,
        study.childCodes.length + study.parentCodes.length,
        round(dataFolderMiB(dataDir)),
        round((performance.now() - generationStart) / 1000),
      ]);
      print(studyTable);

      let peak: number | undefined;
      const server = await startServer(dataDir);
      try {
        const admin = await new Client(server.url).login();
        if (wanted('search')) {
          await searchBenchmark(search, size.name, admin, study, profile);
          print(search);
        }
        if (wanted('review')) {
          await reviewBenchmark(review, size.name, admin, study, profile);
          print(review);
          await pagesBenchmark(pages, size.name, admin, study, profile);
          print(pages);
        }
        if (wanted('docx')) {
          await docxBenchmark(docx, size.name, admin, study, profile, workload);
          print(docx);
        }
        if (wanted('refi')) {
          await refiBenchmark(refi, size.name, admin, study, profile);
          print(refi);
        }
        // Writes last: they add codings to the study.
        if (wanted('write')) {
          await writeBenchmark(write, size.name, admin, baseline, study, profile);
          print(write);
        }
        if (wanted('concurrent')) {
          const coders = [];
          for (const name of users.coderNames.slice(0, profile.concurrentCoders)) {
            coders.push(await new Client(server.url).login(name));
          }
          const { counts } = await admin.json<{ counts: { codings: number } }>(
            'GET',
            `/api/projects/${study.projectId}`,
          );
          await concurrentBenchmark(concurrent, size.name, coders, study, counts.codings, profile);
          print(concurrent);
        }
        peak = (await memoryOf(server.child.pid as number)).peak;
      } finally {
        await server.stop();
      }
      if (wanted('start')) {
        await startBenchmark(start, size.name, dataDir, study, profile, peak);
        print(start);
      }
      // After the others, with no server left over the data folder (copying it needs that).
      if (wanted('postgres')) {
        await postgresBenchmark(postgres, pgStart, pgLock, size.name, dataDir, users, study, profile);
        print(postgres);
        print(pgLock);
        print(pgStart);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }

  return {
    machine,
    loadBefore,
    loadAfter: describeMachine().load[0],
    sizes: sizes.map((s) => s.name),
    smoke: options.smoke,
    tables,
    seconds: (performance.now() - started) / 1000,
  };
}
