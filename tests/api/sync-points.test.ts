import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from './setup.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.server.stop();
});

async function upload(base: string, name: string, content: string) {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  return world.admin.request('POST', `${base}/documents`, form);
}

describe('GET /api/projects/:id/documents/:documentId › syncPoints', () => {
  it('returns the sync points of an imported transcript, in code points, ordered, and keeps them out of lists', async () => {
    const project = await world.admin.post('/api/projects', { name: 'Écoute' });
    const base = `/api/projects/${project.body.id as string}`;
    const uploaded = await upload(
      base,
      'lina.txt',
      '[00:00:03] Enquêtrice : Bonjour 👋.\n[00:00:08] Lina : Salut. #00:00:12-5#\nEnquêtrice : Et alors ?',
    );
    expect(uploaded.status).toBe(201);
    const id = uploaded.body.documents[0].id as string;
    expect(uploaded.body.documents[0]).not.toHaveProperty('syncPoints');

    const document = await world.admin.get(`${base}/documents/${id}`);
    expect(document.status).toBe(200);
    const text = document.body.text as string;
    expect(text).toBe('Enquêtrice : Bonjour 👋.\nLina : Salut.\nEnquêtrice : Et alors ?');
    // « Enquêtrice : Bonjour 👋.\n » is 24 code points (25 UTF-16 units: the emoji counts once).
    expect(document.body.syncPoints).toEqual([
      { position: 0, time: 3 },
      { position: 24, time: 8 },
      { position: 38, time: 12.5 },
    ]);
    expect([...text].slice(38).join('')).toBe('Enquêtrice : Et alors ?');

    // The coding view opens the document through …/view: the same sync points.
    const view = await world.admin.get(`${base}/documents/${id}/view`);
    expect(view.status).toBe(200);
    expect(view.body.document.syncPoints).toEqual(document.body.syncPoints);

    const list = await world.admin.get(`${base}/documents`);
    expect(list.body.documents[0]).not.toHaveProperty('syncPoints');
  });

  it('returns an empty list for a document without times', async () => {
    const project = await world.admin.post('/api/projects', { name: 'Sans minutage' });
    const base = `/api/projects/${project.body.id as string}`;
    const created = await world.admin.post(`${base}/documents`, {
      name: 'a.txt',
      text: 'Q : Oui ?\nR : Non.',
    });
    const document = await world.admin.get(`${base}/documents/${created.body.documents[0].id as string}`);
    expect(document.body.syncPoints).toEqual([]);
    const view = await world.admin.get(`${base}/documents/${created.body.documents[0].id as string}/view`);
    expect(view.body.document.syncPoints).toEqual([]);
  });
});

describe('exports › the time of a passage comes from the sync point before it', () => {
  it('gives a coding in the second cue of a merged .vtt turn that cue’s time (hh:mm:ss) in CSV', async () => {
    const project = await world.admin.post('/api/projects', { name: 'Minutage des exports' });
    const base = `/api/projects/${project.body.id as string}`;
    const vtt = [
      'WEBVTT',
      '',
      '00:00:01.000 --> 00:00:04.000',
      '<v Enquêtrice>Bonjour.',
      '',
      '00:01:05.000 --> 00:01:09.000',
      '<v Enquêtrice>Parlez-moi de la billetterie.',
    ].join('\n');
    const uploaded = await upload(base, 'jazz.vtt', vtt);
    const documentId = uploaded.body.documents[0].id as string;
    const text = (await world.admin.get(`${base}/documents/${documentId}`)).body.text as string;
    const code = await world.admin.post(`${base}/codes`, { name: 'Billetterie', color: '#3cb44b' });
    const start = [...text.slice(0, text.indexOf('la billetterie'))].length;
    const coding = await world.admin.post(`${base}/codings`, {
      documentId,
      codeId: code.body.id,
      start,
      end: start + 'la billetterie'.length,
    });
    expect(coding.status).toBe(201);
    const csv = await world.admin.get(`${base}/exports/codings.csv?pseudonymise=false`);
    expect(csv.status).toBe(200);
    const lines = String(csv.body).split(/\r?\n/);
    const header = (lines[0] ?? '').replace(/^\uFEFF/, '').split(';');
    const row = (lines[1] ?? '').split(';');
    expect(row[header.indexOf('temps')]).toBe('00:01:05');
  });
});

describe('search hits › time', () => {
  it('is that of the sync point before the word found, not only its turn’s', async () => {
    const project = await world.admin.post('/api/projects', { name: 'Recherche minutée' });
    const base = `/api/projects/${project.body.id as string}`;
    const vtt = [
      'WEBVTT',
      '',
      '00:00:01.000 --> 00:00:04.000',
      '<v Karim>On ressaisit tout le lundi.</v>',
      '',
      '00:00:40.000 --> 00:00:45.000',
      '<v Karim>Et la billetterie ne parle à personne.</v>',
      '',
    ].join('\n');
    expect((await upload(base, 'karim.vtt', vtt)).status).toBe(201);
    const found = await world.admin.get(`${base}/search?q=billetterie`);
    expect(found.status).toBe(200);
    expect(found.body.hits).toHaveLength(1);
    // One merged turn from 00:00:01; the word is in the cue that starts at 00:00:40.
    expect(found.body.hits[0].time).toBe(40);
  });
});
