/**
 * Export routes as a script sees them: the replacement list and its suggestions, the anonymised
 * view's spans, the report preview, and who may export real names.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flattenThemes, selectReport } from '../../server/export/selection.ts';
import { exportOptionsOf } from '../../server/http/export-options.ts';
import { ExportQuery } from '../../shared/queries.ts';
import type { ProjectId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import { download, loadFixtureProject } from '../server/export/fixture.ts';
import { startWorld, type World } from './setup.ts';

let world: World;
let base: string;
let pid: string;
beforeEach(async () => {
  world = await startWorld();
  ({ base, pid } = await loadFixtureProject(world.admin, { replacements: false }));
});
afterEach(async () => {
  await world.server.stop();
});

async function member(role: 'coder' | 'viewer') {
  const user = await world.user(role);
  await world.admin.put(`${base}/members/${user.id}`, { role });
  return user.client;
}

describe('the replacement list', () => {
  it('starts empty, is replaced as a whole by the lead, and is undone as one change', async () => {
    expect((await world.admin.get(`${base}/replacements`)).body).toEqual({ replacements: [] });
    const put = await world.admin.put(`${base}/replacements`, {
      replacements: [
        { from: '  Théâtre des   Lilas ', to: '[théâtre A]' },
        { from: 'Hélène', to: 'P07' },
      ],
    });
    expect(put.status).toBe(200);
    expect(put.body.replacements).toEqual([
      { from: 'Théâtre des Lilas', to: '[théâtre A]' },
      { from: 'Hélène', to: 'P07' },
    ]);
    const events = (await world.admin.get(`${base}/events?after=0`)).body.events as { type: string }[];
    expect(events.filter((e) => e.type === 'replacements_set')).toHaveLength(1);
    expect((await world.admin.post(`${base}/undo`)).status).toBe(200);
    expect((await world.admin.get(`${base}/replacements`)).body.replacements).toEqual([]);
  });

  it('refuses empty entries (400), names given twice once folded (409), and non-leads (403)', async () => {
    const empty = await world.admin.put(`${base}/replacements`, { replacements: [{ from: '', to: 'P01' }] });
    expect(empty.status).toBe(400);
    const twice = await world.admin.put(`${base}/replacements`, {
      replacements: [
        { from: 'Hélène', to: 'P07' },
        { from: 'HELENE', to: 'P08' },
      ],
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('duplicate_name');
    const unknownField = await world.admin.put(`${base}/replacements`, {
      replacements: [{ from: 'Hélène', to: 'P07', note: 'x' }],
    });
    expect(unknownField.status).toBe(400);
    const coder = await member('coder');
    expect((await coder.put(`${base}/replacements`, { replacements: [] })).status).toBe(403);
    expect((await coder.get(`${base}/replacements`)).status).toBe(200);
  });

  it('suggests names found in the transcripts, with counts, without those already listed', async () => {
    await world.admin.put(`${base}/replacements`, { replacements: [{ from: 'Hélène', to: 'P07' }] });
    const res = await world.admin.get(`${base}/replacements/suggestions`);
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(
      (res.body.suggestions as { from: string; contexts: string[] }[]).map((s) => [s.from, s]),
    );
    expect(byName['Théâtre des Lilas']).toMatchObject({
      count: 1,
      sources: ['text'],
      kind: 'organisation',
      to: '[structure A]',
    });
    expect(byName['Théâtre des Lilas']?.contexts).toEqual([
      '…: Je suis responsable billetterie au Théâtre des Lilas depuis six ans ; avant, j’étais chez…',
    ]);
    // Participants' names are replaced by their pseudonyms without being listed: no suggestion.
    expect(byName['Camille Martin']).toBeUndefined();
    expect(byName['Hélène']).toBeUndefined();
    expect(byName['Martine']).toMatchObject({ sources: ['text'], kind: 'person', to: '[prénom 1]' });
  });
});

describe('GET …/documents/:documentId/replacements', () => {
  it('gives the spans to replace, in code points of the stored text', async () => {
    await world.admin.put(`${base}/replacements`, {
      replacements: [{ from: 'Théâtre des Lilas', to: '[théâtre A]' }],
    });
    const documents = (await world.admin.get(`${base}/documents`)).body.documents as {
      id: string;
      name: string;
    }[];
    const id = documents.find((d) => d.name === 'entretien-theatre.txt')?.id as string;
    const text = (await world.admin.get(`${base}/documents/${id}`)).body.text as string;
    const res = await world.admin.get(`${base}/documents/${id}/replacements`);
    expect(res.status).toBe(200);
    const points = Array.from(text);
    const replaced = (res.body.spans as { start: number; end: number; replacement: string }[]).map(
      (s) => `${points.slice(s.start, s.end).join('')} → ${s.replacement}`,
    );
    expect(replaced).toEqual([
      'Camille Martin → P03',
      'Théâtre des Lilas → [théâtre A]',
      'Camille Martin → P03',
      'Hélène Dubœuf → P07',
      // The first name alone, after an elided article, is the participant's too.
      'd’Hélène → de P07',
      'Camille Martin → P03',
      'théâtre   des\nLilas → [théâtre A]',
      'CAMILLE MARTIN → P03',
    ]);
    expect((await world.admin.get(`${base}/documents/${pid}/replacements`)).status).toBe(404);
  });
});

describe('GET …/exports/report-preview', () => {
  it('counts themes, quotes and participants with the report’s filters', async () => {
    const codes = Object.fromEntries(
      (await world.admin.get(`${base}/codes`)).body.codes.map((c: { name: string; id: string }) => [
        c.name,
        c.id,
      ]),
    );
    const all = await world.admin.get(`${base}/exports/report-preview`);
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ themes: 4, quotes: 5, passages: 5, participants: 2 });
    const one = await world.admin.get(
      `${base}/exports/report-preview?codes=${codes['Interopérabilité']}&maxPerCode=1&type%20de%20structure=Th%C3%A9%C3%A2tre`,
    );
    expect(one.body).toMatchObject({ themes: 1, quotes: 1, passages: 2, participants: 1 });
    expect(one.body.perTheme).toEqual([
      expect.objectContaining({ name: 'Interopérabilité', passages: 2, quotes: 1, participants: 1 }),
    ]);
    const bad = await world.admin.get(`${base}/exports/report-preview?sort=alphabet`);
    expect(bad.status).toBe(400);
  });

  it('counts what the report would hold without reading or writing its quotes', async () => {
    const store = world.server.store;
    const readText = store.readText.bind(store);
    let reads = 0;
    store.readText = (...args) => {
      reads++;
      return readText(...args);
    };
    for (const query of ['', '?sort=length&maxPerCode=2', '?attribute=type%20de%20structure&maxPerCode=1']) {
      reads = 0;
      const preview = await world.admin.get(`${base}/exports/report-preview${query}`);
      expect(preview.status).toBe(200);
      expect(reads).toBe(0);
      // The same counts as the selection with its quotes written, theme by theme.
      const state = await store.readProject(pid as ProjectId);
      const parsed = ExportQuery.parse(Object.fromEntries(new URLSearchParams(query)));
      const options = exportOptionsOf(state as ProjectState, parsed);
      const written = await selectReport(state as ProjectState, { ...options, pseudonymise: true }, (d) =>
        readText(pid as ProjectId, d),
      );
      expect(preview.body).toMatchObject(written.counts);
      const themes = flattenThemes(written.themes).filter((t) => t.selected);
      expect(preview.body.perTheme.map((t: { quotes: number }) => t.quotes)).toEqual(
        themes.map((t) => t.quotes.length),
      );
    }
  });
});

describe('exporting with real names', () => {
  it('is refused to coders and viewers (403), for every format', async () => {
    for (const role of ['coder', 'viewer'] as const) {
      const client = await member(role);
      for (const file of ['report.docx', 'codings.csv', 'codings.xlsx']) {
        const res = await client.get(`${base}/exports/${file}?pseudonymise=false`);
        expect(res.status, `${role} ${file}`).toBe(403);
      }
      expect((await download(`${world.server.url}${base}/exports/report.docx`, client)).status).toBe(200);
    }
  });

  it('is allowed to the lead, shows the names, and is recorded in the log (not undoable)', async () => {
    const csv = await world.admin.get(`${base}/exports/codings.csv?pseudonymise=false&delimiter=comma`);
    expect(csv.status).toBe(200);
    expect(String(csv.body)).toContain('Camille Martin');
    expect(String(csv.body).split('\r\n')[0]).toContain('nom du participant');
    const events = (await world.admin.get(`${base}/events?after=0`)).body.events as {
      type: string;
      format?: string;
      filters?: Record<string, string[]>;
    }[];
    const recorded = events.filter((e) => e.type === 'export_with_real_names');
    expect(recorded).toEqual([
      expect.objectContaining({ format: 'csv', filters: { pseudonymise: ['false'], delimiter: ['comma'] } }),
    ]);
    const history = (await world.admin.get(`${base}/history`)).body;
    expect(JSON.stringify(history)).not.toContain('export_with_real_names');
  });
});
