// @vitest-environment node
/**
 * Whatever the file store creates in the data folder is made durable: each folder through
 * `ensureDirectory` (which fsyncs the folder holding it, tested in durable-directories.test.ts),
 * a new journal by an fsync of its folder. The calls are inspected through spies wrapping the real
 * functions, so the files are really written.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newId, type DocumentId, type ProjectId, type UserId } from '../../../shared/ids.ts';
import * as durable from '../../../server/storage/durable-file.ts';
import { openFileStore } from '../../../server/storage/file-store.ts';
import { FileJournal } from '../../../server/storage/journal.ts';
import { createBackup, restoreBackup } from '../../../server/backup.ts';

vi.mock('../../../server/storage/durable-file.ts', async (importOriginal) => {
  const original = await importOriginal<typeof durable>();
  return {
    ...original,
    ensureDirectory: vi.fn(original.ensureDirectory),
    syncDirectory: vi.fn(original.syncDirectory),
  };
});

const ensured = vi.mocked(durable.ensureDirectory);
const synced = vi.mocked(durable.syncDirectory);
let root = '';

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'verbatim-durable-creation-'));
  ensured.mockClear();
  synced.mockClear();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const ensuredPaths = () => ensured.mock.calls.map(([path]) => path);
const syncedPaths = () => synced.mock.calls.map(([path]) => path);

describe('creating in the data folder', () => {
  it('a new journal has its folder fsync’d; an existing one is opened without', async () => {
    const path = join(root, 'events.jsonl');
    const created = await FileJournal.open(path);
    expect(syncedPaths()).toEqual([root]);
    await created.journal.append([{ seq: 1 }], 1);
    await created.journal.close();
    synced.mockClear();
    const reopened = await FileJournal.open(path);
    expect(syncedPaths()).toEqual([]);
    await reopened.journal.close();
  });

  it('a new data folder, a project, its originals and its cache are created through ensureDirectory', async () => {
    const dir = join(root, 'data');
    const store = await openFileStore(dir);
    try {
      expect(ensuredPaths()).toEqual([dir, join(dir, 'projects')]);
      ensured.mockClear();
      synced.mockClear();

      const lead = newId<UserId>();
      const id = newId<ProjectId>();
      const at = '2026-03-01T09:00:00.000Z';
      await store.createProject({ id, name: 'P', description: '', createdAt: at, createdBy: lead }, {}, lead);
      const project = join(dir, 'projects', id);
      expect(ensuredPaths()).toEqual([join(project, 'texts')]);
      // The journal made inside the new project's folder: that folder is fsync'd for it.
      expect(syncedPaths()).toContain(project);

      ensured.mockClear();
      await store.putOriginal(id, newId<DocumentId>(), 'txt', new TextEncoder().encode('Camille : oui.'));
      await store.writeCache(id, 'search-index', new TextEncoder().encode('{}'));
      expect(ensuredPaths()).toEqual([join(project, 'originals'), join(project, 'cache')]);

      ensured.mockClear();
      await store.deleteProject(id);
      expect(ensuredPaths()).toEqual([join(dir, 'trash')]);
    } finally {
      await store.close();
    }
  });

  it('a restored backup makes each of its folders through ensureDirectory', async () => {
    const dir = join(root, 'data');
    const store = await openFileStore(dir);
    const lead = newId<UserId>();
    const id = newId<ProjectId>();
    await store.createProject(
      { id, name: 'P', description: '', createdAt: '2026-03-01T09:00:00.000Z', createdBy: lead },
      {},
      lead,
    );
    await store.putText(id, newId<DocumentId>(), 'Camille : oui.');
    await store.close();
    const file = join(root, 'backups', 'one.zip');
    await createBackup(dir, file);

    ensured.mockClear();
    const restored = join(root, 'restored');
    await restoreBackup(file, restored);
    expect(new Set(ensuredPaths())).toEqual(
      new Set([
        join(restored, 'projects'),
        restored,
        join(restored, 'projects', id),
        join(restored, 'projects', id, 'texts'),
      ]),
    );
  });
});
