/** Summaries of timings (median, p95, p99) and the tables the benchmarks print and write. */

export type Cell = string | number;

/** One benchmark's results: a title, named columns, rows, and notes on method or caveats. */
export interface Table {
  /** The benchmark's name, as given to `--only`. */
  readonly id: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: Cell[][];
  readonly notes: string[];
}

export function table(id: string, title: string, columns: readonly string[]): Table {
  return { id, title, columns, rows: [], notes: [] };
}

/**
 * The p-th percentile (0–100) by the nearest-rank method: the smallest sample such that at least
 * p % of the samples are less than or equal to it. With 20 samples, p95 is the 19th, p99 the 20th.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** The median: the middle sample, or the mean of the two middle ones. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('median: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface Summary {
  n: number;
  median: number;
  p95: number;
  p99: number;
}

export function summarise(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    median: median(samples),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
  };
}

/** `[n, median, p95, p99]`, rounded for reading. */
export function summaryCells(samples: readonly number[]): Cell[] {
  const s = summarise(samples);
  return [s.n, round(s.median), round(s.p95), round(s.p99)];
}

/** Three significant figures at most, two decimals at most. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value);
  if (abs >= 10) return Math.round(value * 10) / 10;
  return Math.round(value * 100) / 100;
}

/** Time an async function, in milliseconds. */
export async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}

function cellText(cell: Cell): string {
  return typeof cell === 'number' ? cell.toLocaleString('en-US', { maximumFractionDigits: 2 }) : cell;
}

/** The table as Markdown, with its notes below. */
export function markdown(t: Table): string {
  const lines = [
    `| ${t.columns.join(' | ')} |`,
    `| ${t.columns.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...t.rows.map((row) => `| ${row.map((c) => cellText(c).replace(/\|/g, '\\|')).join(' | ')} |`),
  ];
  if (t.notes.length > 0) lines.push('', ...t.notes.map((n) => `- ${n}`));
  return lines.join('\n');
}

/** The table as aligned text for the terminal. */
export function plain(t: Table): string {
  const cells = [t.columns.map(String), ...t.rows.map((row) => row.map(cellText))];
  const widths = t.columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const out = [`\n${t.title}`, line(cells[0] as string[]), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of cells.slice(1)) out.push(line(row));
  for (const note of t.notes) out.push(`  · ${note}`);
  return out.join('\n');
}
