/**
 * Names people choose become keys: attribute names (and their values, as crosstab columns). A name
 * such as `constructor`, `__proto__` or `toString` must behave like any other: never read as one
 * of Object's members (« function Object() » in a crosstab or a CSV, a .qdpx export that fails),
 * never dropped (an assignment to `__proto__` sets a prototype instead of a value).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyProjectEvent,
  emptyProjectState,
  type ProjectEvent,
  type ProjectEventBody,
} from '../../../shared/events.ts';
import {
  newId,
  type CodeId,
  type CodingId,
  type DocumentId,
  type ProjectId,
  type UserId,
} from '../../../shared/ids.ts';
import type { ProjectState } from '../../../shared/model.ts';
import { planParticipantImport } from '../../../shared/participants.ts';
import { countFrequencies } from '../../../shared/stats/frequencies.ts';
import { toCsv } from '../../../server/export/csv.ts';
import { rowCells, selectCodingRows } from '../../../server/export/coding-rows.ts';
import { exportOptionsOf } from '../../../server/http/export-options.ts';
import { ExportQuery } from '../../../shared/queries.ts';
import { foldForComparison } from '../../../shared/text.ts';
import { buildProjectXml } from '../../../server/refi/export-project.ts';

/** Names that are members of every plain object (or its prototype's accessors). */
const HOSTILE = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
];

const name = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.stringMatching(/^[a-zé]{1,8}$/) },
);

const USER = newId<UserId>();
const AT = '2026-12-03T08:00:00.000Z';

/** A project with two documents, one code coding both, as events folded into a state. */
function aProject(): { state: ProjectState; documents: [DocumentId, DocumentId] } {
  const id = newId<ProjectId>();
  const state = emptyProjectState(id);
  let seq = 0;
  const apply = (body: ProjectEventBody) => {
    seq++;
    applyProjectEvent(state, { ...body, seq, txn: seq, at: AT, userId: USER } as ProjectEvent);
  };
  apply({
    type: 'project_created',
    project: { id, name: 'Noms hostiles', description: '', createdAt: AT, createdBy: USER },
    members: { [USER]: 'lead' },
  } as ProjectEventBody);
  const documents = [newId<DocumentId>(), newId<DocumentId>()] as [DocumentId, DocumentId];
  const codeId = newId<CodeId>();
  apply({
    type: 'code_created',
    code: {
      id: codeId,
      name: 'Thème',
      parentId: null,
      color: '#3cb44b',
      description: '',
      createdAt: AT,
      createdBy: USER,
      version: 1,
    },
  });
  documents.forEach((documentId, i) => {
    apply({
      type: 'document_added',
      document: {
        id: documentId,
        name: `entretien-${i + 1}.txt`,
        length: 20,
        memo: '',
        createdAt: AT,
        createdBy: USER,
        format: 'txt',
        encoding: 'utf-8',
        turns: [],
        participantId: null,
      },
    });
    apply({
      type: 'coding_created',
      coding: {
        id: newId<CodingId>(),
        documentId,
        codeId,
        start: 0,
        end: 5,
        text: 'Bonjo',
        coderId: USER,
        createdAt: AT,
        memo: '',
      },
    });
  });
  return { state, documents };
}

/**
 * Two participants from a CSV table whose attribute columns are `first` and `second`: Alice has a
 * value only for `first`, Bruno only for `second`.
 */
function withParticipants(first: string, second: string, values: [string, string]) {
  const { state } = aProject();
  let seq = state.seq;
  const { events, report } = planParticipantImport(
    state,
    ['fichier', 'participant', first, second],
    [
      ['entretien-1.txt', 'Alice', values[0], ''],
      ['entretien-2.txt', 'Bruno', '', values[1]],
    ],
    USER,
    AT,
  );
  expect(report.errors).toEqual([]);
  for (const body of events) {
    seq++;
    applyProjectEvent(state, { ...body, seq, txn: seq, at: AT, userId: USER } as ProjectEvent);
  }
  const byName = Object.fromEntries(Object.values(state.participants).map((p) => [p.name, p]));
  return { state, alice: byName.Alice, bruno: byName.Bruno };
}

