/**
 * Rough timings of the review statistics at scale: 100,000 codings over 500 documents.
 * Not a test (nothing asserted on time): run by hand with
 *   node --import tsx tests/shared/stats/bench.ts
 */
import type { CodeId, CodingId, DocumentId, ParticipantId, UserId } from '../../../shared/ids.ts';
import type { Code, Coding, DocumentMeta, Participant } from '../../../shared/model.ts';
import { compareCoders } from '../../../shared/stats/agreement.ts';
import { countCooccurrence } from '../../../shared/stats/cooccurrence.ts';
import { codesInTreeOrder, countByCoder, countFrequencies } from '../../../shared/stats/frequencies.ts';
import { findPassages } from '../../../shared/stats/retrieve.ts';

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const DOCUMENTS = 500;
const LENGTH = 20_000;
const TURNS = 100;
const CODES = 60;
const CODINGS = 100_000;
const coders = ['a', 'b', 'c'].map((x) => `00000000-0000-4000-8000-00000000000${x}` as UserId);

const codes: Record<string, Code> = {};
for (let i = 0; i < CODES; i++) {
  const id = `code-${i}` as CodeId;
  codes[id] = {
    id,
    name: `Code ${i}`,
    parentId: i >= 10 ? (`code-${i % 10}` as CodeId) : null,
    color: '#000000',
    description: '',
    createdAt: '',
    createdBy: coders[0]!,
    version: 1,
  };
}
const participants: Record<string, Participant> = {};
const documents: DocumentMeta[] = [];
for (let d = 0; d < DOCUMENTS; d++) {
  const pid = `p-${d}` as ParticipantId;
  participants[pid] = {
    id: pid,
    name: pid,
    pseudonym: pid,
    attributes: { type: pick(['Festival', 'Théâtre', 'Compagnie']) },
    createdAt: '',
    createdBy: coders[0]!,
  };
  const step = LENGTH / TURNS;
  documents.push({
    id: `doc-${d}` as DocumentId,
    name: `doc-${d}`,
    length: LENGTH,
    memo: '',
    createdAt: '',
    createdBy: coders[0]!,
    format: 'txt',
    encoding: 'utf-8',
    turns: Array.from({ length: TURNS }, (_, t) => ({
      start: t * step,
      end: (t + 1) * step - 1,
      speaker: 'X',
    })),
    participantId: pid,
  });
}
const codings: Coding[] = [];
for (let i = 0; i < CODINGS; i++) {
  const start = Math.floor(random() * (LENGTH - 400));
  codings.push({
    id: `k-${i}` as CodingId,
    documentId: `doc-${Math.floor(random() * DOCUMENTS)}` as DocumentId,
    codeId: `code-${Math.floor(random() * CODES)}` as CodeId,
    start,
    end: start + 20 + Math.floor(random() * 380),
    text: '',
    coderId: pick(coders),
    createdAt: '',
    memo: '',
  });
}
const units = new Map(documents.map((d) => [d.id as string, d.turns]));
const order = codesInTreeOrder(codes).map((x) => x.code.id);
const attribute = { name: 'type', type: 'choice' as const, choices: ['Festival', 'Théâtre', 'Compagnie'] };

function time(label: string, run: () => unknown) {
  run(); // warm-up: the first run includes compilation
  const t0 = performance.now();
  run();
  console.info(`${label.padEnd(44)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms`);
}
console.info(`${CODINGS} codings, ${DOCUMENTS} documents × ${LENGTH} code points, ${CODES} codes, 3 coders`);
time('frequencies (with roll-ups)', () => countFrequencies({ codes, participants }, documents, codings));
time('frequencies + crosstab', () =>
  countFrequencies({ codes, participants }, documents, codings, attribute),
);
time('per coder', () => countByCoder(documents, codings));
time('co-occurrence, overlap', () => countCooccurrence(order, codings, 'overlap'));
time('co-occurrence, turn', () => countCooccurrence(order, codings, 'turn', units));
time('agreement, 2 coders, character', () =>
  compareCoders(coders.slice(0, 2), documents, codings, order, 'character'),
);
time('agreement, 3 coders, character', () => compareCoders(coders, documents, codings, order, 'character'));
time('agreement, 3 coders, turn', () => compareCoders(coders, documents, codings, order, 'turn', units));
time('retrieval, A and B', () => findPassages([order[3]!, order[4]!], 'and', documents, codings));
time('retrieval, A or B', () => findPassages([order[3]!, order[4]!], 'or', documents, codings));
time('retrieval, A not B', () => findPassages([order[3]!, order[4]!], 'not', documents, codings));
