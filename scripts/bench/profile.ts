/** How much each benchmark does: the full run, or the smoke run that only proves they still work. */
export interface Profile {
  readonly smoke: boolean;
  /** Sequential coding writes per project (study and 1,000-coding baseline). */
  readonly writeRequests: number;
  readonly concurrentCoders: number;
  /** Seconds of each closed-loop run of coders (the concurrent and postgres benchmarks). */
  readonly concurrentSeconds: number;
  /** Coders of the store comparison: two instances on one PostgreSQL, one lowdb instance. */
  readonly pgCoders: number;
  /** Runs of each search query, review statistic and retrieval. */
  readonly searchRuns: number;
  /**
   * Time allowed to one row of the read benchmarks (search, review, exports): once spent, the row
   * stops after at least `minRuns` runs, so a slow route cannot stretch the run for an hour.
   */
  readonly rowBudgetMs: number;
  readonly minRuns: number;
  readonly statsRuns: number;
  /** Runs of each export and import of a whole project, and of the DOCX report. */
  readonly exportRuns: number;
  readonly docxQuotes: number;
  readonly startRuns: number;
  /** Files per format for the import benchmark, and their length in words. */
  readonly importFiles: number;
  readonly importWords: number;
  /** Codings of the project the coding-write benchmark compares against. */
  readonly baselineCodings: number;
  readonly clientRuns: number;
  readonly clientWords: number;
  readonly clientCodings: number;
}

export const FULL: Profile = {
  smoke: false,
  writeRequests: 300,
  concurrentCoders: 20,
  concurrentSeconds: 30,
  pgCoders: 40,
  searchRuns: 20,
  rowBudgetMs: 20_000,
  minRuns: 3,
  statsRuns: 10,
  exportRuns: 3,
  docxQuotes: 5000,
  startRuns: 3,
  importFiles: 10,
  importWords: 8000,
  baselineCodings: 1000,
  clientRuns: 5,
  clientWords: 20_000,
  clientCodings: 2000,
};

export const SMOKE: Profile = {
  smoke: true,
  writeRequests: 10,
  concurrentCoders: 20,
  concurrentSeconds: 1.5,
  pgCoders: 4,
  searchRuns: 2,
  rowBudgetMs: 2_000,
  minRuns: 1,
  statsRuns: 2,
  exportRuns: 1,
  docxQuotes: 50,
  startRuns: 1,
  importFiles: 1,
  importWords: 800,
  baselineCodings: 100,
  clientRuns: 1,
  clientWords: 1500,
  clientCodings: 100,
};
