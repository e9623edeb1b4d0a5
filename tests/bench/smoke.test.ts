/**
 * The benchmarks are not tests and do not run in CI at full size, but each one runs here in smoke
 * mode (tiny study, few iterations) so that none of them can rot unnoticed.
 */
import { describe, expect, it } from 'vitest';
import { POSTGRES_MISSING } from '../../scripts/bench/benchmarks/postgres.ts';
import { benchmarksMarkdown } from '../../scripts/bench/report.ts';
import { BENCHMARKS, runBench, type BenchResult } from '../../scripts/bench/suite.ts';
import { median, percentile } from '../../scripts/bench/table.ts';
import { postgresAvailable } from '../helpers/postgres.ts';

describe('percentile', () => {
  it('takes the nearest rank: p95 of 1…20 is 19, p99 is 20, the median of 1…4 is 2.5', () => {
    const samples = Array.from({ length: 20 }, (_, i) => 20 - i);
    expect(percentile(samples, 95)).toBe(19);
    expect(percentile(samples, 99)).toBe(20);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('npm run bench --smoke', () => {
  it('runs every benchmark and each gives rows of numbers', { timeout: 300_000 }, async () => {
    const result: BenchResult = await runBench({ sizes: [], smoke: true });
    for (const name of [...BENCHMARKS, 'study', 'pages']) {
      const t = result.tables.find((x) => x.id === name);
      expect(t, `table ${name}`).toBeDefined();
      expect(t?.rows.length, `rows of ${name}`).toBeGreaterThan(0);
      for (const row of t?.rows ?? []) {
        const numbers = row.filter((cell): cell is number => typeof cell === 'number');
        expect(numbers.length, `${name}: ${row.join(' | ')}`).toBeGreaterThan(0);
        for (const n of numbers) expect(Number.isFinite(n), `${name}: ${row.join(' | ')}`).toBe(true);
      }
    }
    const markdown = benchmarksMarkdown(result, 'npm run bench -- --smoke');
    expect(markdown).toContain('## Targets');
    expect(markdown).toMatch(/p99 under 50 ms with 20 concurrent coders.*: \*\*(met|not met)\*\*/);
    expect(markdown).toMatch(
      /Two instances on one PostgreSQL reach the throughput of one lowdb instance, \d+ concurrent coders.*lowdb, 1 instance: [\d.,]+ codings\/s, p99 [\d.,]+ ms; PostgreSQL, 2 instances: /,
    );
    expect(markdown).toMatch(
      postgresAvailable()
        ? /A new PostgreSQL instance opens the study within 1\.5× lowdb’s start\*\* \(\w+ study\): \*\*(met|not met)\*\* — lowdb [\d.,]+ ms, PostgreSQL, (no )?snapshot [\d.,]+ ms \(×[\d.]+\)/
        : /A new PostgreSQL instance opens the study within 1\.5× lowdb’s start\*\*: not measured in this run\./,
    );
    expect(markdown).toMatch(
      /Opening a 10-coding document: .*\*\*: \*\*(met|not met)\*\* — [\d,]+ other codings: median [\d.,]+ ms, [\d.,]+ KB; [\d,]+ other codings/,
    );
    // The first search, timed three ways: the index built on the warm server, loaded after a start,
    // and built on fresh servers with no saved index.
    expect(markdown).toMatch(
      /first search: index built [\d.,]+ ms, after a start [\d.,]+ ms, index built after a start \(p95 of \d+\) [\d.,]+ ms\./,
    );
    if (postgresAvailable())
      expect(markdown).toMatch(
        /Two 2-core instances (reach|do not reach) one lowdb instance in this model \(\*\*(met|not met)\*\*, modelled\): \d+ codings\/s/,
      );
    // One project's writers on two instances: CPU and the project's row lock (alone, and in the
    // run), modelled.
    if (postgresAvailable())
      expect(markdown).toMatch(
        /Model for one project\*\* \(\w+ study, PostgreSQL ×2 row\): the instances spent [\d.]+ ms .* row lock: batches of \d+ codings appended alone in [\d.]+ ms each .* the lock was held [\d.]+ % of the time, [\d.]+ ms per write transaction of [\d.]+ codings.* Saturates first: (the two instances’ CPU|the project’s row lock), at about \d+ codings\/s .*: \*\*(met|not met)\*\*, modelled\./,
      );
    for (const t of result.tables) expect(markdown).toContain(`## ${t.title}`);

    // One lowdb instance beside two PostgreSQL instances, or a plain note that PostgreSQL is missing.
    const stores = result.tables.find((x) => x.id === 'postgres');
    const rate = stores?.columns.indexOf('Codings/s') ?? -1;
    const rows = stores?.rows ?? [];
    expect(rows.map((row) => `${row[1]} ×${row[2]}`)).toEqual(['lowdb ×1', 'PostgreSQL ×2']);
    expect(rows[0]?.[rate]).toBeGreaterThan(0);
    if (postgresAvailable()) expect(rows[1]?.[rate]).toBeGreaterThan(0);
    else expect(stores?.notes).toContain(POSTGRES_MISSING);
  });
});
