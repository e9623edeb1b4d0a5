import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '../helpers/server.ts';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

/** The project's whole observable state, to prove a refusal changed nothing. */
async function snapshot(client: Client, base: string) {
  return {
    project: (await client.get(base)).body,
    documents: (await client.get(`${base}/documents`)).body,
    codes: (await client.get(`${base}/codes`)).body,
    codings: (await client.get(`${base}/codings`)).body,
    events: (await client.get(`${base}/events?after=0&limit=1000`)).body,
  };
}

describe('bad input gets a clear 4xx and leaves the data exactly as it was', () => {
  const text = 'Camille : une réponse 😀 assez longue pour coder.'; // 48 code points, 49 UTF-16 units
  let base: string;
  let docId: string;
  let codeId: string;
  beforeEach(async () => {
    ({ base, docId } = await projectWithDocument(world.admin, text));
    codeId = (await world.admin.post(`${base}/codes`, { name: 'Coûts' })).body.id;
  });

  const badSpans: [string, unknown, unknown, number, string][] = [
    ['a negative start', -1, 5, 400, 'invalid_input'],
    ['a reversed span', 10, 5, 422, 'span_out_of_range'],
    ['an empty span', 7, 7, 422, 'span_out_of_range'],
    ['an end past the text (its UTF-16 length)', 0, 49, 422, 'span_out_of_range'],
    ['a fractional offset', 1.5, 4, 400, 'invalid_input'],
    ['an offset given as a string', '1', 4, 400, 'invalid_input'],
  ];
  for (const [what, start, end, status, code] of badSpans) {
    it(`refuses ${what} with ${status} ${code}`, async () => {
      const before = await snapshot(world.admin, base);
      const res = await world.admin.post(`${base}/codings`, { documentId: docId, codeId, start, end });
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
      expect(typeof res.body.error.message).toBe('string');
      expect(await snapshot(world.admin, base)).toEqual(before);
    });
  }

  it('accepts a span ending exactly at the end of the text', async () => {
    const res = await world.admin.post(`${base}/codings`, { documentId: docId, codeId, start: 40, end: 48 });
    expect(res.status).toBe(201);
    expect(res.body.text).toBe(Array.from(text).slice(40).join(''));
  });

  it('refuses unknown ids and ids of another project with 404', async () => {
    const other = await projectWithDocument(world.admin, 'Autre texte du second projet.');
    const otherCode = (await world.admin.post(`${other.base}/codes`, { name: 'Ailleurs' })).body.id;
    const before = await snapshot(world.admin, base);
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const body of [
      { documentId: unknown, codeId, start: 0, end: 3 },
      { documentId: docId, codeId: unknown, start: 0, end: 3 },
      { documentId: other.docId, codeId, start: 0, end: 3 },
      { documentId: docId, codeId: otherCode, start: 0, end: 3 },
    ]) {
      const res = await world.admin.post(`${base}/codings`, body);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await world.admin.get(`${base}/codes/${otherCode}`)).status).toBe(404);
    expect((await world.admin.patch(`${base}/codes/${otherCode}`, { name: 'x' })).status).toBe(404);
    expect((await world.admin.get(`/api/projects/not-an-id`)).status).toBe(404);
    expect(await snapshot(world.admin, base)).toEqual(before);
  });

  it('refuses a duplicate code name among siblings, ignoring case and accents', async () => {
    const before = await snapshot(world.admin, base);
    const res = await world.admin.post(`${base}/codes`, { name: 'couts' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('duplicate_name');
    expect(await snapshot(world.admin, base)).toEqual(before);
    // The same name under another parent is fine.
    const parent = await world.admin.post(`${base}/codes`, { name: 'Finances' });
    expect(
      (await world.admin.post(`${base}/codes`, { name: 'Coûts', parentId: parent.body.id })).status,
    ).toBe(201);
  });

  it('refuses to move a code under its own descendant', async () => {
    const child = await world.admin.post(`${base}/codes`, { name: 'Sous-code', parentId: codeId });
    const before = await snapshot(world.admin, base);
    const res = await world.admin.patch(`${base}/codes/${codeId}`, { parentId: child.body.id });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('cycle');
    expect(await snapshot(world.admin, base)).toEqual(before);
  });

  it('refuses a stale code version with 409 and keeps the first save', async () => {
    expect(
      (await world.admin.patch(`${base}/codes/${codeId}`, { name: 'Coûts directs', version: 1 })).status,
    ).toBe(200);
    const stale = await world.admin.patch(`${base}/codes/${codeId}`, { name: 'Coûts cachés', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('conflict');
    const codes = (await world.admin.get(`${base}/codes`)).body.codes;
    expect(codes[0].name).toBe('Coûts directs');
  });

  it('refuses with 409 a memo saved over one its author never saw, for a document and a coding', async () => {
    const coding = (
      await world.admin.post(`${base}/codings`, { documentId: docId, codeId, start: 0, end: 7 })
    ).body;
    for (const path of [`${base}/documents/${docId}`, `${base}/codings/${coding.id}`]) {
      // Two people open the memo while it is empty; the first saves.
      expect((await world.admin.patch(path, { memo: 'Relu par Léa.', memoBefore: '' })).status).toBe(200);
      const before = await snapshot(world.admin, base);
      const stale = await world.admin.patch(path, { memo: 'Mon analyse.', memoBefore: '' });
      expect(stale.status).toBe(409);
      expect(stale.body.error).toMatchObject({ code: 'conflict', details: { memo: 'Relu par Léa.' } });
      expect(stale.body.error.message).toMatch(/rien n’a été écrasé/);
      expect(await snapshot(world.admin, base)).toEqual(before);
      // Having read it, the second saves from what is there now; without memoBefore, a plain replace.
      expect(
        (await world.admin.patch(path, { memo: 'Relu par Léa. Mon analyse.', memoBefore: 'Relu par Léa.' }))
          .status,
      ).toBe(200);
      expect((await world.admin.patch(path, { memo: 'Remplacé' })).status).toBe(200);
    }
    const document = (await world.admin.get(`${base}/documents/${docId}`)).body;
    expect(document.memo).toBe('Remplacé');
  });

  it('refuses unknown fields, missing fields and malformed JSON with 400', async () => {
    const before = await snapshot(world.admin, base);
    const extra = await world.admin.post(`${base}/codes`, { name: 'X', colour: '#ffffff' });
    expect(extra.status).toBe(400);
    const missing = await world.admin.post(`${base}/codes`, {});
    expect(missing.status).toBe(400);
    const badColor = await world.admin.post(`${base}/codes`, { name: 'Y', color: 'red' });
    expect(badColor.status).toBe(400);
    const malformed = await world.admin.request('POST', `${base}/codes`, undefined, {
      'content-type': 'application/json',
    });
    expect(malformed.status).toBe(400);
    expect(await snapshot(world.admin, base)).toEqual(before);
  });

  it('refuses form-encoded and text bodies with 415', async () => {
    const res = await world.admin.request('POST', `${base}/codes`, undefined, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(415);
  });

  it('refuses state-changing requests from another site with 403', async () => {
    const res = await world.admin.request('POST', '/api/projects', undefined, {
      origin: 'https://evil.example',
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('cross_site');
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await world.admin.post(`${base}/codes`, {
      name: 'x',
      description: 'a'.repeat(3 * 1024 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it('refuses an empty document with 422 and a duplicate document name with 409', async () => {
    const before = await snapshot(world.admin, base);
    const empty = await world.admin.post(`${base}/documents`, { name: 'vide.txt', text: ' \n ' });
    expect(empty.status).toBe(422);
    const dup = await world.admin.post(`${base}/documents`, { name: 'ENTRETIEN.txt', text: 'autre' });
    expect(dup.status).toBe(409);
    expect(await snapshot(world.admin, base)).toEqual(before);
  });

  it('refuses a file of an unsupported type with 415, naming the accepted formats', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'photo.jpg');
    const res = await world.admin.request('POST', `${base}/documents`, form);
    expect(res.status).toBe(415);
    expect(res.body.errors[0].file).toBe('photo.jpg');
    expect(res.body.error.message).toMatch(/\.txt/);
  });

  it('imports several files at once, each succeeding or failing on its own', async () => {
    const form = new FormData();
    form.append('file', new Blob(['Enquêteur : Bonjour.\nR : Bonjour !\n']), 'entretien-02.txt');
    form.append('file', new Blob([new Uint8Array([0xff, 0xd8])]), 'image.png');
    const res = await world.admin.request('POST', `${base}/documents`, form);
    expect(res.status).toBe(201);
    expect(res.body.documents.map((d: { name: string }) => d.name)).toEqual(['entretien-02.txt']);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatchObject({ file: 'image.png', code: 'unsupported_media_type' });
  });
});

describe('file names as people write them', () => {
  it('keeps accents and other letters of an uploaded file name as sent (UTF-8), not read as Latin-1', async () => {
    const project = await world.admin.post('/api/projects', { name: 'Noms de fichiers' });
    const form = new FormData();
    form.append('file', new Blob(['Camille : bonjour.\n']), 'entretien-Hélène-Dubœuf.txt');
    const res = await world.admin.request('POST', `/api/projects/${project.body.id}/documents`, form);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.documents[0].name).toBe('entretien-Hélène-Dubœuf.txt');
  });
});
