// @vitest-environment node
/**
 * A page of old events is read from the lines around it, found through the journal's sparse
 * seq → byte offset index, not by parsing the whole journal; and it is exactly the page a whole
 * read gives, wherever it lies, after appends, a restart, a snapshot or an erasure's rewrite.
 * Work is counted in lines parsed (`journalReads`), never timed.
 */
import { appendFile, mkdtemp, open, readFile, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  newId,
  type CodeId,
  type DocumentId,
  type ParticipantId,
  type ProjectId,
  type UserId,
} from '../../../shared/ids.ts';
import type { DocumentMeta, Participant } from '../../../shared/model.ts';
import { openFileStore } from '../../../server/storage/file-store.ts';
import { INDEX_EVERY, JournalIndex } from '../../../server/storage/journal-index.ts';
import {
  FileJournal,
  journalIndexing,
  journalLine,
  journalReads,
  readJournal,
} from '../../../server/storage/journal.ts';
import type { Store } from '../../../server/storage/store.ts';

const AT = '2026-03-01T09:00:00.000Z';
const folders: string[] = [];
const closing: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const open of closing.splice(0)) await open.close();
  for (const dir of folders.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-journal-index-'));
  folders.push(dir);
  return dir;
}

/** A small deterministic generator (mulberry32), so that a failing page can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An event of a few dozen to a few hundred bytes, some of them outside ASCII. */
function anEvent(seq: number, txn: number, next: () => number) {
  return { type: 'memo_set', text: 'é'.repeat(Math.floor(next() * 200)), seq, txn, at: AT, userId: 'u1' };
}

/** Append `count` events after `after`, in changes of 1 to 8 events, as the ledger does. */
async function appendEvents(journal: FileJournal, after: number, count: number, next: () => number) {
  let seq = after;
  const appends: Promise<void>[] = [];
  while (seq < after + count) {
    const size = Math.min(1 + Math.floor(next() * 8), after + count - seq);
    const events = Array.from({ length: size }, (_, i) => anEvent(seq + 1 + i, seq + 1, next));
    appends.push(journal.append(events, seq + 1));
    seq += size;
  }
  await Promise.all(appends);
}

/** The page as a whole read of the journal gives it. */
async function wholePage(path: string, after: number, limit: number) {
  const { size } = await stat(path);
  const events = (await readJournal(path, 0, size)) as { seq: number }[];
  return events.filter((e) => e.seq > after).slice(0, limit);
}

/** Lines parsed while `work` runs. */
async function linesParsedBy<T>(work: () => Promise<T>): Promise<{ result: T; lines: number }> {
  const before = journalReads.lines;
  const result = await work();
  return { result, lines: journalReads.lines - before };
}

/** At most the marks' stretches around a page: the page, plus a stretch before and after it. */
const bound = (limit: number) => limit + 2 * INDEX_EVERY;

describe('JournalIndex', () => {
  it('finds the last mark at or before a seq, and the next mark after an offset', () => {
    const index = new JournalIndex(2);
    // Lines of 10 bytes for seqs 1..7: marks at seqs 1, 3, 5, 7 (offsets 0, 20, 40, 60).
    for (let seq = 1; seq <= 7; seq++) index.note(seq, (seq - 1) * 10, seq * 10, true);
    expect(index.covered).toBe(70);
    expect(index.startFor(0)).toBe(0);
    expect(index.startFor(3)).toBe(20);
    expect(index.startFor(4)).toBe(40);
    expect(index.startFor(100)).toBe(60);
    expect(index.nextMark(0)).toBe(20);
    expect(index.nextMark(20)).toBe(40);
    expect(index.nextMark(45)).toBe(60);
    expect(index.nextMark(60)).toBe(70);
    expect(() => index.note(8, 50, 60, true)).toThrow(/expected at 70/);
  });

  it('allows lines without a checksum only up to the first line carrying one', () => {
    const index = new JournalIndex(2);
    index.note(1, 0, 10, false);
    index.note(2, 10, 20, true);
    index.note(3, 20, 30, true);
    expect(index.legacyAt(0)).toBe(true);
    expect(index.legacyAt(10)).toBe(true);
    expect(index.legacyAt(20)).toBe(false);
  });
});

