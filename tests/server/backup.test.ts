import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackup, restoreBackup, rotateBackups } from '../../server/backup.ts';
import { openFileStore } from '../../server/storage/file-store.ts';
import { startWorld, type World } from '../api/setup.ts';

const folders: string[] = [];
let world: World | undefined;
afterEach(async () => {
  await world?.server.stop();
  world = undefined;
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function temp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-backup-'));
  folders.push(dir);
  return dir;
}

function run(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('backups', () => {
  it('backs up a running server and restores everything into a new folder', async () => {
    world = await startWorld();
    const demo = await world.admin.post('/api/projects/demo');
    const base = `/api/projects/${demo.body.id}`;
    const codes = (await world.admin.get(`${base}/codes`)).body.codes;
    const docs = (await world.admin.get(`${base}/documents`)).body.documents;
    await world.admin.post(`${base}/codings`, {
      documentId: docs[0].id,
      codeId: codes[0].id,
      start: 0,
      end: 12,
      memo: 'sauvegardé',
    });
    const before = await world.server.store.readProject(demo.body.id);
    const out = join(await temp(), 'sauvegarde.zip');
    await createBackup(world.server.dataDir, out);

    const restored = join(await temp(), 'data');
    await restoreBackup(out, restored);
    const store = await openFileStore(restored);
    try {
      expect(await store.readProject(demo.body.id)).toEqual(before);
      expect(await store.readText(demo.body.id, docs[0].id)).toBe(
        (await world.admin.get(`${base}/documents/${docs[0].id}`)).body.text,
      );
      const users = Object.values((await store.readInstance()).users).map((u) => u.username);
      expect(users).toEqual(['admin']);
    } finally {
      await store.close();
    }
  });

  it('never restores over existing data', async () => {
    world = await startWorld();
    const out = join(await temp(), 's.zip');
    await createBackup(world.server.dataDir, out);
    const target = await temp();
    await writeFile(join(target, 'autre.txt'), 'déjà là');
    await expect(restoreBackup(out, target)).rejects.toThrow(/pas vide/);
  });

  it('keeps only the latest backups when rotating', async () => {
    const dir = await temp();
    for (const day of ['01', '02', '03', '04'])
      await writeFile(join(dir, `verbatim-2026-11-${day}.zip`), 'x');
    await rotateBackups(dir, 2);
    expect((await readdir(dir)).sort()).toEqual(['verbatim-2026-11-03.zip', 'verbatim-2026-11-04.zip']);
  });

  it('runs as npm run backup and npm run restore', async () => {
    world = await startWorld();
    await world.admin.post('/api/projects', { name: 'Étude' });
    const file = join(await temp(), 'b.zip');
    const backup = await run(['backup', file], { VERBATIM_DATA: world.server.dataDir });
    expect(backup.code, backup.output).toBe(0);
    expect(backup.output).toMatch(/Sauvegarde écrite/);
    const target = join(await temp(), 'restaure');
    const restore = await run(['restore', file, target], {});
    expect(restore.code, restore.output).toBe(0);
    const store = await openFileStore(target);
    try {
      expect((await store.listProjects()).map((p) => p.project.name)).toEqual(['Étude']);
    } finally {
      await store.close();
    }
  });
});
