/**
 * Requests about one code, one document or the project's counts read what they concern, not every
 * coding of the project: at 100,000 codings, walking the record (`Object.keys`, `Object.values`)
 * costs about 18 ms each time. The project's codings record is watched through a proxy that counts
 * the walks; each request below must make none.
 */
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectId } from '../../shared/ids.ts';
import type { Coding, ProjectState } from '../../shared/model.ts';
import { projectWithDocument, startWorld, type World } from './setup.ts';

const TEXT = Array.from(
  { length: 40 },
  (_, i) => `Phrase ${i} : la billetterie et la paie ne se parlent pas, on ressaisit tout.`,
).join(' ');

let world: World;
let pid: string;
let docId: string;
let base: string;
/** Walks of the project's codings record (enumerations of its keys) since the last reset. */
let walks = 0;
/** Codings read from the record by id since the last reset. */
let reads = 0;

beforeEach(async () => {
  world = await startWorld();
  ({ pid, docId, base } = await projectWithDocument(world.admin, TEXT));
});
afterEach(async () => {
  await world.server.stop();
});

async function code(name: string, parentId: string | null = null): Promise<string> {
  const res = await world.admin.post(`${base}/codes`, { name, color: '#1f77b4', parentId });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function coding(codeId: string, start: number): Promise<string> {
  const res = await world.admin.post(`${base}/codings`, { documentId: docId, codeId, start, end: start + 8 });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** From now on, count the walks of the project's codings record (its live state's, in the store). */
async function watchCodings(): Promise<void> {
  const state = (await world.server.store.readProject(pid as ProjectId)) as ProjectState;
  const codings = new Proxy(state.codings, {
    ownKeys: (target) => {
      walks++;
      return Reflect.ownKeys(target);
    },
    get: (target, key) => {
      if (typeof key === 'string' && Object.hasOwn(target, key)) reads++;
      return Reflect.get(target, key);
    },
  });
  (state as { codings: Record<string, Coding> }).codings = codings;
  // The indexes kept beside the record are built once for the watched record, walking it.
  expect((await world.admin.get(`${base}/documents/${docId}/view`)).status).toBe(200);
  walks = 0;
  reads = 0;
}

describe('requests about one code, one document or the counts', () => {
  it('read what they concern, never every coding of the project', async () => {
    const kept = await code('Redondance de saisie');
    const other = await code('Fragmentation des données');
    const child = await code('Double saisie', other);
    for (let i = 0; i < 12; i++) await coding(i % 2 === 0 ? kept : other, i * 9);
    await coding(child, 200);
    await watchCodings();

    const project = await world.admin.get(base);
    expect(project.body.counts.codings).toBe(13);
    // The document list counts each document's codings without reading them.
    const listed = await world.admin.get(`${base}/documents`);
    expect(listed.body.documents.map((d: { codings: number }) => d.codings)).toEqual([13]);
    expect(reads).toBe(0);
    expect((await world.admin.get('/api/projects')).status).toBe(200);
    const ofCode = await world.admin.get(`${base}/codings?codeId=${kept}`);
    expect(ofCode.body.codings).toHaveLength(6);
    const preview = await world.admin.post(`${base}/autocode`, {
      q: 'billetterie',
      codeId: kept,
      unit: 'match',
      preview: true,
    });
    expect(preview.status).toBe(200);
    expect(preview.body.created + preview.body.skipped).toBe(40);
    expect(walks).toBe(0);

    // Undoing a code's creation checks that it has no coding; restoring it, how many it had.
    const spare = await code('Coûts');
    expect((await world.admin.post(`${base}/undo`)).status).toBe(200);
    expect(
      (await world.admin.get(`${base}/codes`)).body.codes.map((c: { id: string }) => c.id),
    ).not.toContain(spare);
    expect(walks).toBe(0);

    // A merge reads the codings of its two codes; a deletion, those of the code and its sub-codes.
    const merged = await world.admin.post(`${base}/codes/${kept}/merge`, { targetId: other });
    expect(merged.status).toBe(200);
    expect(merged.body.merged.moved).toBe(6);
    const deleted = await world.admin.request('DELETE', `${base}/codes/${other}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ deleted: { codes: 2, codings: 13 } });
    expect((await world.admin.get(base)).body.counts.codings).toBe(0);
    expect(walks).toBe(0);

    // Undoing the deletion restores the 13 codings, checked against the codes' codings.
    expect((await world.admin.post(`${base}/undo`)).status).toBe(200);
    expect((await world.admin.get(base)).body.counts.codings).toBe(13);
    expect(walks).toBe(0);
  });
});

describe('a page of the audit trail', () => {
  it('reads about as many events as it shows, not the whole log, and pages through all of it', async () => {
    const kept = await code('Redondance de saisie');
    // One auto-coding: 40 codings in one request; then a few hundred more events.
    const autocoded = await world.admin.post(`${base}/autocode`, {
      q: 'billetterie',
      codeId: kept,
      unit: 'match',
    });
    expect(autocoded.body.created).toBe(40);
    for (let i = 0; i < 150; i++) {
      const res = await world.admin.patch(`${base}/documents/${docId}`, { name: `Entretien ${i}` });
      expect(res.status).toBe(200);
    }
    const store = world.server.store;
    const readEvents = store.readEvents.bind(store);
    let read = 0;
    store.readEvents = async (...args) => {
      const events = await readEvents(...args);
      read += events.length;
      return events;
    };
    const page = await world.admin.get(`${base}/audit?limit=20`);
    expect(page.body.entries).toHaveLength(20);
    expect(page.body.entries[0].type).toBe('document_updated');
    // Reading the log forwards to keep the newest 20 read every one of its ~200 events.
    expect(read).toBeLessThanOrEqual(64);

    // Paged with before/next, the trail is the CSV's, newest first.
    const paged: number[] = [];
    let before: number | null = null;
    do {
      const next = await world.admin.get(`${base}/audit?limit=7${before ? `&before=${before}` : ''}`);
      paged.push(...(next.body.entries as { seq: number }[]).map((e) => e.seq));
      before = next.body.next;
    } while (before !== null);
    const csv = await world.admin.get(`${base}/audit/export.csv`);
    const rows = Papa.parse<string[]>((csv.body as string).replace(/^\uFEFF/u, ''), {
      skipEmptyLines: true,
    }).data.slice(1);
    expect(paged).toEqual(rows.map((row) => Number(row[0])));
    expect(paged.length).toBeGreaterThan(190);

    // A `before` far past the head gives the newest page (the backward windows start at the head).
    const far = await world.admin.get(`${base}/audit?limit=20&before=9007199254740991`);
    expect(far.body.entries).toEqual(page.body.entries);
  });
});
