/**
 * The audit trail: every change, newest first, filtered by person, kind and dates, paged, as CSV;
 * real-name exports and erasures for leads only; undo names the change it reverses.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../helpers/server.ts';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
let base: string;
let docId: string;
let coder: Client;
let coderId: string;
let adminId: string;

beforeAll(async () => {
  world = await startWorld();
  ({ base, docId } = await projectWithDocument(world.admin, 'Camille : on ressaisit tout, deux fois.'));
  ({ client: coder, id: coderId } = await world.user('nadia'));
  await world.admin.put(`${base}/members/${coderId}`, { role: 'coder' });
  adminId = (await world.admin.get('/api/auth/me')).body.user.id;
  const code = (await world.admin.post(`${base}/codes`, { name: 'Ressaisie' })).body.id as string;
  await coder.post(`${base}/codings`, { documentId: docId, codeId: code, start: 10, end: 30 });
  await world.admin.patch(`${base}/documents/${docId}`, { name: 'Entretien 3' });
  await world.admin.request('GET', `${base}/exports/codings.csv?pseudonymise=false`);
}, 60_000);
afterAll(async () => {
  await world.server.stop();
});

type Entry = { seq: number; type: string; userId: string; at: string };

describe('GET …/audit', () => {
  it('lists every change newest first, with the real-name export for the lead', async () => {
    const res = await world.admin.get(`${base}/audit`);
    expect(res.status).toBe(200);
    const types = (res.body.entries as Entry[]).map((e) => e.type);
    expect(types.slice(0, 4)).toEqual([
      'export_with_real_names',
      'document_updated',
      'coding_created',
      'code_created',
    ]);
    const seqs = (res.body.entries as Entry[]).map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(res.body.next).toBeNull();
  });

  it('hides real-name exports from a coder, and filters by person, kind and dates', async () => {
    const seen = (await coder.get(`${base}/audit`)).body.entries as Entry[];
    expect(seen.map((e) => e.type)).not.toContain('export_with_real_names');
    expect(seen.length).toBeGreaterThan(0);
    const mine = (await world.admin.get(`${base}/audit?userId=${coderId}`)).body.entries as Entry[];
    expect(mine.map((e) => e.type)).toEqual(['coding_created']);
    const documents = (await world.admin.get(`${base}/audit?kind=document`)).body.entries as Entry[];
    expect(documents.map((e) => e.type)).toEqual(['document_updated', 'document_added']);
    const today = new Date().toISOString().slice(0, 10);
    expect(
      ((await world.admin.get(`${base}/audit?from=${today}&to=${today}`)).body.entries as Entry[]).length,
    ).toBe((await world.admin.get(`${base}/audit`)).body.entries.length);
    expect((await world.admin.get(`${base}/audit?to=2000-01-01`)).body.entries).toEqual([]);
    expect((await world.admin.get(`${base}/audit?kind=export&userId=${adminId}`)).body.entries).toHaveLength(
      1,
    );
  });

  it('pages with before/next, without gaps or repeats', async () => {
    const all = ((await world.admin.get(`${base}/audit?limit=500`)).body.entries as Entry[]).map(
      (e) => e.seq,
    );
    const paged: number[] = [];
    let before: number | null = null;
    do {
      const page = await world.admin.get(`${base}/audit?limit=2${before ? `&before=${before}` : ''}`);
      paged.push(...(page.body.entries as Entry[]).map((e) => e.seq));
      before = page.body.next;
    } while (before !== null);
    expect(paged).toEqual(all);
  });

  it('refuses bad filters with 400 naming them, and non-members with 404', async () => {
    const kind = await world.admin.get(`${base}/audit?kind=everything`);
    expect(kind.status).toBe(400);
    expect(JSON.stringify(kind.body)).toContain('kind');
    expect((await world.admin.get(`${base}/audit?from=12/03/2026`)).status).toBe(400);
    const { client: outsider } = await world.user('dehors');
    expect((await outsider.get(`${base}/audit`)).status).toBe(404);
  });

  it('downloads the filtered trail as CSV, a row per change', async () => {
    const res = await fetch(`${world.server.url}${base}/audit/export.csv?kind=document`, {
      headers: { cookie: world.admin.cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('historique.csv');
    const rows = Papa.parse<string[]>((await res.text()).replace(/^\uFEFF/u, ''), {
      skipEmptyLines: true,
    }).data;
    expect(rows[0]).toEqual([
      'n°',
      'date',
      'personne',
      'genre',
      'type',
      'document',
      'codes',
      'annulation',
      'note',
    ]);
    expect(rows.slice(1).map((r) => [r[3], r[4], r[5]])).toEqual([
      ['document', 'document_updated', 'Entretien 3'],
      ['document', 'document_added', 'Entretien 3'],
    ]);
  });
});

describe('undo and redo', () => {
  it('answer with the change they reverse, so that it can be named', async () => {
    const undone = await coder.post(`${base}/undo`);
    expect(undone.status).toBe(200);
    expect(undone.body.change.map((e: Entry) => e.type)).toEqual(['coding_created']);
    const redone = await coder.post(`${base}/redo`);
    expect(redone.status).toBe(200);
    expect(redone.body.change.map((e: Entry) => e.type)).toEqual(['coding_created']);
    const trail = (await coder.get(`${base}/audit?userId=${coderId}`)).body.entries as (Entry & {
      undoOf?: number;
      redoOf?: number;
    })[];
    expect(trail.map((e) => [e.type, e.undoOf !== undefined, e.redoOf !== undefined])).toEqual([
      ['coding_created', false, true],
      ['coding_deleted', true, false],
      ['coding_created', false, false],
    ]);
  });
});
