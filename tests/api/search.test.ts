import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectIndex } from '../../server/search/project-index.ts';
import { startWorld, type World } from './setup.ts';

const ENTRETIEN_1 =
  'Enquêtrice : Comment gérez-vous la billetterie ?\n' +
  'Camille Martin : 😀 On ressaisit tout à la main. La double saisie, c’est notre quotidien ! ' +
  'Et l’accessibilité du site reste un problème.\n' +
  'Enquêtrice : Et le RGPD ?\n' +
  'Camille Martin : Ça, on fait ce qu’on peut. Les données sont partout.\n';
const ENTRETIEN_2 =
  'Q : Parlez-moi de vos outils.\n' +
  'Hélène Dubœuf : Nous ressaisissons les contrats dans la paie. Une saisie en double, sur papier.\n';

let world: World;
let base: string;
let doc1: string;
let doc2: string;
beforeEach(async () => {
  world = await startWorld();
  const project = await world.admin.post('/api/projects', { name: 'Recherche' });
  base = `/api/projects/${project.body.id}`;
  doc1 = (await world.admin.post(`${base}/documents`, { name: 'theatre.txt', text: ENTRETIEN_1 })).body
    .documents[0].id;
  doc2 = (await world.admin.post(`${base}/documents`, { name: 'festival.txt', text: ENTRETIEN_2 })).body
    .documents[0].id;
  await world.admin.put(`${base}/attributes`, {
    attributes: [{ name: 'type de structure', type: 'choice', choices: ['Théâtre', 'Festival'] }],
  });
  const p1 = await world.admin.post(`${base}/participants`, {
    name: 'Camille Martin',
    attributes: { 'type de structure': 'Théâtre' },
  });
  const p2 = await world.admin.post(`${base}/participants`, {
    name: 'Hélène Dubœuf',
    attributes: { 'type de structure': 'Festival' },
  });
  await world.admin.patch(`${base}/documents/${doc1}`, { participantId: p1.body.id });
  await world.admin.patch(`${base}/documents/${doc2}`, { participantId: p2.body.id });
});
afterEach(async () => {
  await world.server.stop();
});

type Hit = {
  id: string;
  documentId: string;
  start: number;
  end: number;
  speaker: string;
  matches: { start: number; end: number }[];
};

