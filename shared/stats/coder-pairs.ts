/**
 * Which two coders to compare first: the pair who coded the most documents in common (agreement is
 * computed over the documents both coded), then the pair with the most codings between them.
 */
import type { UserId } from '../ids.ts';
import type { Coding } from '../model.ts';

export interface CoderPair {
  readonly coders: readonly [UserId, UserId];
  /** Documents both coded at least once. */
  readonly documents: number;
  /** Codings the two made in those documents. */
  readonly codings: number;
}

/**
 * Every pair of coders who share at least one coded document, most shared documents first (then
 * most codings, then ids, so the order is stable).
 * @example coderPairs(codings)[0] → { coders: ['a', 'b'], documents: 4, codings: 57 }
 */
export function coderPairs(codings: readonly Coding[]): CoderPair[] {
  // coder → document → codings there
  const byCoder = new Map<UserId, Map<string, number>>();
  for (const c of codings) {
    const documents = byCoder.get(c.coderId) ?? new Map<string, number>();
    documents.set(c.documentId, (documents.get(c.documentId) ?? 0) + 1);
    byCoder.set(c.coderId, documents);
  }
  const coders = [...byCoder.keys()].sort();
  const pairs: CoderPair[] = [];
  for (let i = 0; i < coders.length; i++) {
    for (let j = i + 1; j < coders.length; j++) {
      const a = coders[i] as UserId;
      const b = coders[j] as UserId;
      const left = byCoder.get(a) as Map<string, number>;
      const right = byCoder.get(b) as Map<string, number>;
      let documents = 0;
      let shared = 0;
      for (const [documentId, count] of left) {
        const other = right.get(documentId);
        if (other === undefined) continue;
        documents++;
        shared += count + other;
      }
      if (documents > 0) pairs.push({ coders: [a, b], documents, codings: shared });
    }
  }
  return pairs.sort(
    (x, y) =>
      y.documents - x.documents ||
      y.codings - x.codings ||
      x.coders[0].localeCompare(y.coders[0]) ||
      x.coders[1].localeCompare(y.coders[1]),
  );
}
