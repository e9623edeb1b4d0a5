/**
 * Long JSON answers are written in pieces (server/http/json-bytes.ts) for speed: the bytes must be
 * exactly those of `JSON.stringify`, whatever the answer holds.
 */
import { describe, expect, it } from 'vitest';
import { jsonBody, jsonBytes, RawJson } from '../../../server/http/json-bytes.ts';

const same = (value: unknown) => {
  const expected = JSON.stringify(value) as string | undefined;
  const bytes = jsonBytes(value);
  expect(bytes === undefined ? undefined : new TextDecoder().decode(bytes)).toBe(expected);
  if (bytes) expect(Buffer.from(bytes).equals(Buffer.from(expected ?? '', 'utf8'))).toBe(true);
};

const coding = (i: number) => ({
  id: `c-${i}`,
  start: i * 10,
  end: i * 10 + 7,
  createdAt: new Date(Date.UTC(2025, 1, 3, 9, 4, i % 60)),
  memo: i % 3 === 0 ? undefined : `« note ${i} » l’entretien 😀`,
});

describe('jsonBytes', () => {
  it('gives the bytes of JSON.stringify for a document view with many codings', () => {
    same({
      seq: 4,
      document: { id: 'd', text: 'Camille : « on ressaisit tout » — l’outil 😀\n'.repeat(2000), turns: [] },
      codings: Array.from({ length: 1336 }, (_, i) => coding(i)),
      codes: [{ id: 'k', name: 'redondance de saisie', count: 334 }],
      settings: { anonymise: true },
    });
  });

  it('follows JSON.stringify on what it leaves out, turns to null or converts', () => {
    const sparse: unknown[] = new Array(100);
    sparse[3] = 'trois';
    const longMixed = Array.from(
      { length: 80 },
      (_, i) =>
        [undefined, () => i, Symbol('s'), NaN, Infinity, null, -0, i, `x${i}`, { toJSON: () => `j${i}` }][
          i % 10
        ],
    );
    same({ a: undefined, b: () => 1, c: Symbol('c'), d: NaN, e: sparse, f: longMixed, g: new Map([[1, 2]]) });
    same(longMixed);
    same(sparse);
    same({ nested: { deeper: { list: Array.from({ length: 200 }, (_, i) => ({ i, u: undefined })) } } });
    same({ toJSON: () => ({ replaced: Array.from({ length: 100 }, (_, i) => i) }) });
    same(Object.assign(Object.create(null) as object, { list: Array.from({ length: 70 }, (_, i) => i) }));
    same({ list: Array.from({ length: 70 }, (_, i) => ({ when: new Date(i * 1000) })), [Symbol('k')]: 1 });
    same({ lone: '\ud800 et \udc00', list: Array.from({ length: 64 }, () => '\udfff') });
    same(undefined);
    same('texte');
    same(Array.from({ length: 5 }, (_, i) => i));
  });

  it('gives a large answer in a buffer of its own, and a later one is not changed by it', () => {
    const big = { list: Array.from({ length: 20_000 }, (_, i) => 'é'.repeat(100) + String(i)) };
    const first = jsonBytes(big);
    const small = { list: Array.from({ length: 100 }, (_, i) => i) };
    const second = jsonBytes(small);
    const other = { list: Array.from({ length: 100 }, (_, i) => -i - 1000) };
    const third = jsonBytes(other);
    expect(new TextDecoder().decode(first)).toBe(JSON.stringify(big));
    // Of its own size: not the three bytes per character a UTF-8 encoding may take at most.
    expect(first?.buffer.byteLength).toBe(first?.byteLength);
    expect(new TextDecoder().decode(second)).toBe(JSON.stringify(small));
    expect(new TextDecoder().decode(third)).toBe(JSON.stringify(other));
  });
});

describe('RawJson', () => {
  it('is set in the bytes as it is, and stands for its value anywhere else', () => {
    const raw = new RawJson<{ memo: string }>('{"memo":"« Camille » 😀"}');
    const answer = {
      codings: Array.from({ length: 100 }, (_, i) => (i % 2 ? raw : { memo: `${i}` })),
      one: raw,
    };
    expect(new TextDecoder().decode(jsonBytes(answer))).toBe(JSON.stringify(answer));
    expect(JSON.parse(JSON.stringify(answer)).one).toEqual({ memo: '« Camille » 😀' });
  });
});

describe('jsonBody', () => {
  it('keeps a short answer as text and gives a long one as bytes', () => {
    expect(jsonBody({ ok: true }, 1024)).toBe('{"ok":true}');
    const long = { text: 'x'.repeat(2000) };
    expect(new TextDecoder().decode(jsonBody(long, 1024) as Uint8Array)).toBe(JSON.stringify(long));
    const list = Array.from({ length: 64 }, (_, i) => i);
    expect(new TextDecoder().decode(jsonBody({ list }, 1024) as Uint8Array)).toBe(JSON.stringify({ list }));
  });
});
