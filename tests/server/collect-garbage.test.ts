/**
 * A full collection on demand (server/collect-garbage.ts), run between the phases of a large
 * .qdpx import so that the heap does not grow to four times what is alive.
 */
import { describe, expect, it } from 'vitest';
import { collectGarbage, collectionsRun, collectSoon } from '../../server/collect-garbage.ts';
import { COLLECT_FROM_XML_BYTES, collectorFor } from '../../server/refi/import-project.ts';

describe('collectGarbage', () => {
  it('gives back the memory of what is no longer reachable, at once', () => {
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    let garbage: { i: number; text: string }[] | undefined = Array.from({ length: 400_000 }, (_, i) => ({
      i,
      text: `entretien ${i}`,
    }));
    const held = process.memoryUsage().heapUsed;
    expect(held - before).toBeGreaterThan(20 << 20);
    expect(garbage.length).toBe(400_000);
    garbage = undefined;
    const ms = collectGarbage();
    expect(ms).toBeGreaterThanOrEqual(0);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan((held - before) / 4);
  });
});

describe('collectSoon', () => {
  it('runs one collection in the next turn, however many times it is asked in this one', async () => {
    const before = collectionsRun();
    collectSoon();
    collectSoon();
    collectSoon();
    expect(collectionsRun()).toBe(before);
    await new Promise((resolve) => setImmediate(resolve));
    expect(collectionsRun()).toBe(before + 1);
    collectSoon();
    await new Promise((resolve) => setImmediate(resolve));
    expect(collectionsRun()).toBe(before + 2);
  });
});

describe('collectorFor', () => {
  it('collects between the phases of a large import only', () => {
    expect(collectorFor(COLLECT_FROM_XML_BYTES)).toBe(collectGarbage);
    expect(collectorFor(50 << 20)).toBe(collectGarbage);
    const small = collectorFor(COLLECT_FROM_XML_BYTES - 1);
    expect(small).not.toBe(collectGarbage);
    expect(small()).toBe(0);
  });
});
