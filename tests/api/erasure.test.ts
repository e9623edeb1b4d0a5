/**
 * Withdrawal of consent: erasing a participant (or a document) removes them from every copy the
 * server manages — texts, originals, the log, the snapshot, the search cache, the backups — and
 * leaves the others' data exactly as it was.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupName, createBackup } from '../../server/backup.ts';
import { findInFolder } from '../helpers/find-bytes.ts';
import { Client, startTestServer, type TestServer } from '../helpers/server.ts';
import { ADMIN } from './setup.ts';

const CAMILLE_TEXT =
  'Enquêtrice : Parlez-moi de vos ateliers.\n' +
  'Camille Martin : Les ateliers de marionnettes à Brioude, on les ressaisit trois fois par semaine.\n';
const HELENE_TEXT =
  'Enquêtrice : Et chez vous ?\nHélène Dubœuf : Le festival de Saint-Flour tient tout dans un tableur.\n';
/** What must be gone once Camille is erased. */
const CAMILLE_TRACES = [
  'Camille Martin',
  'Camille',
  'marionnettes à Brioude',
  'Brioude',
  'entretien-camille',
  'hésite sur les chiffres',
  'mémo du document camille',
  'Saint-Jean-de-Luz',
];

let server: TestServer;
let admin: Client;
let dataDir: string;
// Snapshots after every few events, so that one exists when the erasure runs.
const start = (dir: string) =>
  startTestServer({ dataDir: dir, storeOptions: { snapshotEvery: 5, snapshotQuietMs: 0 } });
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'verbatim-erasure-'));
  server = await start(dataDir);
  admin = new Client(() => server.url);
  expect((await admin.post('/api/auth/setup', ADMIN)).status).toBe(201);
});
afterEach(async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** The bytes of the files that hold Hélène's document (its text and original), by name. */
async function filesOf(documentId: string): Promise<Record<string, string>> {
  const all = await fingerprint(dataDir);
  return Object.fromEntries(Object.entries(all).filter(([path]) => path.includes(documentId)));
}

async function userClient(username: string): Promise<{ client: Client; id: string }> {
  const created = await admin.post('/api/users', { username, password: `secret-${username}` });
  const client = new Client(() => server.url);
  await client.post('/api/auth/login', { username, password: `secret-${username}` });
  return { client, id: created.body.user.id as string };
}

function upload(name: string, text: string): FormData {
  const form = new FormData();
  form.append('file', new Blob([text]), name);
  return form;
}

/** A project with two participants, their interviews, codings, memos, replacements and a backup. */
async function study() {
  const pid = (await admin.post('/api/projects', { name: 'Spectacle vivant' })).body.id as string;
  const base = `/api/projects/${pid}`;
  await admin.put(`${base}/attributes`, { attributes: [{ name: 'ville', type: 'text' }] });
  const camille = (
    await admin.post(`${base}/participants`, {
      name: 'Camille Martin',
      pseudonym: 'P01',
      attributes: { ville: 'Saint-Jean-de-Luz' },
    })
  ).body;
  const helene = (await admin.post(`${base}/participants`, { name: 'Hélène Dubœuf', pseudonym: 'P02' })).body;
  const camilleDoc = (
    await admin.request('POST', `${base}/documents`, upload('entretien-camille.txt', CAMILLE_TEXT))
  ).body.documents[0];
  const heleneDoc = (await admin.post(`${base}/documents`, { name: 'entretien-02.txt', text: HELENE_TEXT }))
    .body.documents[0];
  // An earlier interview of Camille's, deleted since (kept for undo until now).
  const oldDoc = (
    await admin.post(`${base}/documents`, { name: 'entretien-camille-brouillon.txt', text: CAMILLE_TEXT })
  ).body.documents[0];
  for (const [doc, participant] of [
    [camilleDoc, camille],
    [heleneDoc, helene],
    [oldDoc, camille],
  ]) {
    await admin.patch(`${base}/documents/${doc.id}`, { participantId: participant.id });
  }
  await admin.delete(`${base}/documents/${oldDoc.id}`);
  await admin.patch(`${base}/documents/${camilleDoc.id}`, {
    memo: 'mémo du document Camille',
    memoBefore: '',
  });
  const code = (await admin.post(`${base}/codes`, { name: 'Ressaisie' })).body;
  const other = (await admin.post(`${base}/codes`, { name: 'Tableur' })).body;
  const at = (text: string, phrase: string) => {
    const start = [...text.slice(0, text.indexOf(phrase))].length;
    return { start, end: start + [...phrase].length };
  };
  await admin.post(`${base}/codings`, {
    documentId: camilleDoc.id,
    codeId: code.id,
    ...at(CAMILLE_TEXT, 'ateliers de marionnettes à Brioude'),
    memo: 'Camille hésite sur les chiffres',
  });
  await admin.post(`${base}/codings`, {
    documentId: camilleDoc.id,
    codeId: other.id,
    ...at(CAMILLE_TEXT, 'ressaisit trois fois'),
  });
  await admin.post(`${base}/codings`, {
    documentId: heleneDoc.id,
    codeId: other.id,
    ...at(HELENE_TEXT, 'tient tout dans un tableur'),
    memo: 'outil unique',
  });
  // A code deleted with codings of both participants, then restored: a mixed event.
  await admin.delete(`${base}/codes/${other.id}`);
  await admin.post(`${base}/undo`);
  await admin.put(`${base}/replacements`, {
    replacements: [
      { from: 'Camille Martin', to: 'P01' },
      { from: 'Brioude', to: '[ville A]' },
      { from: 'Hélène Dubœuf', to: 'P02' },
      { from: 'Saint-Flour', to: '[ville B]' },
    ],
  });
  // The search index, written to the cache folder.
  expect((await admin.get(`${base}/search?q=marionnettes`)).body.total).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 2200)); // written to the cache 2 s after it changes
  await createBackup(server.dataDir, join(server.dataDir, 'backups', backupName()));
  return { pid, base, camille, helene, camilleDoc, heleneDoc };
}

