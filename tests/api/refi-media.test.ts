/**
 * Recordings in REFI-QDA exchange: a document with a recording is exported as an AudioSource (or
 * VideoSource) whose Transcript carries its text, sync points and codings, with the recording in
 * the archive; importing that archive gives them all back, the recording stored as an upload is.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canValidate, form, validateXml } from '../server/refi/support.ts';
import type { Client } from '../helpers/server.ts';
import { wav } from '../helpers/wav.ts';
import { startWorld, type World } from './setup.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

/** A transcript with a transcriber's times, an emoji before them so that code points matter. */
const TRANSCRIPT =
  '[00:00:01] Enquêtrice : Bonjour 👋, on commence ?\n' +
  '[00:00:04] Lina : Oui. On ressaisit tout à la main, deux fois. #00:00:06-5#\n' +
  'Enquêtrice : Et le planning ?\n' +
  '[00:00:09] Lina : Il ne parle pas à la paie.\n';

/** Code points of `passage` in `text`. */
function span(text: string, passage: string): { start: number; end: number } {
  const at = text.indexOf(passage);
  if (at < 0) throw new Error(`passage absent: ${passage}`);
  const start = Array.from(text.slice(0, at)).length;
  return { start, end: start + Array.from(passage).length };
}

async function download(
  client: Client,
  path: string,
): Promise<{ status: number; bytes: Uint8Array; type: string }> {
  const res = await fetch(`${world.server.url}${path}`, { headers: { cookie: client.cookie } });
  return {
    status: res.status,
    bytes: new Uint8Array(await res.arrayBuffer()),
    type: res.headers.get('content-type') ?? '',
  };
}

/** A project with two documents: one with a WAV recording, sync points and codings; one plain. */
async function projectWithRecording() {
  const admin = world.admin;
  const pid = (await admin.post('/api/projects', { name: 'Entretiens enregistrés' })).body.id as string;
  const base = `/api/projects/${pid}`;
  const upload = new FormData();
  upload.append('file', new Blob([TRANSCRIPT]), 'lina.txt');
  const docId = (await admin.request('POST', `${base}/documents`, upload)).body.documents[0].id as string;
  await admin.post(`${base}/documents`, { name: 'notes.txt', text: 'Q : Rien à signaler ?\nR : Non.' });
  const text = (await admin.get(`${base}/documents/${docId}`)).body.text as string;
  const code = async (name: string) => (await admin.post(`${base}/codes`, { name, parentId: null })).body.id;
  const ressaisie = await code('Double saisie');
  const outils = await code('Outils');
  for (const [codeId, passage, memo] of [
    [ressaisie, 'On ressaisit tout à la main', 'Typique.'],
    [outils, 'On ressaisit tout à la main', undefined],
    [outils, 'planning', undefined],
  ] as const) {
    const res = await admin.post(`${base}/codings`, {
      documentId: docId,
      codeId,
      ...span(text, passage),
      ...(memo ? { memo } : {}),
    });
    expect(res.status).toBe(201);
  }
  const recording = wav(1.5, 2);
  const attached = await admin.request(
    'POST',
    `${base}/documents/${docId}/media`,
    form(recording, 'lina.wav'),
  );
  expect(attached.status).toBe(201);
  return { base, docId, text, recording, media: attached.body.media as { id: string } };
}

async function importQdpx(bytes: Uint8Array) {
  return world.admin.request('POST', '/api/projects/import', form(bytes, 'projet.qdpx'));
}

