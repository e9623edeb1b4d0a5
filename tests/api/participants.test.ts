import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
let base: string;
let pid: string;
beforeEach(async () => {
  world = await startWorld();
  ({ base, pid } = await projectWithDocument(
    world.admin,
    'Enquêtrice : Bonjour.\nCamille : Bonjour.',
    'entretien-01.txt',
  ));
  await world.admin.post(`${base}/documents`, { name: 'entretien-02.docx', text: 'Q : Et vous ?\nR : Moi.' });
  await world.admin.post(`${base}/documents`, {
    name: 'entretien-03.txt',
    text: 'Q : Et ensuite ?\nR : Rien.',
  });
});
afterEach(async () => {
  await world.server.stop();
});

function csvForm(content: Uint8Array | string, name = 'participants.csv'): FormData {
  const form = new FormData();
  form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
  return form;
}

describe('participants (cases) and their attributes', () => {
  it('imports a semicolon CSV in Windows-1252: participants, pseudonyms, typed attributes, document links', async () => {
    const csv =
      'fichier;participant;pseudonyme;type de structure;effectif;date entretien\r\n' +
      'entretien-01.txt;Camille Martin;P03;Théâtre;12;14/03/2026\r\n' +
      'entretien-02;Hélène Dubœuf;;Festival;1 200;2026-03-20\r\n' +
      'entretien-03.txt;Zoé Petit;;Théâtre;8,5;21/03/2026\r\n';
    const res = await world.admin.request(
      'POST',
      `${base}/participants/import`,
      csvForm(iconv.encode(csv, 'win1252')),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 3, updated: 0, linked: 3, errors: [] });
    expect(res.body.attributes).toEqual([
      { name: 'type de structure', type: 'choice', choices: ['Festival', 'Théâtre'] },
      { name: 'effectif', type: 'number', choices: [] },
      { name: 'date entretien', type: 'date', choices: [] },
    ]);
    const byName = Object.fromEntries(res.body.participants.map((p: { name: string }) => [p.name, p]));
    expect(byName['Camille Martin']).toMatchObject({
      pseudonym: 'P03',
      attributes: { 'type de structure': 'Théâtre', effectif: 12, 'date entretien': '2026-03-14' },
    });
    expect(byName['Hélène Dubœuf']).toMatchObject({
      pseudonym: 'P01',
      attributes: { effectif: 1200, 'date entretien': '2026-03-20' },
    });
    expect(byName['Zoé Petit'].pseudonym).toBe('P02');
    expect(byName['Zoé Petit'].attributes.effectif).toBe(8.5);
    const docs = (await world.admin.get(`${base}/documents`)).body.documents;
    const linked = Object.fromEntries(
      docs.map((d: { name: string; participantId: string }) => [d.name, d.participantId]),
    );
    expect(linked['entretien-01.txt']).toBe(byName['Camille Martin'].id);
    expect(linked['entretien-02.docx']).toBe(byName['Hélène Dubœuf'].id);
  });

  it('reports unknown files and bad rows instead of guessing, and imports the rest', async () => {
    await world.admin.put(`${base}/attributes`, { attributes: [{ name: 'effectif', type: 'number' }] });
    const csv =
      'file,name,effectif\n' +
      'entretien-01.txt,Camille Martin,12\n' +
      'inconnu.txt,Jean Inconnu,3\n' +
      'entretien-02.docx,Hélène Dubœuf,beaucoup\n' +
      'entretien-03.txt,,4\n';
    const res = await world.admin.request('POST', `${base}/participants/import`, csvForm(csv));
    expect(res.status).toBe(200);
    expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual([3, 4, 5]);
    expect(res.body.errors[0].message).toMatch(/inconnu\.txt/);
    expect(res.body.errors[1].message).toMatch(/nombre/);
    expect(res.body.participants.map((p: { name: string }) => p.name).sort()).toEqual([
      'Camille Martin',
      'Jean Inconnu',
    ]);
    expect(res.body.linked).toBe(1);
  });

  it('refuses a CSV without a file or participant column with 422 and changes nothing', async () => {
    const before = (await world.admin.get(`${base}/events?after=0&limit=1000`)).body;
    const res = await world.admin.request('POST', `${base}/participants/import`, csvForm('a;b\n1;2\n'));
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/fichier/);
    expect((await world.admin.get(`${base}/events?after=0&limit=1000`)).body).toEqual(before);
  });

  it('creates, edits and deletes a participant with values checked against attribute types', async () => {
    await world.admin.put(`${base}/attributes`, {
      attributes: [
        { name: 'type de structure', type: 'choice', choices: ['Théâtre', 'Festival'] },
        { name: 'taille', type: 'number' },
      ],
    });
    const created = await world.admin.post(`${base}/participants`, {
      name: 'Camille Martin',
      attributes: { 'Type de structure': 'theatre', taille: '15' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      pseudonym: 'P01',
      attributes: { 'type de structure': 'Théâtre', taille: 15 },
    });
    const bad = await world.admin.post(`${base}/participants`, {
      name: 'X',
      attributes: { 'type de structure': 'Cirque' },
    });
    expect(bad.status).toBe(400);
    const dupPseudo = await world.admin.post(`${base}/participants`, { name: 'Autre', pseudonym: 'p01' });
    expect(dupPseudo.status).toBe(409);
    const edited = await world.admin.patch(`${base}/participants/${created.body.id}`, {
      attributes: { taille: null },
    });
    expect(edited.body.attributes).toEqual({ 'type de structure': 'Théâtre' });
    const docs = (await world.admin.get(`${base}/documents`)).body.documents;
    const link = await world.admin.patch(`${base}/documents/${docs[0].id}`, {
      participantId: created.body.id,
    });
    expect(link.body.participantId).toBe(created.body.id);
    expect((await world.admin.delete(`${base}/participants/${created.body.id}`)).status).toBe(204);
    const after = (await world.admin.get(`${base}/documents`)).body.documents;
    expect(after[0].participantId).toBeNull();
  });

  it('renames an attribute keeping its values, in one change, when given its previous name', async () => {
    await world.admin.put(`${base}/attributes`, { attributes: [{ name: 'taille', type: 'number' }] });
    const p = await world.admin.post(`${base}/participants`, { name: 'Camille', attributes: { taille: 12 } });
    const seq = (await world.admin.get(base)).body.seq;
    const res = await world.admin.put(`${base}/attributes`, {
      attributes: [{ name: 'effectif', type: 'number', previousName: 'Taille' }],
    });
    expect(res.status).toBe(200);
    const participants = (await world.admin.get(`${base}/participants`)).body.participants;
    expect(participants.find((x: { id: string }) => x.id === p.body.id).attributes).toEqual({ effectif: 12 });
    const events = (await world.admin.get(`${base}/events?after=${seq}`)).body.events;
    expect(new Set(events.map((e: { txn: number }) => e.txn)).size).toBe(1);
  });

  it('lets a coder read participants but not change them', async () => {
    const coder = await world.user('codeur');
    await world.admin.put(`${base}/members/${coder.id}`, { role: 'coder' });
    expect((await coder.client.get(`${base}/participants`)).status).toBe(200);
    expect((await coder.client.post(`${base}/participants`, { name: 'X' })).status).toBe(403);
  });

  it('keeps the original file beside the normalised text', async () => {
    const form = new FormData();
    const bytes = iconv.encode('Enquêteur : Ça va ?\r\nR : Oui, l’équipe « tourne ».\r\n', 'win1252');
    form.append('file', new Blob([new Uint8Array(bytes)]), 'entretien-04.txt');
    const res = await world.admin.request('POST', `${base}/documents`, form);
    expect(res.status).toBe(201);
    expect(res.body.documents[0].encoding).toBe('windows-1252');
    const docId = res.body.documents[0].id;
    const stored = await readFile(join(world.server.dataDir, 'projects', pid, 'originals', `${docId}.txt`));
    expect(Buffer.compare(stored, bytes)).toBe(0);
    const doc = (await world.admin.get(`${base}/documents/${docId}`)).body;
    expect(doc.text).toBe('Enquêteur : Ça va ?\nR : Oui, l’équipe « tourne ».\n');
    expect(doc.turns.map((t: { speaker: string }) => t.speaker)).toEqual(['Enquêteur', 'R']);
  });

  it('leaves nothing behind when a file fails', async () => {
    const texts = async () => (await readdir(join(world.server.dataDir, 'projects', pid, 'texts'))).sort();
    const before = await texts();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])]), 'abime.docx');
    const res = await world.admin.request('POST', `${base}/documents`, form);
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ file: 'abime.docx', code: 'unprocessable' });
    expect(await texts()).toEqual(before);
  });

  it('keeps per-project interviewer labels, with French defaults', async () => {
    const settings = await world.admin.get(`${base}/settings`);
    expect(settings.body.interviewerLabels).toContain('Enquêtrice');
    const changed = await world.admin.patch(`${base}/settings`, { interviewerLabels: ['Animatrice', 'Q'] });
    expect(changed.body.interviewerLabels).toEqual(['Animatrice', 'Q']);
  });
});
