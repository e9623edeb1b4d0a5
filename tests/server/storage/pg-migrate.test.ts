// @vitest-environment node
/**
 * `npm run migrate`: a team's data folder copied into PostgreSQL and back into a new folder keeps
 * every event, text and original, and the source folder is left byte for byte as it was.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentId, ProjectId } from '../../../shared/ids.ts';
import { openFileStore } from '../../../server/storage/file-store.ts';
import { openPgStore } from '../../../server/storage/pg-store.ts';
import { tallyLocation, transfer } from '../../../server/storage/pg-transfer.ts';
import { Client, startTestServer } from '../../helpers/server.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../../helpers/postgres.ts';

const run = promisify(execFile);

/** Every file under a folder, with the SHA-256 of its bytes. */
async function fingerprint(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return out;
}

/** A data folder as a team leaves it: accounts, two projects, documents, codes and codings. */
async function aTeamFolder(): Promise<{ dir: string; pids: ProjectId[] }> {
  const server = await startTestServer({ dataDir: await mkdtemp(join(tmpdir(), 'verbatim-source-')) });
  const admin = new Client(() => server.url);
  await admin.post('/api/auth/setup', { username: 'admin', password: 'mot-de-passe-admin' });
  await admin.post('/api/users', { username: 'codeuse', password: 'secret-codeuse' });
  const pids: ProjectId[] = [];
  for (const name of ['Parcours de soins en Bretagne', 'Télétravail et santé']) {
    const project = await admin.post('/api/projects', { name });
    const pid = project.body.id as ProjectId;
    pids.push(pid);
    const base = `/api/projects/${pid}`;
    const doc = await admin.post(`${base}/documents`, {
      name: 'entretien-01.txt',
      text: 'Enquêtrice : « Vous ressaisissez ? »\nMme L. : Oui, tout ! 😀 l’œuvre, deux fois.',
    });
    const documentId = doc.body.documents[0].id as DocumentId;
    await server.store.putOriginal(pid, documentId, 'txt', new TextEncoder().encode('original é'));
    const code = await admin.post(`${base}/codes`, { name: 'Ressaisie' });
    for (let i = 0; i < 5; i++) {
      await admin.post(`${base}/codings`, { documentId, codeId: code.body.id, start: i, end: i + 10 });
    }
    await admin.patch(`${base}/codes/${code.body.id as string}`, { name: 'Double saisie' });
  }
  await server.stop();
  return { dir: server.dataDir, pids };
}

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  const folders: string[] = [];
  afterAll(async () => {
    await (await cluster)?.stop();
    await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  describe('npm run migrate', () => {
    it('copies a data folder into PostgreSQL and back, identical, without touching the source', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const { dir, pids } = await aTeamFolder();
      const back = join(await mkdtemp(join(tmpdir(), 'verbatim-back-')), 'data');
      folders.push(dir, join(back, '..'));
      const before = await fingerprint(dir);

      // lowdb → PostgreSQL, through the command a team runs.
      const { stdout } = await run(process.execPath, [
        '--import',
        'tsx',
        'scripts/migrate.ts',
        '--from',
        dir,
        '--to',
        url,
      ]);
      expect(stdout).toContain('Copie vérifiée : 2 projet(s)');
      expect(stdout).toMatch(
        /« Parcours de soins en Bretagne » : \d+ évènements, 1 documents, 1 codes, 5 codages, 1 textes, 1 originaux, sha256 [0-9a-f]{64}/,
      );

      // PostgreSQL → a new folder.
      const report = await transfer(url, back);
      expect(report.differences).toEqual([]);
      expect(report.source.map((t) => t.name.split(' ')[0])).toEqual(['instance', 'projet', 'projet']);
      expect(report.source.find((t) => t.name === 'instance')?.counts).toMatchObject({ comptes: 2 });

      expect(await fingerprint(dir)).toEqual(before);
      const [fromSource, fromPg, fromBack] = await Promise.all([dir, url, back].map(tallyLocation));
      expect(fromPg).toEqual(fromSource);
      expect(fromBack).toEqual(fromSource);

      // Both copies open as stores holding the same states, texts and originals.
      const original = await openFileStore(dir);
      const copy = await openFileStore(back);
      const pg = await openPgStore(url);
      try {
        for (const pid of pids) {
          const state = await original.readProject(pid);
          expect(await copy.readProject(pid)).toEqual(state);
          expect(await pg.readProject(pid)).toEqual(state);
          const documentId = Object.keys(state?.documents ?? {})[0] as DocumentId;
          const text = await original.readText(pid, documentId);
          expect(await copy.readText(pid, documentId)).toBe(text);
          expect(await pg.readText(pid, documentId)).toBe(text);
          expect(new TextDecoder().decode(await pg.readOriginal(pid, documentId, 'txt'))).toBe('original é');
        }
        expect(await pg.readInstance()).toEqual(await original.readInstance());
      } finally {
        await Promise.all([original.close(), copy.close(), pg.close()]);
      }
    });

    it('refuses a target that is not empty, and a folder in use by a running server', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const { dir } = await aTeamFolder();
      folders.push(dir);
      await transfer(dir, url);
      await expect(transfer(dir, url)).rejects.toThrow(/n'est pas vide/);
      const running = await openFileStore(dir);
      try {
        await expect(transfer(dir, await (await cluster).createDatabase())).rejects.toThrow(/arrêtez-le/);
      } finally {
        await running.close();
      }
    });
  });
}