/** Codings as comparable rows: code name, span, covered text, memo without the import's label. */
async function codingRows(base: string) {
  const codes = (await world.admin.get(`${base}/codes`)).body.codes as { id: string; name: string }[];
  const name = new Map(codes.map((c) => [c.id, c.name]));
  const codings = (await world.admin.get(`${base}/codings`)).body.codings as {
    codeId: string;
    start: number;
    end: number;
    text: string;
    memo: string;
  }[];
  return codings
    .map((c) => ({
      code: name.get(c.codeId),
      start: c.start,
      end: c.end,
      text: c.text,
      memo: c.memo.replace(/^Codeur d'origine : [^\n]+(\n\n)?/, ''),
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** The archive with `project.qde` rewritten and the recording's entry replaced (or removed). */
function rewrite(archive: Uint8Array, recording: string, replacement: Uint8Array | undefined): Uint8Array {
  const files = unzipSync(archive);
  delete files[`sources/${recording}`];
  if (replacement) files[`sources/${recording}`] = new Uint8Array(replacement);
  return zipSync(files);
}

describe('REFI-QDA export of a document with a recording', () => {
  it('writes an AudioSource whose Transcript holds the text, a SyncPoint per sync point and the codings, with the WAV in sources/; Project.xsd-valid', async () => {
    const { base, docId, text, recording, media } = await projectWithRecording();
    const res = await download(world.admin, `${base}/exports/project.qdpx`);
    expect(res.status).toBe(200);
    const files = unzipSync(res.bytes);
    expect(files[`sources/${media.id}.wav`]).toEqual(recording);
    // Stored as is (already compressed audio or video gains nothing from deflate).
    const methods = new Map<string, number>();
    unzipSync(res.bytes, {
      filter: (entry) => {
        methods.set(entry.name, entry.compression);
        return false;
      },
    });
    expect(methods.get(`sources/${media.id}.wav`)).toBe(0);
    expect(strFromU8(files[`sources/${docId}.txt`] as Uint8Array)).toBe(text);
    const xml = strFromU8(files['project.qde'] as Uint8Array);
    expect(xml).toMatch(
      new RegExp(`<AudioSource guid="${docId}" name="lina.wav" path="internal://${media.id}.wav"`),
    );
    expect(xml).toMatch(
      new RegExp(`<Transcript [^>]*name="lina.txt" plainTextPath="internal://${docId}.txt"`),
    );
    // The four times of the transcript, in milliseconds, at their code points.
    const timed = [...xml.matchAll(/<SyncPoint guid="[^"]+" timeStamp="(\d+)" position="(\d+)"/g)].map(
      (m) => [Number(m[2]), Number(m[1])],
    );
    const document = (await world.admin.get(`${base}/documents/${docId}`)).body;
    expect(timed).toEqual(
      document.syncPoints.map((p: { position: number; time: number }) => [p.position, p.time * 1000]),
    );
    expect(timed.map(([, ms]) => ms)).toEqual([1000, 4000, 6500, 9000]);
    // Three selections (the shared passage with its memo and without, « planning »), each between
    // two sync points: its ends, timed or not.
    expect(xml.match(/<TranscriptSelection /g)).toHaveLength(3);
    const planning = span(text, 'planning');
    expect(xml).toMatch(new RegExp(`<SyncPoint guid="[^"]+" position="${planning.start}"/>`));
    expect(xml.match(/<Coding /g)).toHaveLength(3);
    // The plain document is a TextSource as before.
    expect(xml).toMatch(/<TextSource [^>]*name="notes.txt"/);
    expect(xml).not.toMatch(new RegExp(`<TextSource guid="${docId}"`));
    if (canValidate()) {
      const verdict = await validateXml(xml, 'Project');
      expect(verdict.output).toBe('');
      expect(verdict.valid).toBe(true);
    }
  });

  it('exports a document whose recording file is gone as a TextSource, as before', async () => {
    const { base, docId, media } = await projectWithRecording();
    const pid = base.split('/').pop() as string;
    await rm(join(world.server.dataDir, 'projects', pid, 'recordings', `${docId}.${media.id}`));
    const files = unzipSync((await download(world.admin, `${base}/exports/project.qdpx`)).bytes);
    expect(Object.keys(files).filter((name) => name.endsWith('.wav'))).toEqual([]);
    const xml = strFromU8(files['project.qde'] as Uint8Array);
    expect(xml).toMatch(new RegExp(`<TextSource guid="${docId}"`));
    expect(xml).not.toMatch(/<AudioSource /);
  });
});

describe('REFI-QDA round trip of a recording', () => {
  it('gives back the text, the codings, the sync points and the same recording bytes', async () => {
    const { base, docId, text, recording } = await projectWithRecording();
    const exported = (await download(world.admin, `${base}/exports/project.qdpx`)).bytes;
    const res = await importQdpx(exported);
    expect(res.status).toBe(201);
    expect(res.body.report).toMatchObject({ documents: 2, codings: 3, recordings: 1 });
    expect(res.body.report.warnings).toEqual([]);
    const copy = `/api/projects/${res.body.project.id as string}`;
    const original = (await world.admin.get(`${base}/documents/${docId}`)).body;
    const imported = (await world.admin.get(`${copy}/documents/${docId}`)).body;
    expect(imported.text).toBe(text);
    expect(imported.name).toBe('lina.txt');
    expect(imported.syncPoints).toEqual(original.syncPoints);
    expect(imported.media).toMatchObject({ name: 'lina.wav', type: 'audio/wav', size: recording.length });
    expect(imported.media.duration).toBe(1.5);
    expect(await codingRows(copy)).toEqual(await codingRows(base));
    const played = await download(world.admin, `${copy}/documents/${docId}/media`);
    expect(played.status).toBe(200);
    expect(played.type).toBe('audio/wav');
    expect(played.bytes).toEqual(recording);
    // Stored where an uploaded recording is: the new project's recordings folder.
    const folder = join(world.server.dataDir, 'projects', res.body.project.id as string, 'recordings');
    expect(await readdir(folder)).toEqual([`${docId}.${imported.media.id as string}`]);
  });

  it('stores the imported recording on the map of personal data: erasing its document removes it', async () => {
    const { base, docId } = await projectWithRecording();
    const res = await importQdpx((await download(world.admin, `${base}/exports/project.qdpx`)).bytes);
    const copy = `/api/projects/${res.body.project.id as string}`;
    const folder = join(world.server.dataDir, 'projects', res.body.project.id as string, 'recordings');
    expect(await readdir(folder)).toHaveLength(1);
    const erased = await world.admin.post(`${copy}/documents/${docId}/erase`, { confirm: 'lina.txt' });
    expect(erased.status).toBe(200);
    expect(await readdir(folder)).toEqual([]);
  });
});

describe('REFI-QDA import of a recording that cannot be kept', () => {
  it('imports the transcript without its recording when the archive names a file it does not hold, and says so', async () => {
    const { base, docId, text, media } = await projectWithRecording();
    const exported = (await download(world.admin, `${base}/exports/project.qdpx`)).bytes;
    const res = await importQdpx(rewrite(exported, `${media.id}.wav`, undefined));
    expect(res.status).toBe(201);
    expect(res.body.report).toMatchObject({ documents: 2, codings: 3, recordings: 0 });
    expect(res.body.report.warnings).toEqual([
      `L'enregistrement de « lina.wav » (« internal://${media.id}.wav ») est absent du dossier sources : sa transcription est importée sans lui.`,
    ]);
    const copy = `/api/projects/${res.body.project.id as string}`;
    const imported = (await world.admin.get(`${copy}/documents/${docId}`)).body;
    expect(imported.text).toBe(text);
    expect(imported.syncPoints).toHaveLength(4);
    expect(imported.media).toBeUndefined();
    expect((await world.admin.get(`${copy}/documents/${docId}/media`)).status).toBe(404);
  });

  it('refuses bytes that are no recording as an upload is: not stored, a warning, the rest imported', async () => {
    const { base, docId, media } = await projectWithRecording();
    const exported = (await download(world.admin, `${base}/exports/project.qdpx`)).bytes;
    const page = strToU8('<!doctype html><html><body>Ceci n’est pas un son.</body></html>');
    const res = await importQdpx(rewrite(exported, `${media.id}.wav`, page));
    expect(res.status).toBe(201);
    expect(res.body.report.recordings).toBe(0);
    expect(res.body.report.warnings).toHaveLength(1);
    expect(res.body.report.warnings[0]).toMatch(
      /^L'enregistrement de « lina.wav » n'est pas importé : .*n'est pas un enregistrement reconnu/,
    );
    const copy = `/api/projects/${res.body.project.id as string}`;
    expect((await world.admin.get(`${copy}/documents/${docId}`)).body.media).toBeUndefined();
    const folder = join(world.server.dataDir, 'projects', res.body.project.id as string);
    expect(await readdir(folder)).not.toContain('recordings');
  });
});
