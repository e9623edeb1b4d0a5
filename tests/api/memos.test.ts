/** Every memo of a project in one list: documents', codes' definitions, codings'; searched, filtered, as CSV. */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
let base: string;
let docId: string;

beforeAll(async () => {
  world = await startWorld();
  ({ base, docId } = await projectWithDocument(
    world.admin,
    'Camille : on ressaisit tout, deux fois, à la main.',
  ));
  await world.admin.patch(`${base}/documents/${docId}`, {
    memo: 'Entretien réalisé au théâtre, bruit de fond.',
  });
  const code = (
    await world.admin.post(`${base}/codes`, {
      name: 'Ressaisie',
      description: 'Saisir deux fois la même donnée.',
    })
  ).body.id;
  await world.admin.post(`${base}/codes`, { name: 'Coûts' });
  await world.admin.post(`${base}/codings`, {
    documentId: docId,
    codeId: code,
    start: 10,
    end: 22,
    memo: 'À relier à la billetterie.',
  });
  await world.admin.post(`${base}/codings`, { documentId: docId, codeId: code, start: 28, end: 37 });
}, 60_000);
afterAll(async () => {
  await world.server.stop();
});

type Memo = { kind: string; text: string; quote?: string; codeName?: string; documentName?: string };

describe('GET …/memos', () => {
  it('lists every non-empty memo: the document’s, the code’s definition, the coding’s with its passage', async () => {
    const res = await world.admin.get(`${base}/memos`);
    expect(res.status).toBe(200);
    expect((res.body.memos as Memo[]).map((m) => [m.kind, m.text])).toEqual([
      ['document', 'Entretien réalisé au théâtre, bruit de fond.'],
      ['code', 'Saisir deux fois la même donnée.'],
      ['coding', 'À relier à la billetterie.'],
    ]);
    const coding = (res.body.memos as Memo[])[2] as Memo;
    expect(coding).toMatchObject({
      quote: 'on ressaisit',
      codeName: 'Ressaisie',
      documentName: 'entretien.txt',
    });
  });

  it('searches without regard to accents or case, and filters by kind', async () => {
    const found = (await world.admin.get(`${base}/memos?q=THEATRE`)).body.memos as Memo[];
    expect(found.map((m) => m.kind)).toEqual(['document']);
    const byPassage = (await world.admin.get(`${base}/memos?q=ressaisit`)).body.memos as Memo[];
    expect(byPassage.map((m) => m.kind)).toEqual(['coding']);
    expect(
      ((await world.admin.get(`${base}/memos?kind=code`)).body.memos as Memo[]).map((m) => m.text),
    ).toEqual(['Saisir deux fois la même donnée.']);
    expect((await world.admin.get(`${base}/memos?kind=journal`)).body.memos).toEqual([]);
    expect((await world.admin.get(`${base}/memos?kind=carnet`)).status).toBe(400);
  });

  it('downloads the list as CSV, and answers 404 to a non-member', async () => {
    const res = await fetch(`${world.server.url}${base}/memos/export.csv?kind=coding`, {
      headers: { cookie: world.admin.cookie },
    });
    expect(res.status).toBe(200);
    const rows = Papa.parse<string[]>((await res.text()).replace(/^\uFEFF/u, ''), {
      skipEmptyLines: true,
    }).data;
    expect(rows[0]).toEqual([
      'sur',
      'jour',
      'titre',
      'document',
      'code',
      'passage',
      'mémo',
      'auteur·rice',
      'date',
    ]);
    expect(rows.slice(1).map((r) => r.slice(0, 8))).toEqual([
      ['codage', '', '', 'entretien.txt', 'Ressaisie', 'on ressaisit', 'À relier à la billetterie.', 'admin'],
    ]);
    const { client: outsider } = await world.user('dehors');
    expect((await outsider.get(`${base}/memos`)).status).toBe(404);
  });
});