describe('FileJournal.readAfter', () => {
  it('reads an old page of a 6,000-event journal from a bounded number of lines, equal to a whole read', async () => {
    const path = join(await tempFolder(), 'events.jsonl');
    const next = random(16);
    const { journal } = await FileJournal.open(path);
    closing.push(journal);
    await appendEvents(journal, 0, 6000, next);

    // Indexed as it was appended: a page near the start parses only the lines around it.
    const { result, lines } = await linesParsedBy(() => journal.readAfter(100, 50));
    expect(result.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 101 + i));
    expect(lines).toBeLessThanOrEqual(bound(50));
    expect(result).toEqual(await wholePage(path, 100, 50));

    for (let i = 0; i < 40; i++) {
      const after = Math.floor(next() * 6100);
      const limit = 1 + Math.floor(next() * 300);
      const page = await linesParsedBy(() => journal.readAfter(after, limit));
      expect(page.lines).toBeLessThanOrEqual(bound(limit));
      expect(page.result).toEqual(await wholePage(path, after, limit));
    }
  });

  it('writes a batch of events a megabyte at a time, in order among smaller appends, and indexes every line', async () => {
    const path = join(await tempFolder(), 'events.jsonl');
    const next = random(11);
    const { journal } = await FileJournal.open(path);
    closing.push(journal);
    // One batch: two events, then 12,000 (about 3 MB: several chunks), then one.
    const before = [anEvent(1, 1, next), anEvent(2, 1, next)];
    const big = Array.from({ length: 12_000 }, (_, i) => anEvent(3 + i, 3, next));
    const after = [anEvent(12_003, 12_003, next)];
    await Promise.all([journal.append(before, 1), journal.append(big, 3), journal.append(after, 12_003)]);
    const expected = [...before, ...big, ...after].map(journalLine).join('');
    expect(Buffer.byteLength(expected)).toBeGreaterThan(3 * 2 ** 20);
    expect(await readFile(path, 'utf8')).toBe(expected);
    for (const [from, limit] of [
      [0, 5],
      [4000, 100],
      [11_990, 50],
    ] as const) {
      const page = await linesParsedBy(() => journal.readAfter(from, limit));
      expect(page.lines).toBeLessThanOrEqual(bound(limit));
      expect(page.result).toEqual(await wholePage(path, from, limit));
    }
  });

  it('makes its index while reading the journal at start, and keeps it as events are appended', async () => {
    const path = join(await tempFolder(), 'events.jsonl');
    const next = random(7);
    const first = await FileJournal.open(path);
    await appendEvents(first.journal, 0, 3000, next);
    await first.journal.close();

    const { journal, lines: read } = await FileJournal.open(path);
    closing.push(journal);
    expect(read).toHaveLength(3000);
    await appendEvents(journal, 3000, 500, next);
    for (const [after, limit] of [
      [0, 10],
      [1234, 100],
      [2990, 20],
      [3400, 200],
    ] as const) {
      const page = await linesParsedBy(() => journal.readAfter(after, limit));
      expect(page.lines).toBeLessThanOrEqual(bound(limit));
      expect(page.result).toEqual(await wholePage(path, after, limit));
    }
  });

  it('opened past a snapshot, makes its index once at the first old page, then reads pages bounded', async () => {
    const path = join(await tempFolder(), 'events.jsonl');
    const next = random(3);
    const first = await FileJournal.open(path);
    await appendEvents(first.journal, 0, 3000, next);
    const snapshotBytes = first.journal.size;
    await first.journal.close();

    const { journal, lines: read } = await FileJournal.open(path, snapshotBytes);
    closing.push(journal);
    expect(read).toHaveLength(0);
    await appendEvents(journal, 3000, 100, next);
    const once = await linesParsedBy(() => journal.readAfter(10, 10));
    expect(once.result).toEqual(await wholePage(path, 10, 10));
    // The whole journal, once, for the index; then only the page's stretch.
    expect(once.lines).toBeLessThanOrEqual(3100 + bound(10));
    for (let i = 0; i < 20; i++) {
      const after = Math.floor(next() * 3150);
      const limit = 1 + Math.floor(next() * 100);
      const page = await linesParsedBy(() => journal.readAfter(after, limit));
      expect(page.lines).toBeLessThanOrEqual(bound(limit));
      expect(page.result).toEqual(await wholePage(path, after, limit));
    }
  });

  it('indexes past a snapshot a few bytes at a time: lines across reads, longer than a read, before and after checksums', async () => {
    const chunkBytes = journalIndexing.chunkBytes;
    journalIndexing.chunkBytes = 700;
    try {
      const path = join(await tempFolder(), 'events.jsonl');
      const next = random(23);
      const legacy = Array.from(
        { length: 300 },
        (_, i) => `${JSON.stringify(anEvent(i + 1, i + 1, next))}\n`,
      );
      await appendFile(path, legacy.join(''));
      const first = await FileJournal.open(path);
      await appendEvents(first.journal, 300, 900, next);
      // Lines of 2 to 5 KB: several reads of 700 bytes each.
      const long = [1201, 1202, 1203].map((seq) => ({
        ...anEvent(seq, 1201, next),
        text: 'ô'.repeat(1000 * (seq - 1199)),
      }));
      await first.journal.append(long, 1201);
      await appendEvents(first.journal, 1203, 200, next);
      const snapshotBytes = first.journal.size;
      await first.journal.close();

      const { journal } = await FileJournal.open(path, snapshotBytes);
      closing.push(journal);
      for (const [after, limit] of [
        [0, 10],
        [295, 10],
        [1195, 12],
        [1202, 3],
        [1400, 50],
      ] as const) {
        expect(await journal.readAfter(after, limit)).toEqual(await wholePage(path, after, limit));
      }
      for (let i = 0; i < 30; i++) {
        const after = Math.floor(next() * 1420);
        const limit = 1 + Math.floor(next() * 60);
        expect(await journal.readAfter(after, limit)).toEqual(await wholePage(path, after, limit));
      }
    } finally {
      journalIndexing.chunkBytes = chunkBytes;
    }
  });

  it('refuses an old page of a journal cut short behind its back, rather than reading on for ever', async () => {
    const path = join(await tempFolder(), 'events.jsonl');
    const next = random(29);
    const first = await FileJournal.open(path);
    await appendEvents(first.journal, 0, 400, next);
    const snapshotBytes = first.journal.size;
    await first.journal.close();
    const { journal } = await FileJournal.open(path, snapshotBytes);
    closing.push(journal);
    await truncate(path, Math.floor(snapshotBytes / 2));
    await expect(journal.readAfter(10, 10)).rejects.toThrow(/plus court qu'attendu/);
  });

  it('reads a journal beginning with lines written before checksums, and refuses a bad line in a page', async () => {
    const path = join(await tempFolder(), 'events.jsonl');
    const next = random(11);
    const legacy = Array.from({ length: 700 }, (_, i) => `${JSON.stringify(anEvent(i + 1, i + 1, next))}\n`);
    await appendFile(path, legacy.join(''));
    const { journal } = await FileJournal.open(path);
    closing.push(journal);
    await appendEvents(journal, 700, 700, next);
    for (const [after, limit] of [
      [0, 50],
      [650, 100],
      [1300, 200],
    ] as const) {
      expect(await journal.readAfter(after, limit)).toEqual(await wholePage(path, after, limit));
    }
    // A flipped bit in the line of seq 1000 (é → è, as many bytes): its page is refused.
    const text = await readFile(path);
    const line = text.indexOf('"seq":1000,');
    const lineStart = text.lastIndexOf(0x0a, line) + 1;
    const accent = text.indexOf(Buffer.from('é'), lineStart);
    expect(accent).toBeGreaterThan(0);
    expect(accent).toBeLessThan(text.indexOf(0x0a, lineStart));
    const handle = await open(path, 'r+');
    await handle.write(Buffer.from('è'), 0, 2, accent);
    await handle.close();
    await expect(journal.readAfter(990, 20)).rejects.toThrow(/somme de contrôle/);
    // A page far from it reads only its own stretch, so it is still served.
    expect((await journal.readAfter(100, 20)).map((e) => e.seq)).toEqual(
      Array.from({ length: 20 }, (_, i) => 101 + i),
    );
  });
});

