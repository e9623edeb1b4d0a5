import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { encodeSnapshot } from '../../../server/storage/pg-snapshots.ts';
import { writeFileDurable } from '../../../server/storage/durable-file.ts';
import { frozenView, stringifyInPieces } from '../../../server/storage/sliced-json.ts';

/** The JSON the pieces make. */
const joined = async (...args: Parameters<typeof stringifyInPieces>) =>
  (await stringifyInPieces(...args)).join('');

describe('stringifyInPieces, joined', () => {
  it('writes what JSON.stringify writes, once parsed (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.integer({ min: 0, max: 4 }), async (value, depth) => {
        const json = await joined(value, 0, depth);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('leaves out undefined entries of objects and writes null for those of arrays, as JSON.stringify does', async () => {
    const value = { a: 1, b: undefined, c: { d: undefined, e: 'é' }, f: [1, undefined, [2, { g: 3 }]] };
    expect(await joined(value)).toBe('{"a":1,"c":{"e":"é"},"f":[1,null,[2,{"g":3}]]}');
    expect(await joined(value)).toBe(JSON.stringify(value));
  });

  it('lets other work run while a big object is written', async () => {
    const codings = Object.fromEntries(
      Array.from({ length: 20_000 }, (_, i) => [`c${i}`, { start: i, end: i + 5, text: 'la billetterie' }]),
    );
    let ranMeanwhile = 0;
    const ticker = setInterval(() => ranMeanwhile++, 0);
    const json = await joined({ seq: 1, state: { codings } }, 1);
    clearInterval(ticker);
    expect(ranMeanwhile).toBeGreaterThan(0);
    expect(Object.keys(JSON.parse(json).state.codings)).toHaveLength(20_000);
  });
});

describe('stringifyInPieces', () => {
  it('cuts a big state into pieces of about a megabyte that, written one after the other, make its JSON', async () => {
    const codings = Object.fromEntries(
      Array.from({ length: 30_000 }, (_, i) => [
        `c${i}`,
        { start: i, end: i + 5, text: `« la billetterie » n°${i}, l’équipe` },
      ]),
    );
    const value = { seq: 3, state: { codings } };
    const pieces = await stringifyInPieces(value);
    const expected = JSON.stringify(value);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.slice(0, -1).every((p) => p.length >= 1 << 20 && p.length < (1 << 20) + 200)).toBe(true);
    expect(pieces.join('')).toBe(expected);
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-pieces-'));
    try {
      await writeFileDurable(join(dir, 'project.json'), pieces);
      expect(await readFile(join(dir, 'project.json'), 'utf8')).toBe(expected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // As PostgreSQL stores a snapshot: gzipped from the pieces, the same JSON once unzipped.
    expect(gunzipSync(await encodeSnapshot(pieces)).toString('utf8')).toBe(expected);
  });
});

describe('frozenView', () => {
  it('does not show entries added, replaced or removed afterwards in the top-level records', () => {
    const state = { seq: 1, codings: { a: { start: 0 } } as Record<string, { start: number }>, list: [1] };
    const view = frozenView(state);
    state.codings.b = { start: 5 };
    state.codings.a = { start: 9 };
    delete state.codings.b;
    state.seq = 2;
    expect(view).toEqual({ seq: 1, codings: { a: { start: 0 } }, list: [1] });
  });
});
