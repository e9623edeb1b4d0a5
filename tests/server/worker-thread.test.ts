// @vitest-environment node
/**
 * Threads started from a module compiled once per process into one script: the script is built
 * once, holds the module and all it imports (no TypeScript left to compile as the thread loads),
 * and the thread runs it as the module itself would run.
 */
import { describe, expect, it } from 'vitest';
import { compileWorker, startCompiledWorker } from '../../server/worker-thread.ts';

describe('compiled worker threads', () => {
  it('compiles a module once, with what it imports, into a script a thread runs', async () => {
    const first = compileWorker('search/build-worker.ts');
    expect(compileWorker('search/build-worker.ts')).toBe(first);
    const code = await first;
    expect(typeof code).toBe('string');
    // The stemmer package and the shared modules are inside; nothing is left to load but Node's own.
    expect(code).toContain('newStemmer');
    expect(code).not.toMatch(/require\("(?!node:)[^"]*"\)/);
    expect(code).not.toMatch(/\.ts"\)/);

    const worker = await startCompiledWorker('search/build-worker.ts');
    try {
      const answer = new Promise<unknown>((done, fail) => {
        worker.once('message', done);
        worker.once('error', fail);
      });
      worker.postMessage({ seq: 4 });
      const columns = ((await answer) as { columns: { documents: string[]; terms: string[] } }).columns;
      expect(columns.documents).toEqual([]);
      expect(columns.terms).toEqual([]);
    } finally {
      await worker.terminate();
    }
  });

  it('says so, and gives nothing, for a module that cannot be compiled', async () => {
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      expect(await compileWorker('search/no-such-module.ts')).toBeUndefined();
    } finally {
      console.warn = warn;
    }
    expect(warnings).toHaveLength(1);
  });
});
