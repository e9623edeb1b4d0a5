// @vitest-environment node
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  appendFile,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DomainError } from '../../../shared/errors.ts';
import {
  applyProjectEvent,
  emptyProjectState,
  type ProjectEvent,
  type ProjectEventBody,
} from '../../../shared/events.ts';
import {
  newId,
  type CodeId,
  type CodingId,
  type DocumentId,
  type ProjectId,
  type UserId,
} from '../../../shared/ids.ts';
import type { Code, Coding, Project, ProjectState, UserRecord } from '../../../shared/model.ts';
import { StorageCorruptError } from '../../../server/storage/durable-file.ts';
import { openFileStore, type FileStoreOptions } from '../../../server/storage/file-store.ts';
import { journalLine, type JournalSink } from '../../../server/storage/journal.ts';
import { Ledger } from '../../../server/storage/ledger.ts';
import { DataFolderLockedError } from '../../../server/storage/lock.ts';
import type { Store } from '../../../server/storage/store.ts';
import { fingerprint } from '../../helpers/data-folder.ts';
import { newCode } from '../../helpers/code.ts';

const folders: string[] = [];
const openStores = new Set<Store>();

afterEach(async () => {
  vi.restoreAllMocks();
  for (const store of openStores) await store.close();
  openStores.clear();
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh, empty temporary folder, removed after the test. */
async function tempFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-file-store-'));
  folders.push(dir);
  return dir;
}

async function openStore(dir: string, options?: FileStoreOptions): Promise<Store> {
  const store = await openFileStore(dir, options);
  openStores.add(store);
  return store;
}

async function closeStore(store: Store): Promise<void> {
  openStores.delete(store);
  await store.close();
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

function aProject(): Project {
  return {
    id: newId<ProjectId>(),
    name: 'Parcours de soins en Bretagne',
    description: 'Entretiens avec des infirmières libérales',
    createdAt: '2024-03-01T09:00:00.000Z',
    createdBy: newId<UserId>(),
  };
}

/** A code whose description holds French typography, for what is written to and read from disk. */
function aCode(name: string, createdBy: UserId): Code {
  return newCode(name, createdBy, {
    color: '#e6194b',
    description: 'Passages où l’on parle de « double saisie »',
  });
}

function aCoding(codeId: CodeId, coderId: UserId, start: number): Coding {
  return {
    id: newId<CodingId>(),
    documentId: newId<DocumentId>(),
    codeId,
    start,
    end: start + 9,
    text: 'tout à la',
    coderId,
    createdAt: '2024-03-01T09:10:00.000Z',
    memo: 'à revoir 😀',
  };
}

function aUser(username: string): UserRecord {
  return {
    id: newId<UserId>(),
    username,
    displayName: username,
    isAdmin: true,
    passwordHash: 'scrypt$fake$hash',
    createdAt: '2024-03-01T08:00:00.000Z',
    passwordVersion: 1,
  };
}

/** Create a project and `changes` more events (codes and codings), one change at a time. */
async function fillProject(store: Store, changes: number) {
  const project = aProject();
  const lead = project.createdBy;
  await store.createProject(project, { [lead]: 'lead' }, lead);
  let code = aCode('Thème 0', lead);
  for (let i = 0; i < changes; i++) {
    const body: ProjectEventBody =
      i % 3 === 0
        ? { type: 'code_created', code: (code = aCode(`Thème ${i}`, lead)) }
        : { type: 'coding_created', coding: aCoding(code.id, lead, i) };
    await store.changeProject(project.id, lead, () => ({ events: [body], result: null }));
  }
  return { project, lead };
}

/**
 * Open the store over a folder where `projectId` is damaged: it starts, keeps that project closed
 * and reports `path` as the damaged file, and leaves every byte of the folder as it was.
 */
async function expectDamaged(dir: string, projectId: ProjectId, path: string): Promise<Store> {
  const before = await fingerprint(dir);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const store = await openStore(dir);
  expect(await store.readProject(projectId)).toBeUndefined();
  expect(store.damagedProject?.(projectId)?.path).toBe(path);
  expect(console.error).toHaveBeenCalledWith(expect.stringContaining(path));
  expect(await fingerprint(dir)).toEqual(before);
  return store;
}

function journalOf(dir: string, projectId: ProjectId): string {
  return join(dir, 'projects', projectId, 'events.jsonl');
}

/** The prototype of Node's FileHandle, to make the journal's disk calls fail on demand. */
async function fileHandlePrototype(dir: string): Promise<FileHandle> {
  const probe = await open(join(dir, 'verbatim.json'), 'r');
  await probe.close();
  return Object.getPrototypeOf(probe) as FileHandle;
}

/** Wait until a project's snapshot reaches `seq` (snapshots are written off the request path). */
async function snapshotReaches(dir: string, projectId: ProjectId, seq: number): Promise<void> {
  const path = join(dir, 'projects', projectId, 'project.json');
  for (let tries = 0; tries < 1000; tries++) {
    const raw = await readFile(path, 'utf8').catch(() => 'null');
    if (((JSON.parse(raw) as { seq: number } | null)?.seq ?? 0) >= seq) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`the snapshot of ${projectId} never reached seq ${seq}`);
}

function diskFull(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

describe('openFileStore: durability across restarts', () => {
  it('keeps the instance, projects and texts after close and reopen', async () => {
    const dir = await tempFolder();
    const first = await openStore(dir);
    const alice = aUser('alice');
    await first.changeInstance(null, () => ({
      events: [{ type: 'user_created', user: alice }],
      result: null,
    }));
    const { project } = await fillProject(first, 7);
    const documentId = newId<DocumentId>();
    const text = 'Mme L. : « On ressaisit tout, deux fois. » 😀\n';
    await first.putText(project.id, documentId, text);
    const instance = structuredClone(await first.readInstance());
    const state = structuredClone(await first.readProject(project.id));
    await closeStore(first);

    const second = await openStore(dir);
    expect(await second.readInstance()).toEqual(instance);
    expect(await second.readProject(project.id)).toEqual(state);
    expect((await second.listProjects()).length).toBe(1);
    expect(await second.readText(project.id, documentId)).toBe(text);
    expect((await second.readEvents(project.id, 0, 100)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('rebuilds the same state from a snapshot plus the journal after it (snapshotEvery: 5, 23 events)', async () => {
    const dir = await tempFolder();
    const first = await openStore(dir, { snapshotEvery: 5, snapshotQuietMs: 0 });
    const { project, lead } = await fillProject(first, 19);
    await closeStore(first);
    // Three more events without snapshots, so the journal surely reaches past the snapshot.
    const second = await openStore(dir, { snapshotEvery: 1000 });
    for (const name of ['Coûts', 'Délais', 'Fatigue']) {
      const code = aCode(name, lead);
      await second.changeProject(project.id, lead, () => ({
        events: [{ type: 'code_created', code }],
        result: null,
      }));
    }
    const expected = structuredClone(await second.readProject(project.id));
    expect(expected?.seq).toBe(23);
    await closeStore(second);

    const snapshot = JSON.parse(
      await readFile(join(dir, 'projects', project.id, 'project.json'), 'utf8'),
    ) as {
      seq: number;
      journalBytes: number;
    };
    expect(snapshot.seq).toBeGreaterThanOrEqual(5);
    expect(snapshot.seq).toBeLessThanOrEqual(20);
    expect(snapshot.journalBytes).toBeGreaterThan(0);

    const third = await openStore(dir, { snapshotEvery: 5, snapshotQuietMs: 0 });
    expect(await third.readProject(project.id)).toEqual(expected);
    expect((await third.readEvents(project.id, 0, 100)).map((e) => e.seq)).toEqual(
      Array.from({ length: 23 }, (_, i) => i + 1),
    );
  });

  it('the state rebuilt from the snapshot equals the state folded from every event', async () => {
    const dir = await tempFolder();
    const first = await openStore(dir, { snapshotEvery: 3, snapshotQuietMs: 0 });
    const { project } = await fillProject(first, 14);
    await closeStore(first);
    const second = await openStore(dir, { snapshotEvery: 3, snapshotQuietMs: 0 });
    const folded = emptyProjectState(project.id);
    for (const event of await second.readEvents(project.id, 0, 100)) applyProjectEvent(folded, event);
    expect(await second.readProject(project.id)).toEqual(folded);
  });

  it('waits for a quiet moment before serialising a snapshot, and snapshots a big log less often', async () => {
    const dir = await tempFolder();
    const store = await openStore(dir, { snapshotEvery: 4, snapshotQuietMs: 300 });
    const { project, lead } = await fillProject(store, 0);
    const path = join(dir, 'projects', project.id, 'project.json');
    const snapshotSeq = async () =>
      (JSON.parse(await readFile(path, 'utf8').catch(() => 'null')) as { seq: number } | null)?.seq ?? 0;
    const addCode = (name: string) =>
      store.changeProject(project.id, lead, () => ({
        events: [{ type: 'code_created', code: aCode(name, lead) }],
        result: null,
      }));
    // Writes every 50 ms: never 300 ms of quiet, so no snapshot until 4 × 4 events are waiting.
    for (let i = 0; i < 12; i++) {
      await addCode(`Thème ${i}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await snapshotSeq()).toBe(0);
    for (let i = 12; i < 16; i++) await addCode(`Thème ${i}`);
    await snapshotReaches(dir, project.id, 16);
    // Then quiet: the next one is written once the writes stop.
    for (let i = 16; i < 22; i++) await addCode(`Thème ${i}`);
    expect(await snapshotSeq()).toBeLessThan(22);
    await snapshotReaches(dir, project.id, 22);
    // A log of 80 events is snapshotted again only after 80 / 4 = 20 more, not after 4.
    for (let i = 22; i < 80; i++) await addCode(`Thème ${i}`);
    await snapshotReaches(dir, project.id, 80);
    await new Promise((r) => setTimeout(r, 700));
    const big = await snapshotSeq();
    expect(big).toBe((await store.readProject(project.id))?.seq);
    for (let i = 80; i < 90; i++) await addCode(`Thème ${i}`);
    await new Promise((r) => setTimeout(r, 700));
    expect(await snapshotSeq()).toBe(big);
  });

  it('close() returns only once nothing more will be written to the folder (no snapshot left in flight)', async () => {
    const dir = await tempFolder();
    const store = await openStore(dir, { snapshotEvery: 1, snapshotQuietMs: 0 });
    // Slow fsyncs of snapshots (the journal uses fdatasync), so one is surely under way at close.
    const proto = await fileHandlePrototype(dir);
    const realSync = proto.sync;
    vi.spyOn(proto, 'sync').mockImplementation(async function (this: FileHandle) {
      await new Promise((r) => setTimeout(r, 30));
      return realSync.call(this);
    });
    const { project } = await fillProject(store, 3);
    await closeStore(store);
    const projectDir = join(dir, 'projects', project.id);
    const listing = await readdir(projectDir);
    const snapshot = await readFile(join(projectDir, 'project.json'), 'utf8');
    expect(listing.filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    expect(await readdir(projectDir)).toEqual(listing);
    expect(await readFile(join(projectDir, 'project.json'), 'utf8')).toBe(snapshot);
  });

  it('tells subscribers about events only once they are in the journal file', async () => {
    const dir = await tempFolder();
    const store = await openStore(dir);
    const { project, lead } = await fillProject(store, 0);
    const seen: boolean[] = [];
    store.subscribe(project.id, (events) => {
      const lines = readFileSync(journalOf(dir, project.id), 'utf8').split('\n');
      seen.push(
        ...events.map((e) => lines.some((l) => l !== '' && (JSON.parse(l) as ProjectEvent).seq === e.seq)),
      );
    });
    const code = aCode('Coûts', lead);
    await store.changeProject(project.id, lead, () => ({
      events: [{ type: 'code_created', code }],
      result: null,
    }));
    expect(seen).toEqual([true]);
  });

  it('erases a deleted project (its folder is gone, nothing kept in trash/) and does not bring it back', async () => {
    const dir = await tempFolder();
    const first = await openStore(dir);
    const { project } = await fillProject(first, 2);
    await first.deleteProject(project.id);
    await closeStore(first);
    expect(await readdir(join(dir, 'trash'))).toEqual([]);
    expect(await readdir(join(dir, 'projects'))).toEqual([]);
    const second = await openStore(dir);
    expect(await second.listProjects()).toEqual([]);
    expect(await second.readProject(project.id)).toBeUndefined();
  });

  it('finishes at start a deletion a crash interrupted (a folder left in trash/)', async () => {
    const dir = await tempFolder();
    const first = await openStore(dir);
    const { project } = await fillProject(first, 2);
    await closeStore(first);
    await mkdir(join(dir, 'trash'));
    await rename(join(dir, 'projects', project.id), join(dir, 'trash', `${project.id}-1`));
    const second = await openStore(dir);
    expect(await readdir(join(dir, 'trash'))).toEqual([]);
    expect(await second.listProjects()).toEqual([]);
  });
});

describe('openFileStore: damage on disk', () => {
  it('moves a torn last journal line, never acknowledged, aside into damaged-<date>/, saying so', async () => {
    const dir = await tempFolder();
    const first = await openStore(dir);
    const { project, lead } = await fillProject(first, 4);
    const expected = structuredClone(await first.readProject(project.id));
    await closeStore(first);
    const journal = journalOf(dir, project.id);
    const { size } = await stat(journal);
    const torn = '{"type":"code_created","code":{"id":"4f1c';
    await appendFile(journal, torn);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);

    const second = await openStore(dir);
    expect(await second.readProject(project.id)).toEqual(expected);
    expect((await stat(journal)).size).toBe(size);
    const aside = (await readdir(join(dir, 'projects', project.id))).filter((n) => n.startsWith('damaged-'));
    expect(aside).toHaveLength(1);
    const tail = join(dir, 'projects', project.id, aside[0] as string, 'events.jsonl.tail');
    expect(await readFile(tail, 'utf8')).toBe(torn);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining(tail));
    // New events follow the last complete line, and survive another restart.
    const code = aCode('Après la coupure', lead);
    await second.changeProject(project.id, lead, () => ({
      events: [{ type: 'code_created', code }],
      result: null,
    }));
    await closeStore(second);
    const third = await openStore(dir);
    expect((await third.readProject(project.id))?.codes[code.id]).toEqual(code);
    expect((await third.readProject(project.id))?.seq).toBe(6);
  });

  it('keeps closed, as it is, a project with a garbage line in the middle of its journal', async () => {
    const dir = await tempFolder();
    const first = await openStore(dir);
    const { project } = await fillProject(first, 4);
    const other = await fillProject(first, 2);
    await closeStore(first);
    const journal = journalOf(dir, project.id);
    const lines = (await readFile(journal, 'utf8')).split('\n');
    lines.splice(2, 0, 'ceci n’est pas du JSON');
    await writeFile(journal, lines.join('\n'));

    const store = await expectDamaged(dir, project.id, journal);
    expect(store.damagedProject?.(project.id)?.reason).toMatch(/ligne 3 .* n'est pas du JSON/);
    // The other projects are served.
    expect((await store.readProject(other.project.id))?.seq).toBe(3);
  });

  it('keeps closed a project whose journal holds events out of sequence', async () => {
    const dir = await tempFolder();
    const first = await openStore(dir);
    const { project } = await fillProject(first, 4);
    await closeStore(first);
    const journal = journalOf(dir, project.id);
    const lines = (await readFile(journal, 'utf8')).split('\n');
    lines.splice(2, 1); // seq 3 vanishes: 4 no longer follows 2
    await writeFile(journal, lines.join('\n'));
    await expectDamaged(dir, project.id, journal);
  });

  it('keeps closed a project whose journal has been deleted, with its snapshot and texts', async () => {
    const dir = await tempFolder();
    const first = await openStore(dir, { snapshotEvery: 2, snapshotQuietMs: 0 });
    const { project } = await fillProject(first, 4);
    await closeStore(first);
    await rm(journalOf(dir, project.id));
    await expectDamaged(dir, project.id, journalOf(dir, project.id));
  });

  it('keeps closed a project whose snapshot is unparseable, rather than start it empty', async () => {
    const dir = await tempFolder();
    const first = await openStore(dir);
    const { project } = await fillProject(first, 4);
    await closeStore(first);
    const snapshotPath = join(dir, 'projects', project.id, 'project.json');
    await writeFile(snapshotPath, '{"seq":3,"journalBytes":12,"state":{"seq":');
    await expectDamaged(dir, project.id, snapshotPath);
  });

  it('refuses to open a non-empty folder that is not a Verbatim data folder, and leaves it alone', async () => {
    const dir = await tempFolder();
    await writeFile(join(dir, 'notes.txt'), 'Mes notes de terrain');
    const error = await rejection(openFileStore(dir));
    expect(error).toBeInstanceOf(StorageCorruptError);
    expect((error as StorageCorruptError).path).toBe(join(dir, 'verbatim.json'));
    expect((await readdir(dir)).sort()).toEqual(['notes.txt']);
  });

  it('refuses a data folder written by a newer version of Verbatim', async () => {
    const dir = await tempFolder();
    await closeStore(await openStore(dir));
    const markerPath = join(dir, 'verbatim.json');
    const marker = JSON.parse(await readFile(markerPath, 'utf8')) as { schemaVersion: number };
    await writeFile(markerPath, JSON.stringify({ ...marker, schemaVersion: marker.schemaVersion + 1 }));
    const error = await rejection(openFileStore(dir));
    expect(error).toBeInstanceOf(StorageCorruptError);
    expect((error as Error).message).toMatch(/plus récente/);
  });
});

describe('openFileStore: the LOCK file', () => {
  it('refuses a second store on a folder already in use, then accepts it once the first is closed', async () => {
    const dir = await tempFolder();
    const first = await openStore(dir);
    const error = await rejection(openFileStore(dir));
    expect(error).toBeInstanceOf(DataFolderLockedError);
    expect((error as Error).message).toMatch(/déjà utilisé/);
    expect((error as DataFolderLockedError).lockPath).toBe(join(dir, 'LOCK'));
    // The refused attempt did not take the lock away from the first store.
    const lock = JSON.parse(await readFile(join(dir, 'LOCK'), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(process.pid);
    await closeStore(first);
    const second = await openStore(dir);
    expect(await second.listProjects()).toEqual([]);
  });

  it('refuses a folder whose LOCK is held by another live process on this machine', async () => {
    const dir = await tempFolder();
    await closeStore(await openStore(dir));
    const holder = { pid: process.ppid, hostname: hostname(), startedAt: '2024-03-01T08:00:00.000Z' };
    await writeFile(join(dir, 'LOCK'), JSON.stringify(holder));
    const error = await rejection(openFileStore(dir));
    expect(error).toBeInstanceOf(DataFolderLockedError);
    expect((error as Error).message).toContain(String(process.ppid));
  });

  it('takes over a stale LOCK left by a process that no longer runs', async () => {
    const dir = await tempFolder();
    const first = await openStore(dir);
    const { project } = await fillProject(first, 1);
    await closeStore(first);
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    expect(dead).toBeGreaterThan(0);
    await writeFile(
      join(dir, 'LOCK'),
      JSON.stringify({ pid: dead, hostname: hostname(), startedAt: '2024-03-01T08:00:00.000Z' }),
    );
    const second = await openStore(dir);
    expect((await second.readProject(project.id))?.seq).toBe(2);
    const lock = JSON.parse(await readFile(join(dir, 'LOCK'), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(process.pid);
  });

  it('takes over a torn LOCK file (a crash while it was being written)', async () => {
    const dir = await tempFolder();
    await closeStore(await openStore(dir));
    await writeFile(join(dir, 'LOCK'), '{"pid":12');
    const store = await openStore(dir);
    expect(await store.listProjects()).toEqual([]);
  });

  it('removes the LOCK file on close', async () => {
    const dir = await tempFolder();
    await closeStore(await openStore(dir));
    expect(await readdir(dir)).not.toContain('LOCK');
  });
});

describe('openFileStore: file permissions', () => {
  async function modesAfterUse(umask: number): Promise<Map<string, number>> {
    const previous = process.umask(umask);
    try {
      const dir = join(await tempFolder(), 'donnees');
      const store = await openStore(dir, { snapshotEvery: 1, snapshotQuietMs: 0 });
      await store.changeInstance(null, () => ({
        events: [{ type: 'user_created', user: aUser('alice') }],
        result: null,
      }));
      const { project } = await fillProject(store, 2);
      const documentId = newId<DocumentId>();
      await store.putText(project.id, documentId, 'Transcription confidentielle');
      const doomed = await fillProject(store, 0);
      await store.deleteProject(doomed.project.id);
      const projectDir = join(dir, 'projects', project.id);
      const paths = [
        dir,
        join(dir, 'LOCK'),
        join(dir, 'verbatim.json'),
        join(dir, 'instance.json'),
        join(dir, 'instance.events.jsonl'),
        join(dir, 'projects'),
        join(dir, 'trash'),
        projectDir,
        join(projectDir, 'events.jsonl'),
        join(projectDir, 'project.json'),
        join(projectDir, 'texts'),
        join(projectDir, 'texts', `${documentId}.txt`),
      ];
      await closeStore(store);
      // LOCK is gone after close: check it while the store is open, on a second folder.
      const modes = new Map<string, number>();
      for (const path of paths.filter((p) => !p.endsWith('LOCK'))) {
        modes.set(path, (await stat(path)).mode & 0o777);
      }
      const other = join(await tempFolder(), 'autre');
      const held = await openStore(other);
      modes.set(join(other, 'LOCK'), (await stat(join(other, 'LOCK'))).mode & 0o777);
      await closeStore(held);
      return modes;
    } finally {
      process.umask(previous);
    }
  }

  function expectPrivate(modes: Map<string, number>): void {
    for (const [path, mode] of modes) {
      const isDir = !/\.(json|jsonl|txt)$|LOCK$/.test(path);
      expect({ path, mode: mode.toString(8) }).toEqual({ path, mode: isDir ? '700' : '600' });
    }
  }

  it('creates files 0600 and folders 0700 under the server’s umask 077', async () => {
    expectPrivate(await modesAfterUse(0o077));
  });

  it('creates files 0600 and folders 0700 even under a permissive umask 022', async () => {
    expectPrivate(await modesAfterUse(0o022));
  });
});

describe('openFileStore: a failed journal write', () => {
  it('rejects the change with storage_unavailable and keeps only what was durable', async () => {
    const dir = await tempFolder();
    const store = await openStore(dir);
    const { project, lead } = await fillProject(store, 3);
    const durable = structuredClone(await store.readProject(project.id));
    const journalSize = (await stat(journalOf(dir, project.id))).size;
    const listener = vi.fn();
    store.subscribe(project.id, listener);

    vi.spyOn(await fileHandlePrototype(dir), 'datasync').mockRejectedValueOnce(diskFull());
    const lost = aCode('Jamais enregistré', lead);
    const error = await rejection(
      store.changeProject(project.id, lead, () => ({
        events: [{ type: 'code_created', code: lost }],
        result: null,
      })),
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('storage_unavailable');
    // Reads made after the refusal do not show the change that failed.
    expect(await store.readProject(project.id)).toEqual(durable);
    expect((await stat(journalOf(dir, project.id))).size).toBe(journalSize);
    expect(listener).not.toHaveBeenCalled();
    expect((await store.readEvents(project.id, 0, 100)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);

    // The next change succeeds and follows the durable events.
    const kept = aCode('Enregistré', lead);
    const seq = await store.changeProject(project.id, lead, (state) => ({
      events: [{ type: 'code_created', code: kept }],
      result: state.seq + 1,
    }));
    expect(seq).toBe(5);
    const state = await store.readProject(project.id);
    expect(state?.codes[lost.id]).toBeUndefined();
    expect(state?.codes[kept.id]).toEqual(kept);
  });

  it('never snapshots the failed change: after a restart only acknowledged changes remain', async () => {
    const dir = await tempFolder();
    const store = await openStore(dir, { snapshotEvery: 1, snapshotQuietMs: 0 });
    const { project, lead } = await fillProject(store, 0);
    // One change at a time, each snapshotted, so that no snapshot is in flight when the write fails
    // and the next one would be taken right after it.
    await snapshotReaches(dir, project.id, 1);
    for (const [i, name] of ['Coûts', 'Délais'].entries()) {
      const code = aCode(name, lead);
      await store.changeProject(project.id, lead, () => ({
        events: [{ type: 'code_created', code }],
        result: null,
      }));
      await snapshotReaches(dir, project.id, i + 2);
    }
    vi.spyOn(await fileHandlePrototype(dir), 'datasync').mockRejectedValueOnce(diskFull());
    const lost = aCode('Jamais enregistré', lead);
    await rejection(
      store.changeProject(project.id, lead, () => ({
        events: [{ type: 'code_created', code: lost }],
        result: null,
      })),
    );
    const kept = aCode('Enregistré', lead);
    await store.changeProject(project.id, lead, () => ({
      events: [{ type: 'code_created', code: kept }],
      result: null,
    }));
    const expected = structuredClone(await store.readProject(project.id));
    expect(expected?.seq).toBe(4);
    await closeStore(store);

    const reopened = await openStore(dir, { snapshotEvery: 1, snapshotQuietMs: 0 });
    const state = await reopened.readProject(project.id);
    expect(state).toEqual(expected);
    expect(state?.codes[lost.id]).toBeUndefined();
    expect(state?.codes[kept.id]).toEqual(kept);
  });

  it('refuses or correctly sequences a change arriving while the failed write is being undone', async () => {
    const dir = await tempFolder();
    const store = await openStore(dir);
    const { project, lead } = await fillProject(store, 2);
    const proto = await fileHandlePrototype(dir);
    vi.spyOn(proto, 'datasync').mockRejectedValueOnce(diskFull());
    const realTruncate = proto.truncate;
    let late: Promise<unknown> | undefined;
    const lateCode = aCode('Arrivé pendant la réparation', lead);
    vi.spyOn(proto, 'truncate').mockImplementationOnce(function (this: FileHandle, length?: number) {
      // A request lands while the journal truncates the failed write away.
      late = store
        .changeProject(project.id, lead, () => ({
          events: [{ type: 'code_created', code: lateCode }],
          result: null,
        }))
        .then(
          () => 'acknowledged',
          (error: unknown) => error,
        );
      return realTruncate.call(this, length);
    });
    const lost = aCode('Jamais enregistré', lead);
    const first = await rejection(
      store.changeProject(project.id, lead, () => ({
        events: [{ type: 'code_created', code: lost }],
        result: null,
      })),
    );
    expect((first as DomainError).code).toBe('storage_unavailable');
    const outcome = await late;
    const after = aCode('Ensuite', lead);
    await store.changeProject(project.id, lead, () => ({
      events: [{ type: 'code_created', code: after }],
      result: null,
    }));
    const expected = structuredClone(await store.readProject(project.id));
    await closeStore(store);

    const reopened = await openStore(dir);
    const state = await reopened.readProject(project.id);
    expect(state).toEqual(expected);
    expect(state?.codes[lost.id]).toBeUndefined();
    expect(state?.codes[after.id]).toEqual(after);
    if (outcome === 'acknowledged') expect(state?.codes[lateCode.id]).toEqual(lateCode);
    else expect((outcome as DomainError).code).toBe('storage_unavailable');
    const seqs = (await reopened.readEvents(project.id, 0, 100)).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });
});

describe('Ledger over a failing journal', () => {
  /** A journal whose next append fails when told to; it keeps what it accepted. */
  class FlakyJournal implements JournalSink {
    readonly durable: ProjectEvent[] = [];
    failNext = false;
    async append(events: readonly object[]): Promise<void> {
      await new Promise((r) => setImmediate(r));
      if (this.failNext) {
        this.failNext = false;
        throw diskFull();
      }
      const text = events.map(journalLine).join('');
      for (const line of text.split('\n'))
        if (line !== '') this.durable.push(JSON.parse(line) as ProjectEvent);
    }
    async close(): Promise<void> {}
  }

  function ledgerOver(journal: FlakyJournal, projectId: ProjectId) {
    const reload = async (): Promise<ProjectState> => {
      await new Promise((r) => setImmediate(r)); // reading takes a turn of the event loop, as a disk read does
      const state = emptyProjectState(projectId);
      for (const event of journal.durable) applyProjectEvent(state, event);
      return state;
    };
    return new Ledger<ProjectState, ProjectEventBody, ProjectEvent>(
      emptyProjectState(projectId),
      applyProjectEvent,
      journal,
      reload,
    );
  }

  it('rejects with storage_unavailable and is back to the durable state when the rejection arrives', async () => {
    const project = aProject();
    const lead = project.createdBy;
    const journal = new FlakyJournal();
    const ledger = ledgerOver(journal, project.id);
    await ledger.change(lead, () => ({
      events: [{ type: 'project_created', project, members: {} }],
      result: null,
    }));
    const durable = structuredClone(ledger.state);
    const listener = vi.fn();
    ledger.subscribe(listener);

    journal.failNext = true;
    const error = await rejection(
      ledger.change(lead, () => ({
        events: [{ type: 'code_created', code: aCode('Perdu', lead) }],
        result: null,
      })),
    );
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('storage_unavailable');
    expect(ledger.state).toEqual(durable);
    expect(listener).not.toHaveBeenCalled();
    expect(ledger.recent.map((e) => e.seq)).not.toContain(2);
  });

  it('gives the next change the seq that follows the durable events', async () => {
    const project = aProject();
    const lead = project.createdBy;
    const journal = new FlakyJournal();
    const ledger = ledgerOver(journal, project.id);
    await ledger.change(lead, () => ({
      events: [{ type: 'project_created', project, members: {} }],
      result: null,
    }));
    journal.failNext = true;
    await rejection(
      ledger.change(lead, () => ({
        events: [{ type: 'code_created', code: aCode('Perdu', lead) }],
        result: null,
      })),
    );
    const kept = aCode('Gardé', lead);
    await ledger.change(lead, () => ({ events: [{ type: 'code_created', code: kept }], result: null }));
    expect(journal.durable.map((e) => e.seq)).toEqual([1, 2]);
    expect(ledger.state.seq).toBe(2);
    expect(ledger.state.codes[kept.id]).toEqual(kept);
  });
});