// Two attributes whose names differ as the project tells names apart: without case or accents
// (« eéé » and « ééé » name one attribute).
const twoNames = fc
  .uniqueArray(name, { minLength: 2, maxLength: 2, selector: (n) => foldForComparison(n) })
  .map(([a, b]) => [a, b] as [string, string]);
const twoValues = fc.tuple(name, name);

describe('hostile attribute names and values', () => {
  it('are kept as own values by a participants import, never set as a prototype', () => {
    fc.assert(
      fc.property(twoNames, twoValues, ([first, second], values) => {
        const { alice, bruno } = withParticipants(first, second, values);
        expect(Object.keys(alice?.attributes ?? {})).toEqual([first]);
        expect(Object.hasOwn(alice?.attributes ?? {}, first)).toBe(true);
        expect(alice?.attributes[first]).toBe(values[0]);
        expect(Object.keys(bruno?.attributes ?? {})).toEqual([second]);
        expect(bruno?.attributes[second]).toBe(values[1]);
        // The state as either store reads it back: JSON.
        const reread = JSON.parse(JSON.stringify(alice)) as typeof alice;
        expect(reread?.attributes).toEqual({ [first]: values[0] });
      }),
    );
  });

  it('give crosstabs whose columns are the values found, and nothing inherited', () => {
    fc.assert(
      fc.property(twoNames, twoValues, ([first, second], values) => {
        const { state } = withParticipants(first, second, values);
        const documents = Object.values(state.documents);
        const attribute = state.attributes.find((a) => a.name === first);
        expect(attribute).toBeDefined();
        // Through JSON, as the server sends it and the client reads it.
        const table = JSON.parse(
          JSON.stringify(countFrequencies(state, documents, Object.values(state.codings), attribute)),
        ) as ReturnType<typeof countFrequencies>;
        expect(table.crosstab?.columns.map((c) => c.value)).toEqual([values[0]]);
        const row = table.rows[0];
        expect(Object.keys(row?.byValue ?? {})).toEqual([values[0]]);
        expect(row?.byValue?.[values[0]]?.codings).toBe(1);
        expect(JSON.stringify(table)).not.toMatch(/function|\[native code\]/);
      }),
    );
  });

  it('give a CSV export with each participant’s own values and empty cells elsewhere', () => {
    fc.assert(
      fc.property(twoNames, twoValues, ([first, second], values) => {
        const { state } = withParticipants(first, second, values);
        const options = exportOptionsOf(state, ExportQuery.parse({ pseudonymise: 'false' }));
        const { header, rows } = selectCodingRows(state, options, () => 'Codeuse');
        expect(header).toEqual(expect.arrayContaining([first, second]));
        const cells = rows.map(rowCells);
        const at = (column: string) => header.indexOf(column);
        const alice = cells.find((r) => r.includes('Alice'));
        const bruno = cells.find((r) => r.includes('Bruno'));
        expect([alice?.[at(first)], alice?.[at(second)]]).toEqual([values[0], '']);
        expect([bruno?.[at(first)], bruno?.[at(second)]]).toEqual(['', values[1]]);
        expect(toCsv([header, ...cells])).not.toMatch(/function|\[native code\]/);
      }),
    );
  });

  it('give a .qdpx project whose cases hold their own values only', () => {
    fc.assert(
      fc.property(twoNames, twoValues, ([first, second], values) => {
        const { state } = withParticipants(first, second, values);
        const xml = buildProjectXml(state, {}, new Set());
        expect(xml).not.toMatch(/function|\[native code\]/);
        const variables = [...xml.matchAll(/<Variable [^>]*name="([^"]*)"/g)].map((m) => m[1]);
        expect(variables).toEqual([first, second]);
        const cases = [...xml.matchAll(/<Case [^>]*>([\s\S]*?)<\/Case>/g)].map((m) => m[1] ?? '');
        expect(cases).toHaveLength(2);
        for (const body of cases) expect(body.match(/<VariableValue/g)).toHaveLength(1);
      }),
    );
  });
});
