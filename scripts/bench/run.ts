/**
 * `npm run bench [-- --sizes small,medium,large] [--smoke] [--only search,write] [--out FILE]`
 *
 * Generates synthetic studies, measures, prints a table per benchmark and writes them to
 * BENCHMARKS.md (in smoke mode, to a temporary file unless --out is given). Not a test: nothing
 * here fails on slow numbers; the « Targets » section says plainly what was met.
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchmarksMarkdown } from './report.ts';
import { BENCHMARKS, runBench, type BenchmarkName } from './suite.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: 'small,medium,large' },
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});

const sizes = (values.sizes ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const only = values.only
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
for (const name of only ?? []) {
  if (!(BENCHMARKS as readonly string[]).includes(name)) {
    console.error(`Unknown benchmark « ${name} »: choose among ${BENCHMARKS.join(', ')}.`);
    process.exit(2);
  }
}
const out = resolve(
  values.out ?? (values.smoke ? join(tmpdir(), 'verbatim-bench-smoke.md') : 'BENCHMARKS.md'),
);
const command = ['npm run bench', '--', ...process.argv.slice(2)].join(' ').replace(/ --$/, '');

const result = await runBench({
  sizes,
  smoke: values.smoke ?? false,
  only: only as BenchmarkName[] | undefined,
  print: true,
});
const notes =
  result.sizes.includes('large') || result.smoke
    ? []
    : [
        'The large study (500 interviews, ~4M words, 100,000 codings) was not run: repeat with `--sizes large` on a quiet machine.',
      ];
await writeFile(out, benchmarksMarkdown(result, command, notes));
console.info(`\n${Math.round(result.seconds)} s. Results written to ${out}`);