describe('the file store reads old pages through the index', () => {
  function aDocument(name: string, participantId: ParticipantId | null, createdBy: UserId): DocumentMeta {
    return {
      id: newId<DocumentId>(),
      name,
      length: 40,
      memo: '',
      createdAt: AT,
      createdBy,
      format: 'txt',
      encoding: 'utf-8',
      turns: [],
      participantId,
    };
  }

  /** A project with a participant and their document, then `count` code creations. */
  async function fill(store: Store, count: number) {
    const lead = newId<UserId>();
    const id = newId<ProjectId>();
    await store.createProject(
      { id, name: 'P', description: '', createdAt: AT, createdBy: lead },
      { [lead]: 'lead' },
      lead,
    );
    const camille: Participant = {
      id: newId<ParticipantId>(),
      name: 'Camille Martin',
      pseudonym: 'P01',
      attributes: {},
      createdAt: AT,
      createdBy: lead,
    };
    const document = aDocument('camille.txt', camille.id, lead);
    await store.putText(id, document.id, 'Camille Martin : marionnettes à Brioude.');
    await store.changeProject(id, lead, () => ({
      events: [
        { type: 'participant_created', participant: camille },
        { type: 'document_added', document },
      ],
      result: null,
    }));
    for (let i = 0; i < count; i++) {
      const code = {
        id: newId<CodeId>(),
        name: `Thème ${i}`,
        parentId: null,
        color: '#e6194b',
        description: '',
        createdAt: AT,
        createdBy: lead,
        version: 1,
      };
      await store.changeProject(id, lead, () => ({ events: [{ type: 'code_created', code }], result: null }));
    }
    return { id, lead, camille };
  }

  it('after a restart, serves the last events replayed past the snapshot from memory, without reading the journal', async () => {
    const dir = await tempFolder();
    const first = await openFileStore(dir, { snapshotEvery: 500, snapshotQuietMs: 0 });
    const { id } = await fill(first, 700);
    await first.close();

    const store = await openFileStore(dir, { snapshotEvery: 500, snapshotQuietMs: 0 });
    closing.push(store);
    const path = join(dir, 'projects', id, 'events.jsonl');
    const head = (await store.readProject(id))?.seq ?? 0;
    expect(head).toBe(703);
    // The review's activity and the audit trail's first page: the last events.
    const recent = await linesParsedBy(() => store.readEvents(id, head - 20, 20));
    expect(recent.result).toEqual(await wholePage(path, head - 20, 20));
    expect(recent.lines).toBe(0);
    // Before the snapshot, from the journal.
    const old = await linesParsedBy(() => store.readEvents(id, 10, 20));
    expect(old.result).toEqual(await wholePage(path, 10, 20));
    expect(old.lines).toBeGreaterThan(0);
  });

  it('after a restart past a snapshot, and after an erasure rewrote the journal, pages equal a whole read', async () => {
    const dir = await tempFolder();
    const first = await openFileStore(dir, { snapshotEvery: 500, snapshotQuietMs: 0 });
    const { id, lead, camille } = await fill(first, 2600);
    await first.close();

    const store = await openFileStore(dir, { snapshotEvery: 500, snapshotQuietMs: 0 });
    closing.push(store);
    const path = join(dir, 'projects', id, 'events.jsonl');
    const next = random(5);
    // After a restart the ledger's memory holds only the events replayed past the snapshot: the
    // pages before them come from the journal.
    const check = async (count: number) => {
      await store.readEvents(id, 0, 1);
      for (let i = 0; i < count; i++) {
        const after = Math.floor(next() * 2650);
        const limit = 1 + Math.floor(next() * 100);
        const page = await linesParsedBy(() => store.readEvents(id, after, limit));
        expect(page.lines).toBeLessThanOrEqual(bound(limit));
        expect(page.result).toEqual(await wholePage(path, after, limit));
      }
    };
    await check(15);

    await store.erase(id, lead, { kind: 'participant', participantId: camille.id }, () => undefined);
    const rewritten = await wholePage(path, 0, 5);
    expect(rewritten.map((e) => (e as { redacted?: boolean }).redacted ?? false)).toEqual([
      false,
      true,
      true,
      false,
      false,
    ]);
    expect(await store.readEvents(id, 0, 5)).toEqual(rewritten);
    await check(15);
  });
});