/** Every file of the data folder with its SHA-256 (LOCK aside). */
async function fingerprint(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const path = join(d, e.name);
      if (e.isDirectory()) await walk(path);
      else if (e.name !== 'LOCK')
        out[relative(dir, path)] = createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
    }
  };
  await walk(dir);
  return out;
}

/** What the API shows of Hélène: her participant record, document, text and codings. */
async function heleneView(base: string, heleneId: string, docId: string) {
  const participants = (await admin.get(`${base}/participants`)).body.participants;
  const document = (await admin.get(`${base}/documents/${docId}`)).body;
  const codings = (await admin.get(`${base}/codings?documentId=${docId}`)).body;
  const replacements = (await admin.get(`${base}/replacements`)).body;
  return {
    participant: participants.find((p: { id: string }) => p.id === heleneId),
    document,
    codings,
    replacements,
  };
}

describe('erasing a participant (withdrawal of consent)', () => {
  it('refuses a wrong confirmation (422), coders and viewers (403), non-members (404), changing nothing', async () => {
    const { base, camille } = await study();
    const coder = await userClient('coder');
    const viewer = await userClient('viewer');
    const stranger = await userClient('stranger');
    await admin.put(`${base}/members/${coder.id}`, { role: 'coder' });
    await admin.put(`${base}/members/${viewer.id}`, { role: 'viewer' });
    await new Promise((r) => setTimeout(r, 300)); // let snapshots settle
    const before = await fingerprint(server.dataDir);
    const path = `${base}/participants/${camille.id}/erase`;
    const wrong = await admin.post(path, { confirm: 'camille martin' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.message).toContain('Camille Martin');
    expect((await admin.post(path, {})).status).toBe(400);
    expect((await coder.client.post(path, { confirm: 'Camille Martin' })).status).toBe(403);
    expect((await viewer.client.post(path, { confirm: 'Camille Martin' })).status).toBe(403);
    expect((await stranger.client.post(path, { confirm: 'Camille Martin' })).status).toBe(404);
    expect(await fingerprint(server.dataDir)).toEqual(before);
  });

  it('leaves no byte of them in the data folder, keeps the others byte for byte, and restarts', async () => {
    const { base, camille, helene, heleneDoc, camilleDoc } = await study();
    const heleneBefore = await heleneView(base, helene.id, heleneDoc.id);
    const heleneFiles = await filesOf(heleneDoc.id);
    expect(Object.keys(heleneFiles).length).toBeGreaterThan(0);
    // Before: the traces are there, in the backup too (the search is not vacuous).
    const found = await findInFolder(server.dataDir, CAMILLE_TRACES);
    expect(found.some((h) => h.file.startsWith('backups/'))).toBe(true);
    expect(found.some((h) => h.file.includes('cache'))).toBe(true);

    const res = await admin.post(`${base}/participants/${camille.id}/erase`, { confirm: 'Camille Martin' });
    expect(res.status).toBe(200);
    expect(res.body.erasure).toMatchObject({
      type: 'erasure',
      scope: 'participant',
      counts: { participants: 1, documents: 2, codings: 2, replacements: 2 },
    });
    expect(res.body.backups).toEqual({ rewritten: 1, removed: 0 });
    expect(JSON.stringify(res.body)).not.toContain('Camille');

    // Gone from the API, the others unchanged.
    const participants = (await admin.get(`${base}/participants`)).body.participants;
    expect(participants.map((p: { name: string }) => p.name)).toEqual(['Hélène Dubœuf']);
    expect((await admin.get(`${base}/documents/${camilleDoc.id}`)).status).toBe(404);
    expect((await admin.get(`${base}/search?q=marionnettes`)).body.total).toBe(0);
    expect(await heleneView(base, helene.id, heleneDoc.id)).toEqual({
      ...heleneBefore,
      replacements: {
        ...heleneBefore.replacements,
        replacements: heleneBefore.replacements.replacements.filter(
          (r: { from: string }) => !['Camille Martin', 'Brioude'].includes(r.from),
        ),
      },
    });

    // The log keeps its length and order: tombstones in place, the receipt last.
    const { events } = (await admin.get(`${base}/events?limit=1000`)).body;
    expect(events.map((e: { seq: number }) => e.seq)).toEqual(events.map((_: unknown, i: number) => i + 1));
    const tombstone = events.find((e: { redacted?: boolean }) => e.redacted);
    expect(Object.keys(tombstone).sort()).toEqual(['at', 'redacted', 'seq', 'txn', 'type', 'userId']);
    expect(events.at(-1)).toMatchObject({ type: 'erasure', counts: { documents: 2 } });
    expect(JSON.stringify(events)).not.toMatch(/Camille|Brioude|marionnettes/);

    await server.restart();
    const afterRestart = await heleneView(base, helene.id, heleneDoc.id);
    expect(afterRestart.participant).toEqual(heleneBefore.participant);
    expect(afterRestart.document).toEqual(heleneBefore.document);
    expect(afterRestart.codings).toEqual(heleneBefore.codings);
    expect((await admin.get(`${base}/search?q=tableur`)).body.total).toBe(1);
    // Undo reaches back through the changes that remain (the replacement list, Hélène's coding),
    // then stops at one that needed erased data, and says why.
    expect((await admin.post(`${base}/undo`)).status).toBe(200);
    expect((await admin.post(`${base}/undo`)).status).toBe(200);
    const undo = await admin.post(`${base}/undo`);
    expect(undo.status).toBe(409);
    expect(undo.body.error.message).toContain('effacées');
    await new Promise((r) => setTimeout(r, 2500)); // the search index written back to its cache
    // Stopped: every byte of the data folder, backups and zips included, is free of them.
    await server.stop();
    expect(await findInFolder(dataDir, CAMILLE_TRACES)).toEqual([]);
    expect((await findInFolder(dataDir, ['Hélène Dubœuf', 'Saint-Flour'])).length).toBeGreaterThan(0);
    expect(await filesOf(heleneDoc.id)).toEqual(heleneFiles);
    server = await start(dataDir);
    expect((await admin.get(`${base}/documents/${heleneDoc.id}`)).body.text).toBe(HELENE_TEXT);
  });

  it('sends the receipt to a live feed open meanwhile, and serves tombstones to one opened after', async () => {
    const { base, camille } = await study();
    const open = (after: number) =>
      fetch(`${server.url}${base}/events?after=${after}`, {
        headers: { accept: 'text/event-stream', cookie: admin.cookie },
      });
    /** The `change` messages of a live feed until one satisfies `until`. */
    const read = async (res: Response, until: (data: string) => boolean) => {
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
        const changes = [...text.matchAll(/event: change\ndata: (.*)\n/g)].map((m) => m[1] as string);
        if (changes.some(until)) {
          await reader.cancel();
          return changes;
        }
      }
      await reader.cancel();
      throw new Error(`live feed: not found in ${text.slice(-300)}`);
    };
    const { events } = (await admin.get(`${base}/events?limit=1000`)).body;
    const live = await open(events.at(-1).seq);
    await new Promise((r) => setTimeout(r, 200));
    expect(
      (await admin.post(`${base}/participants/${camille.id}/erase`, { confirm: 'Camille Martin' })).status,
    ).toBe(200);
    const heard = await read(live, (d) => d.includes('"type":"erasure"'));
    expect(heard.join('\n')).not.toContain('Camille');
    const replay = await read(await open(0), (d) => d.includes('"type":"erasure"'));
    expect(replay.some((d) => d.includes('"redacted":true'))).toBe(true);
    expect(replay.join('\n')).not.toMatch(/Camille|Brioude|marionnettes/);
  });

  it('erases one document the same way, the participant staying', async () => {
    const { base, camille, camilleDoc } = await study();
    const wrong = await admin.post(`${base}/documents/${camilleDoc.id}/erase`, { confirm: 'entretien' });
    expect(wrong.status).toBe(422);
    const res = await admin.post(`${base}/documents/${camilleDoc.id}/erase`, {
      confirm: 'entretien-camille.txt',
    });
    expect(res.status).toBe(200);
    expect(res.body.erasure.counts).toMatchObject({ participants: 0, documents: 1, codings: 2 });
    const participants = (await admin.get(`${base}/participants`)).body.participants;
    expect(participants.find((p: { id: string }) => p.id === camille.id)?.documentIds).toEqual([]);
    await server.restart();
    const hits = await findInFolder(server.dataDir, ['marionnettes à Brioude', 'hésite sur les chiffres']);
    // The deleted draft of the same interview is another document: still there, in its own text.
    expect(hits.every((h) => !h.file.includes(camilleDoc.id))).toBe(true);
    expect(hits.some((h) => h.file.includes('backups/') && h.file.includes(camilleDoc.id))).toBe(false);
  });

  it('erases a deleted project from the data folder and from the backups', async () => {
    const { base, pid } = await study();
    expect((await admin.delete(base)).status).toBe(204);
    await server.restart();
    expect(await findInFolder(server.dataDir, [...CAMILLE_TRACES, 'Hélène Dubœuf', pid])).toEqual([]);
  });
});