async function search(
  query: string,
): Promise<{ total: number; hits: Hit[]; documents: { documentId: string; count: number }[] }> {
  const res = await world.admin.get(`${base}/search?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** The words a hit highlights, read from the stored text by code points. */
async function matchedWords(hit: Hit): Promise<string[]> {
  const text = Array.from((await world.admin.get(`${base}/documents/${hit.documentId}`)).body.text as string);
  return hit.matches.map((m) => text.slice(m.start, m.end).join(''));
}

describe('French-aware search', () => {
  it('finds « accessibilité » typed without accent, highlighting the original spelling at exact code points after an emoji', async () => {
    const result = await search('q=accessibilite');
    expect(result.total).toBe(1);
    const hit = result.hits[0] as Hit;
    expect(hit.speaker).toBe('Camille Martin');
    expect(await matchedWords(hit)).toEqual(['l’accessibilité']);
  });

  it('finds every form of « ressaisir » by stemming', async () => {
    const result = await search('q=ressaisir');
    const words = (await Promise.all(result.hits.map(matchedWords))).flat().sort();
    expect(words).toEqual(['Nous ressaisissons'.split(' ')[1], 'ressaisit'].sort());
  });

  it('matches an exact phrase only when its words follow each other', async () => {
    const phrase = await search(`q=${encodeURIComponent('"double saisie"')}`);
    expect(phrase.hits.map((h) => h.documentId)).toEqual([doc1]);
    const words = await search('q=double%20saisie');
    expect(new Set(words.hits.map((h) => h.documentId))).toEqual(new Set([doc1, doc2]));
  });

  it('reads a phrase as a phrase after OR and after a minus sign', async () => {
    // « Une saisie en double » (festival) holds both words, not the phrase « double saisie ».
    const either = await search(`q=${encodeURIComponent('"double saisie" OR marionnettes')}`);
    expect(either.hits.map((h) => h.documentId)).toEqual([doc1]);
    const without = await search(`q=${encodeURIComponent('saisie -"double saisie"')}`);
    expect(without.hits.map((h) => h.documentId)).toEqual([doc2]);
  });

  it('excludes with a minus sign, and combines with OR', async () => {
    const excluded = await search(`q=${encodeURIComponent('saisie -papier')}`);
    expect(excluded.hits.map((h) => h.documentId)).toEqual([doc1]);
    const either = await search(`q=${encodeURIComponent('RGPD OR contrats')}`);
    expect(new Set(either.hits.map((h) => h.documentId))).toEqual(new Set([doc1, doc2]));
  });

  it('finds « ça » typed « ca » and « données » typed « donnees »', async () => {
    expect(await matchedWords((await search('q=ca')).hits[0] as Hit)).toEqual(['Ça']);
    expect((await search('q=donnees')).total).toBe(1);
    expect(await matchedWords((await search('q=donnees')).hits[0] as Hit)).toEqual(['données']);
  });

  it('filters by speaker (interviewees only) and by participant attribute', async () => {
    const all = await search('q=billetterie');
    expect(all.hits.map((h) => h.speaker)).toEqual(['Enquêtrice']);
    expect((await search('q=billetterie&speaker=interviewees')).total).toBe(0);
    const festival = await search(`q=saisie&${encodeURIComponent('type de structure')}=festival`);
    expect(festival.hits.map((h) => h.documentId)).toEqual([doc2]);
  });

  it('keeps only matches inside passages of a code, or not yet coded', async () => {
    const code = (await world.admin.post(`${base}/codes`, { name: 'Redondance' })).body.id;
    const hit = (await search('q=saisie')).hits.find((h) => h.documentId === doc1) as Hit;
    const m = hit.matches[0] as { start: number; end: number };
    await world.admin.post(`${base}/codings`, {
      documentId: doc1,
      codeId: code,
      start: m.start - 7,
      end: m.end,
    });
    expect((await search(`q=saisie&codeId=${code}`)).hits.map((h) => h.documentId)).toEqual([doc1]);
    expect((await search('q=saisie&uncoded=true')).hits.map((h) => h.documentId)).toEqual([doc2]);
  });

  it('splits a passage a code covers only in part: its coded words under the code, the others as not yet coded', async () => {
    const code = (await world.admin.post(`${base}/codes`, { name: 'Double saisie' })).body.id;
    const both = (await search('q=saisie OR ressaisir')).hits.find((h) => h.documentId === doc2) as Hit;
    expect(both.matches).toHaveLength(2);
    const [ressaisissons, saisie] = both.matches as [Hit['matches'][0], Hit['matches'][0]];
    await world.admin.post(`${base}/codings`, { documentId: doc2, codeId: code, ...saisie });
    const inCode = await search(`q=saisie OR ressaisir&codeId=${code}`);
    expect(inCode.total).toBe(1);
    expect(inCode.hits.map((h) => [h.documentId, h.matches])).toEqual([[doc2, [saisie]]]);
    const uncoded = await search('q=saisie OR ressaisir&uncoded=true');
    expect(uncoded.hits.find((h) => h.documentId === doc2)?.matches).toEqual([ressaisissons]);
    expect(uncoded.total).toBe((await search('q=saisie OR ressaisir')).total);
    // A phrase and a code together: « saisie en double » is in the coded passage, but not inside the code.
    expect((await search(`q="saisie en double"`)).total).toBe(1);
    expect((await search(`q="saisie en double"&codeId=${code}`)).hits[0]?.matches).toEqual([saisie]);
    expect((await search(`q=saisie&codeId=${code}&uncoded=true`)).total).toBe(0);
  });

  it('pages through the hits, with the totals of all of them', async () => {
    const all = await search('q=saisie');
    expect(all.total).toBe(2);
    const second = await search('q=saisie&offset=1&limit=1');
    expect(second.total).toBe(2);
    expect(second.documents.reduce((n, d) => n + d.count, 0)).toBe(2);
    expect(second.hits.map((h) => h.id)).toEqual([all.hits[1]?.id]);
    expect(second.hits[0]?.matches.length).toBeGreaterThan(0);
  });

  it('answers 400 to an empty or stop-word-only query, and 404 to a non-member', async () => {
    expect((await world.admin.get(`${base}/search?q=`)).status).toBe(400);
    expect((await world.admin.get(`${base}/search?q=le%20la`)).status).toBe(400);
    const outsider = await world.user('dehors');
    expect((await outsider.client.get(`${base}/search?q=saisie`)).status).toBe(404);
  });

  it('follows imports and deletions, and survives a restart with its index on disk', async () => {
    expect((await search('q=contrats')).total).toBe(1);
    await world.admin.delete(`${base}/documents/${doc2}`);
    expect((await search('q=contrats')).total).toBe(0);
    await world.admin.post(`${base}/documents`, {
      name: 'autre.txt',
      text: 'R : Les contrats arrivent par courriel.',
    });
    expect((await search('q=contrats')).total).toBe(1);
    await world.server.restart();
    expect((await search('q=contrats')).total).toBe(1);
    expect((await search('q=accessibilite')).total).toBe(1);
  });

  it('rebuilds an index whose saved copy is damaged, and saves a sound one', async () => {
    const before = await search('q=billetterie');
    const cache = join(world.server.dataDir, 'projects', base.split('/').pop() as string, 'cache');
    // Saved at shutdown; then cut short, as a crash during the write of a cache could leave it.
    await world.server.restart(async () => {
      const saved = await readFile(join(cache, 'search-index'));
      await writeFile(join(cache, 'search-index'), saved.subarray(0, saved.length / 2));
    });
    expect(await search('q=billetterie')).toEqual(before);
    await world.server.restart();
    const saved = await readFile(join(cache, 'search-index'));
    expect(ProjectIndex.load(saved)).toBeDefined();
    expect(await search('q=billetterie')).toEqual(before);
  });

  it('prepares the index before any search when asked (POST …/search/prepare), for members only', async () => {
    const cache = join(world.server.dataDir, 'projects', base.split('/').pop() as string, 'cache');
    const saved = () =>
      readFile(join(cache, 'search-index')).then(
        (bytes) => bytes,
        () => undefined,
      );
    expect(await saved()).toBeUndefined();
    const outsider = await world.user('exterieure');
    expect((await outsider.client.post(`${base}/search/prepare`)).status).toBe(404);
    const res = await world.admin.post(`${base}/search/prepare`);
    expect(res.status).toBe(202);
    // Built without a search having been asked: it is written to the project's cache shortly after.
    let bytes: Buffer | undefined;
    for (let waited = 0; waited < 10_000 && !bytes; waited += 100) {
      bytes = await saved();
      if (!bytes) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const index = ProjectIndex.load(bytes as Buffer);
    expect(index?.documentIds()).toEqual(new Set([doc1, doc2]));
    expect((await search('q=ressaisir')).total).toBe(2);
    // Asked again while up to date: still 202, nothing else changes.
    expect((await world.admin.post(`${base}/search/prepare`)).status).toBe(202);
    expect((await search('q=ressaisir')).total).toBe(2);
  });
});

describe('auto-coding from a search', () => {
  it('previews, then codes each sentence around a match in one change that one undo removes', async () => {
    const code = (await world.admin.post(`${base}/codes`, { name: 'Double saisie' })).body.id;
    const body = { q: 'saisie', codeId: code, unit: 'sentence' };
    const preview = await world.admin.post(`${base}/autocode`, { ...body, preview: true });
    expect(preview.body).toMatchObject({ created: 2, skipped: 0, preview: true });
    expect((await world.admin.get(`${base}/codings`)).body.codings).toEqual([]);
    const res = await world.admin.post(`${base}/autocode`, body);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ created: 2, skipped: 0 });
    expect((await world.admin.get(`${base}/history`)).body.undo).toBe(res.body.txn);
    const texts = (await world.admin.get(`${base}/codings`)).body.codings
      .map((c: { text: string }) => c.text)
      .sort();
    expect(texts).toEqual(['La double saisie, c’est notre quotidien !', 'Une saisie en double, sur papier.']);
    // Again: everything is already coded.
    expect((await world.admin.post(`${base}/autocode`, body)).body).toMatchObject({ created: 0, skipped: 2 });
    await world.admin.post(`${base}/undo`);
    expect((await world.admin.get(`${base}/codings`)).body.codings).toEqual([]);
  });

  it('codes whole speaker turns, or only the ticked hits, or just the matched words', async () => {
    const code = (await world.admin.post(`${base}/codes`, { name: 'RGPD' })).body.id;
    await world.admin.post(`${base}/autocode`, { q: 'RGPD', codeId: code, unit: 'turn' });
    const turn = (await world.admin.get(`${base}/codings`)).body.codings[0];
    expect(turn.text).toBe('Enquêtrice : Et le RGPD ?');
    const other = (await world.admin.post(`${base}/codes`, { name: 'Saisie' })).body.id;
    const hits = (await search(`q=${encodeURIComponent('"double saisie"')}`)).hits;
    const res = await world.admin.post(`${base}/autocode`, {
      q: '"double saisie"',
      codeId: other,
      unit: 'match',
      hitIds: [hits[0]?.id],
    });
    expect(res.body.created).toBe(1);
    const match = (await world.admin.get(`${base}/codings?codeId=${other}`)).body.codings[0];
    expect(match.text).toBe('double saisie');
  });
});

describe('text outside speaker turns', () => {
  it('finds the words of a title block before the first turn, and no speaker filter keeps them', async () => {
    const text =
      'Entretien n°7 – Scène conventionnée\nDurée : 52 min, transcription intégrale\n\n' +
      'Enquêtrice : Vos outils ?\nLéa Fabre : Un tableur, surtout.\n';
    const doc = (await world.admin.post(`${base}/documents`, { name: 'scene.txt', text })).body.documents[0]
      .id as string;
    const found = await search('q=transcription');
    expect(found.total).toBe(1);
    const hit = found.hits[0] as Hit;
    expect(hit.documentId).toBe(doc);
    expect(Array.from(text).slice(hit.start, hit.end).join('')).toBe(
      'Durée : 52 min, transcription intégrale',
    );
    expect(hit.speaker).toBe('');
    expect((await search('q=conventionnee')).total).toBe(1);
    // Said by no one: neither the interviewees' filter nor a speaker's name keeps it.
    expect((await search('q=transcription&speaker=interviewees')).total).toBe(0);
    expect((await search(`q=transcription&speaker=${encodeURIComponent('Léa Fabre')}`)).total).toBe(0);
    expect((await search('q=tableur&speaker=interviewees')).total).toBe(1);
  });
});
