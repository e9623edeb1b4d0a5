// @vitest-environment node
/**
 * Damaged journals at start: an acknowledged line is never dropped, a flipped bit is detected by
 * the line's checksum, and no project folder is ever deleted; a damaged project stays closed, as
 * it is, while the others are served.
 */
import { appendFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId, type DocumentId, type ProjectId, type UserId } from '../../../shared/ids.ts';
import { openFileStore } from '../../../server/storage/file-store.ts';
import { parseJournalLine, serialiseJournalLine } from '../../../server/storage/journal-line.ts';
import type { Store } from '../../../server/storage/store.ts';
import { fingerprint } from '../../helpers/data-folder.ts';
import { newCode } from '../../helpers/code.ts';

const folders: string[] = [];
const stores = new Set<Store>();
afterEach(async () => {
  vi.restoreAllMocks();
  for (const store of stores) await store.close();
  stores.clear();
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function open(dir: string): Promise<Store> {
  const store = await openFileStore(dir);
  stores.add(store);
  return store;
}
async function close(store: Store): Promise<void> {
  stores.delete(store);
  await store.close();
}

/** A data folder with one project of `codes` codes (and a text), closed. */
async function folderWithProject(codes: number) {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-journal-damage-'));
  folders.push(dir);
  const store = await open(dir);
  const lead = newId<UserId>();
  const id = newId<ProjectId>();
  await store.createProject(
    { id, name: 'Urgences', description: '', createdAt: '2024-03-01T09:00:00.000Z', createdBy: lead },
    { [lead]: 'lead' },
    lead,
  );
  await store.putText(id, 'doc-1' as DocumentId, 'Camille : on ressaisit tout.');
  for (let i = 0; i < codes; i++) {
    await store.changeProject(id, lead, () => ({
      events: [{ type: 'code_created', code: newCode(`Thème ${i}`, lead) }],
      result: null,
    }));
  }
  await close(store);
  return { dir, id, lead, journal: join(dir, 'projects', id, 'events.jsonl') };
}

describe('serialiseJournalLine / parseJournalLine', () => {
  it('writes JSON with a CRC-32 as its last field, and reads the event back without it', () => {
    const line = serialiseJournalLine({ seq: 1, type: 'code_created', coderId: 'u1' });
    expect(line).toMatch(/^\{"seq":1,"type":"code_created","coderId":"u1","crc32":"[0-9a-f]{8}"\}\n$/);
    expect(JSON.parse(line)).toHaveProperty('crc32');
    expect(parseJournalLine(line.slice(0, -1), false)).toEqual({
      event: { seq: 1, type: 'code_created', coderId: 'u1' },
      checked: true,
    });
  });

  it('refuses a line with one flipped bit (coderId → cnderId)', () => {
    const line = serialiseJournalLine({ seq: 1, coderId: 'u1' }).slice(0, -1);
    const flipped = line.replace('coderId', 'cnderId'); // 'o' 0x6f → 'n' 0x6e
    expect(() => parseJournalLine(flipped, false)).toThrow(/somme de contrôle fausse/);
  });

  it('reads a line without checksum only where lines written before checksums may be', () => {
    expect(parseJournalLine('{"seq":1}', true)).toEqual({ event: { seq: 1 }, checked: false });
    expect(() => parseJournalLine('{"seq":1}', false)).toThrow(/sans somme de contrôle/);
  });
});

describe('openFileStore: damaged journals', () => {
  it('keeps the last acknowledged event when only the final newline was cut, and restores it', async () => {
    const { dir, id, lead, journal } = await folderWithProject(3);
    const { size } = await stat(journal);
    await truncate(journal, size - 1);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = await open(dir);
    expect((await store.readProject(id))?.seq).toBe(4);
    expect((await stat(journal)).size).toBe(size);
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining(journal));
    // The next event follows on a line of its own, and everything survives a restart.
    await store.changeProject(id, lead, () => ({
      events: [{ type: 'code_created', code: newCode('Après', lead) }],
      result: null,
    }));
    await close(store);
    expect((await (await open(dir)).readProject(id))?.seq).toBe(5);
  });

  it('detects a flipped bit in an acknowledged line (coderId → cnderId): the project stays closed', async () => {
    const { dir, id, journal } = await folderWithProject(3);
    const text = await readFile(journal, 'utf8');
    expect(text).toContain('"createdBy"');
    await writeFile(journal, text.replace('"createdBy"', '"creatdBy"'));
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const before = await fingerprint(dir);
    const store = await open(dir);
    expect(await store.readProject(id)).toBeUndefined();
    expect(store.damagedProject?.(id)).toMatchObject({
      path: journal,
      reason: expect.stringMatching(/somme de contrôle fausse/),
    });
    expect(await fingerprint(dir)).toEqual(before);
  });

  it('never deletes a project whose journal was emptied: texts and all stay, the project closed', async () => {
    const { dir, id, journal } = await folderWithProject(2);
    await writeFile(journal, '');
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const before = await fingerprint(dir);
    const store = await open(dir);
    expect(store.damagedProject?.(id)).toMatchObject({
      path: journal,
      reason: expect.stringMatching(/journal est vide/),
    });
    expect(await fingerprint(dir)).toEqual(before);
    expect(await readFile(join(dir, 'projects', id, 'texts', 'doc-1.txt'), 'utf8')).toBe(
      'Camille : on ressaisit tout.',
    );
  });

  it('sets aside, never deletes, a project folder holding only an empty journal (creation never acknowledged)', async () => {
    const { dir } = await folderWithProject(0);
    const ghost = newId<ProjectId>();
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'projects', ghost, 'texts'), { recursive: true });
    await writeFile(join(dir, 'projects', ghost, 'events.jsonl'), '');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = await open(dir);
    expect(await store.readProject(ghost)).toBeUndefined();
    const aside = (await readdir(dir)).filter((name) => name.startsWith('damaged-'));
    expect(aside).toHaveLength(1);
    expect(await readdir(join(dir, aside[0] as string, ghost))).toContain('events.jsonl');
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining('jamais confirmée'));
  });

  it('reads journals written before checksums, and appends checksummed lines after them', async () => {
    const { dir, id, lead, journal } = await folderWithProject(2);
    // As an older version wrote them: the same events, without their checksum.
    const legacy = (await readFile(journal, 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => `${JSON.stringify(parseJournalLine(line, false).event)}\n`)
      .join('');
    await writeFile(journal, legacy);
    const marker = JSON.parse(await readFile(join(dir, 'verbatim.json'), 'utf8'));
    await writeFile(join(dir, 'verbatim.json'), JSON.stringify({ ...marker, schemaVersion: 1 }));
    const store = await open(dir);
    expect((await store.readProject(id))?.seq).toBe(3);
    expect(JSON.parse(await readFile(join(dir, 'verbatim.json'), 'utf8')).schemaVersion).toBe(2);
    await store.changeProject(id, lead, () => ({
      events: [{ type: 'code_created', code: newCode('Neuf', lead) }],
      result: null,
    }));
    await close(store);
    expect((await readFile(journal, 'utf8')).trimEnd().split('\n').at(-1)).toMatch(
      /"crc32":"[0-9a-f]{8}"\}$/,
    );
    expect((await (await open(dir)).readProject(id))?.seq).toBe(4);
    // After a checksummed line, a line without one is damage.
    await close([...stores][0] as Store);
    await appendFile(journal, '{"seq":5,"type":"code_created"}\n');
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect((await open(dir)).damagedProject?.(id)?.reason).toMatch(/sans somme de contrôle/);
  });

  it('moves the torn tail of the instance journal aside too, through the same code', async () => {
    const { dir } = await folderWithProject(0);
    const instanceJournal = join(dir, 'instance.events.jsonl');
    const { size } = await stat(instanceJournal);
    await appendFile(instanceJournal, '{"type":"user_cr');
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await open(dir);
    expect((await stat(instanceJournal)).size).toBe(size);
    const aside = (await readdir(dir)).filter((name) => name.startsWith('damaged-'));
    expect(await readFile(join(dir, aside[0] as string, 'instance.events.jsonl.tail'), 'utf8')).toBe(
      '{"type":"user_cr',
    );
  });
});
