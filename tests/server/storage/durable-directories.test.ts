import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureDirectory } from '../../../server/storage/durable-file.ts';

let root = '';
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'verbatim-dirs-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ensureDirectory', () => {
  it('fsyncs the folder holding each folder it creates, outermost first', async () => {
    const synced: string[] = [];
    await ensureDirectory(join(root, 'projects', 'p1', 'texts'), async (dir) => {
      synced.push(dir);
    });
    expect(synced).toEqual([root, join(root, 'projects'), join(root, 'projects', 'p1')]);
    expect((await stat(join(root, 'projects', 'p1', 'texts'))).isDirectory()).toBe(true);
    expect((await stat(join(root, 'projects'))).mode & 0o777).toBe(0o700);
  });

  it('syncs nothing when the folder is already there, and only the new part otherwise', async () => {
    const synced: string[] = [];
    const record = async (dir: string) => {
      synced.push(dir);
    };
    await ensureDirectory(join(root, 'a'), record);
    synced.length = 0;
    await ensureDirectory(join(root, 'a'), record);
    expect(synced).toEqual([]);
    await ensureDirectory(join(root, 'a', 'b'), record);
    expect(synced).toEqual([join(root, 'a')]);
  });
});
