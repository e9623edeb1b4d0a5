// @vitest-environment node
/**
 * `npm run migrate` of a data folder holding text PostgreSQL cannot store (a NUL, a lone
 * surrogate), written by a version that did not refuse it: the command names the project, the
 * event and the field, writes nothing, and says how to repair; with `--repair` the folder migrates,
 * each such character replaced by U+FFFD.
 */
import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { DocumentId, ProjectId } from '../../../shared/ids.ts';
import { openPgStore } from '../../../server/storage/pg-store.ts';
import { tallyLocation, transfer } from '../../../server/storage/pg-transfer.ts';
import { Client, startTestServer } from '../../helpers/server.ts';
import { postgresAvailable, startPgCluster, type PgCluster } from '../../helpers/postgres.ts';

const run = promisify(execFile);

/** A folder whose project log ends with a description holding a lone surrogate and a NUL. */
async function aFolderWithBadText(): Promise<{
  dir: string;
  pid: ProjectId;
  seq: number;
  docId: DocumentId;
}> {
  const server = await startTestServer({ dataDir: await mkdtemp(join(tmpdir(), 'verbatim-bad-')) });
  const admin = new Client(() => server.url);
  await admin.post('/api/auth/setup', { username: 'admin', password: 'mot-de-passe-admin' });
  const project = (await admin.post('/api/projects', { name: 'Santé au travail' })).body;
  const pid = project.id as ProjectId;
  const doc = await admin.post(`/api/projects/${pid}/documents`, { name: 'e.txt', text: 'Bonjour à tous.' });
  const docId = doc.body.documents[0].id as DocumentId;
  const state = await server.store.readProject(pid);
  await server.stop();
  const seq = (state?.seq ?? 0) + 1;
  const before = state?.project;
  const event = {
    type: 'project_updated',
    before,
    after: { ...before, description: 'Notes \ud83d et \u0000 fin' },
    seq,
    txn: seq,
    at: new Date().toISOString(),
    userId: Object.keys(state?.members ?? {})[0] ?? null,
  };
  await appendFile(join(server.dataDir, 'projects', pid, 'events.jsonl'), JSON.stringify(event) + '\n');
  // A text written with a NUL in it (same length: offsets stay valid once repaired).
  await writeFile(join(server.dataDir, 'projects', pid, 'texts', `${docId}.txt`), 'Bonjour\u0000à tous.');
  return { dir: server.dataDir, pid, seq, docId };
}

const migrate = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/migrate.ts', ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  const folders: string[] = [];
  afterAll(async () => {
    await (await cluster)?.stop();
    await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  describe('npm run migrate with text PostgreSQL cannot store', () => {
    it('names the project, event and field, writes nothing, and says how to repair', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const { dir, pid, seq } = await aFolderWithBadText();
      folders.push(dir);
      const journal = await readFile(join(dir, 'projects', pid, 'events.jsonl'));

      const result = await migrate('--from', dir, '--to', url);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`projet ${pid} « Santé au travail »`);
      expect(result.stderr).toContain(`l’évènement n° ${seq} (project_updated), champ after.description`);
      expect(result.stderr).toContain('--repair');
      expect(result.stderr).not.toMatch(/invalid input syntax/);

      // Nothing in the target (a second try is accepted), nothing changed in the source.
      const target = await tallyLocation(url);
      expect(target.map((t) => t.name)).toEqual(['instance']);
      expect(target[0]?.events).toBe(0);
      expect(await readFile(join(dir, 'projects', pid, 'events.jsonl'))).toEqual(journal);
    });

    it('with --repair, migrates the folder with each such character replaced by U+FFFD', async () => {
      cluster ??= startPgCluster();
      const url = await (await cluster).createDatabase();
      const { dir, pid, seq, docId } = await aFolderWithBadText();
      folders.push(dir);

      const result = await migrate('--repair', '--from', dir, '--to', url);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Réparé (caractères remplacés par U+FFFD) : projet ${pid}`);
      expect(result.stdout).toContain(`l’évènement n° ${seq} (project_updated), champ after.description`);
      expect(result.stdout).toContain(`le texte du document ${docId}`);
      expect(result.stdout).toContain('Copie vérifiée : 1 projet(s)');

      const store = await openPgStore(url);
      try {
        expect((await store.readProject(pid))?.project.description).toBe('Notes \ufffd et \ufffd fin');
        expect(await store.readText(pid, docId)).toBe('Bonjour\ufffdà tous.');
      } finally {
        await store.close();
      }
    });

    it('leaves a target folder empty when the copy stops', async () => {
      const { dir } = await aFolderWithBadText();
      const target = await mkdtemp(join(tmpdir(), 'verbatim-target-'));
      folders.push(dir, target);
      await expect(transfer(dir, target)).rejects.toThrow(/Relancez avec --repair/);
      expect(await readdir(target)).toEqual([]);
    });
  });
}
