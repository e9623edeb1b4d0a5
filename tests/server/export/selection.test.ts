/**
 * The report's selection writes only the quotes it shows: with `maxPerCode`, the texts of the
 * documents none of whose passages is shown are not read, whatever the counts say.
 */
import { describe, expect, it } from 'vitest';
import { emptyProjectState } from '../../../shared/events.ts';
import type { CodeId, CodingId, DocumentId, ProjectId, UserId } from '../../../shared/ids.ts';
import type { ProjectState } from '../../../shared/model.ts';
import { ExportQuery } from '../../../shared/queries.ts';
import { exportOptionsOf } from '../../../server/http/export-options.ts';
import { selectReport } from '../../../server/export/selection.ts';

const coder = 'u1' as UserId;
const code = 'c1' as CodeId;

/** Six one-turn interviews, each with one coded passage, the longest in the fourth. */
function study(): { state: ProjectState; texts: Map<string, string> } {
  const state = emptyProjectState('p1' as ProjectId);
  state.codes[code] = {
    id: code,
    name: 'Redondance de saisie',
    parentId: null,
    color: '#1f77b4',
    description: '',
    createdAt: '2025-01-01T00:00:00.000Z',
    createdBy: coder,
    version: 1,
  };
  const texts = new Map<string, string>();
  for (let i = 0; i < 6; i++) {
    const id = `d${i}` as DocumentId;
    const said =
      i === 3 ? 'On ressaisit tout, chaque soir, dans trois logiciels différents.' : `Réponse ${i}.`;
    const text = `Camille : ${said}`;
    texts.set(id, text);
    const length = [...text].length;
    state.documents[id] = {
      id,
      name: `entretien-${i}.txt`,
      length,
      memo: '',
      createdAt: '2025-01-01T00:00:00.000Z',
      createdBy: coder,
      format: 'txt',
      encoding: 'utf-8',
      turns: [{ speaker: 'Camille', start: 0, end: length }],
      participantId: null,
    };
    const codingId = `k${i}` as CodingId;
    state.codings[codingId] = {
      id: codingId,
      documentId: id,
      codeId: code,
      start: 10,
      end: length,
      text: [...text].slice(10).join(''),
      coderId: coder,
      createdAt: '2025-01-01T00:00:00.000Z',
      memo: '',
    };
  }
  return { state, texts };
}

async function select(query: Record<string, string>) {
  const { state, texts } = study();
  const read: string[] = [];
  const options = exportOptionsOf(state, ExportQuery.parse(query));
  const selection = await selectReport(state, options, async (id) => {
    read.push(id);
    return texts.get(id) as string;
  });
  return { theme: selection.themes[0], counts: selection.counts, read };
}

describe('selectReport with maxPerCode', () => {
  it('counts every passage but reads only the texts of the quotes it shows', async () => {
    const { theme, counts, read } = await select({ maxPerCode: '2', pseudonymise: 'false' });
    expect(theme?.total).toBe(6);
    expect(counts).toMatchObject({ quotes: 2, passages: 6 });
    expect(theme?.quotes.map((q) => q.documentId)).toEqual(['d0', 'd1']);
    expect(read.sort()).toEqual(['d0', 'd1']);
  });

  it('by length, still picks the longest passages (their texts are needed to sort)', async () => {
    const { theme } = await select({ maxPerCode: '1', sort: 'length', pseudonymise: 'false' });
    expect(theme?.quotes.map((q) => q.text)).toEqual([
      'On ressaisit tout, chaque soir, dans trois logiciels différents.',
    ]);
  });
});
