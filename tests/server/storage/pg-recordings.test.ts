// @vitest-environment node
/**
 * Recordings on PostgreSQL live in VERBATIM_MEDIA_DIR, a folder every instance sees: a recording
 * uploaded through one instance is served by the other, undo on one brings back what the other
 * replaced, and erasure and project deletion reach the folder.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findInFolder } from '../../helpers/find-bytes.ts';
import {
  postgresAvailable,
  startPgCluster,
  startPgServer,
  type PgCluster,
  type PgTestServer,
} from '../../helpers/postgres.ts';
import { fetchRecording, uploadRecording, wavFile } from '../../helpers/recordings.ts';
import { Client } from '../../helpers/server.ts';
import { openPgStore } from '../../../server/storage/pg-store.ts';
import type { ProjectId, UserId } from '../../../shared/ids.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  afterAll(async () => {
    await (await cluster)?.stop();
  });

  describe('recordings shared by several instances on PostgreSQL', () => {
    let a: PgTestServer;
    let b: PgTestServer;
    let onA: Client;
    let onB: Client;
    let mediaDir: string;
    let base: string;
    let pid: string;
    let docPath: string;
    let url: string;

    beforeEach(async () => {
      cluster ??= startPgCluster();
      url = await (await cluster).createDatabase();
      mediaDir = await mkdtemp(join(tmpdir(), 'verbatim-media-'));
      a = await startPgServer(url, { mediaDir });
      b = await startPgServer(url, { mediaDir });
      onA = new Client(() => a.url);
      onB = new Client(() => b.url);
      expect((await onA.post('/api/auth/setup', ADMIN)).status).toBe(201);
      expect((await onB.post('/api/auth/login', ADMIN)).status).toBe(200);
      pid = (await onA.post('/api/projects', { name: 'Partagé' })).body.id;
      base = `/api/projects/${pid}`;
      const doc = await onA.post(`${base}/documents`, { name: 'e.txt', text: 'Camille : bonjour.' });
      docPath = `${base}/documents/${doc.body.documents[0].id}`;
    }, 60_000);
    afterEach(async () => {
      await a.stop();
      await b.stop();
      await rm(mediaDir, { recursive: true, force: true });
    });

    it('serves through one instance, with ranges, what was uploaded through the other', async () => {
      const wav = wavFile(2);
      expect((await uploadRecording(onA, docPath, wav, 'e.wav')).status).toBe(201);
      expect((await onB.get(docPath)).body.media).toMatchObject({
        name: 'e.wav',
        size: wav.length,
        duration: 2,
      });
      const middle = await fetchRecording(onB, b.url, docPath, 'bytes=100-5099');
      expect(middle.status).toBe(206);
      expect(middle.bytes).toEqual(wav.subarray(100, 5100));
      expect(await readdir(join(mediaDir, pid))).toHaveLength(1);
    });

    it('undoes on one instance a replacement made through it, after the other served the new one', async () => {
      const first = wavFile(1);
      const second = wavFile(2);
      await uploadRecording(onA, docPath, first, 'a.wav');
      await uploadRecording(onA, docPath, second, 'b.wav');
      expect((await fetchRecording(onB, b.url, docPath)).bytes).toEqual(second);
      expect((await onA.post(`${base}/undo`)).status).toBe(200);
      expect((await fetchRecording(onB, b.url, docPath)).bytes).toEqual(first);
    });

    it('erasing the document removes its recordings from the shared folder; deleting the project, the folder', async () => {
      await uploadRecording(onA, docPath, wavFile(1, 8000, 'Camille Martin'), 'a.wav');
      await uploadRecording(onB, docPath, wavFile(1, 8000, 'Camille Martin'), 'b.wav');
      expect((await findInFolder(mediaDir, ['Camille Martin'])).length).toBe(2);
      expect((await onB.post(`${docPath}/erase`, { confirm: 'e.txt' })).status).toBe(200);
      expect(await findInFolder(mediaDir, ['Camille Martin'])).toEqual([]);
      const other = await onA.post(`${base}/documents`, { name: 'f.txt', text: 'Texte.' });
      await uploadRecording(onA, `${base}/documents/${other.body.documents[0].id}`, wavFile(1), 'c.wav');
      expect((await onA.delete(base)).status).toBe(204);
      expect(await readdir(mediaDir)).toEqual([]);
    });

    it('sweeps at start what a crash left between an erasure or a deletion and its sweep', async () => {
      await uploadRecording(onA, docPath, wavFile(1, 8000, 'Camille Martin'), 'a.wav');
      const kept = await onA.post(`${base}/documents`, { name: 'g.txt', text: 'Texte.' });
      const keptPath = `${base}/documents/${kept.body.documents[0].id}`;
      await uploadRecording(onA, keptPath, wavFile(1), 'g.wav');
      // Deleted, not erased: its recording stays, for undo.
      expect((await onA.delete(keptPath)).status).toBe(200);
      // The erasure committed through the bare store, as if the process died before sweeping.
      const documentId = docPath.split('/').at(-1) as string;
      const bare = await openPgStore(url);
      const lead = (await onA.get('/api/auth/me')).body.user.id as UserId;
      await bare.erase(pid as ProjectId, lead, { kind: 'document', documentId }, () => undefined);
      await bare.close();
      const orphan = join(mediaDir, crypto.randomUUID());
      await mkdir(join(orphan, 'recordings'), { recursive: true });
      await writeFile(join(orphan, 'recordings', 'x.y'), 'Camille Martin');
      expect((await findInFolder(mediaDir, ['Camille Martin'])).length).toBe(2);
      await a.stop();
      a = await startPgServer(url, { mediaDir });
      expect(await findInFolder(mediaDir, ['Camille Martin'])).toEqual([]);
      expect(await readdir(join(mediaDir, pid, 'recordings'))).toHaveLength(1);
    });

    it('refuses recordings, saying why, on an instance started without VERBATIM_MEDIA_DIR', async () => {
      const url = await (await cluster!).createDatabase();
      const bare = await startPgServer(url);
      try {
        const client = new Client(() => bare.url);
        await client.post('/api/auth/setup', ADMIN);
        const project = (await client.post('/api/projects', { name: 'Sans dossier' })).body.id;
        const doc = await client.post(`/api/projects/${project}/documents`, {
          name: 'e.txt',
          text: 'Texte.',
        });
        const res = await uploadRecording(
          client,
          `/api/projects/${project}/documents/${doc.body.documents[0].id}`,
          wavFile(0.5),
          'e.wav',
        );
        expect(res.status).toBe(503);
        expect(res.body.error.message).toContain('VERBATIM_MEDIA_DIR');
      } finally {
        await bare.stop();
      }
    });
  });
}
