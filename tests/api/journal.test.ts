/**
 * The project's journal: dated free-standing memos written by coders and leads, changed or removed
 * by their author or a lead, each change undoable, listed with the other memos and in the audit
 * trail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../helpers/server.ts';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
let base: string;
let coder: { client: Client; id: string };
let other: { client: Client; id: string };
let viewer: { client: Client; id: string };

beforeAll(async () => {
  world = await startWorld();
  ({ base } = await projectWithDocument(world.admin, 'Camille : on ressaisit tout, deux fois.'));
  coder = await world.user('journal.codeuse');
  other = await world.user('journal.autre');
  viewer = await world.user('journal.lectrice');
  await world.admin.put(`${base}/members/${coder.id}`, { role: 'coder' });
  await world.admin.put(`${base}/members/${other.id}`, { role: 'coder' });
  await world.admin.put(`${base}/members/${viewer.id}`, { role: 'viewer' });
}, 60_000);
afterAll(async () => {
  await world.server.stop();
});

type Entry = { id: string; date: string; title: string; text: string; authorId: string };

describe('the journal', () => {
  it('takes an entry from a coder, dated today unless a day is given, and lists them by day', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const first = await coder.client.post(`${base}/journal`, {
      title: 'Codebook revu',
      text: '« Coûts » couvre aussi les licences.',
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ title: 'Codebook revu', date: today, authorId: coder.id });
    const earlier = await world.admin.post(`${base}/journal`, {
      date: '2026-02-14',
      title: 'Premier entretien',
      text: '',
    });
    expect(earlier.status).toBe(201);
    const list = await viewer.client.get(`${base}/journal`);
    expect(list.status).toBe(200);
    expect((list.body.entries as Entry[]).map((e) => e.title)).toEqual([
      'Premier entretien',
      'Codebook revu',
    ]);
  });

  it('refuses a viewer, an empty title, an impossible day and an unknown field, leaving the journal as it was', async () => {
    const before = (await world.admin.get(`${base}/journal`)).body.entries;
    expect((await viewer.client.post(`${base}/journal`, { title: 'Non' })).status).toBe(403);
    const empty = await coder.client.post(`${base}/journal`, { title: '   ' });
    expect(empty.status).toBe(400);
    const day = await coder.client.post(`${base}/journal`, { title: 'Date', date: '2026-02-30' });
    expect(day.status).toBe(400);
    expect(day.body.error.message).toMatch(/date/i);
    expect((await coder.client.post(`${base}/journal`, { title: 'X', auteur: 'moi' })).status).toBe(400);
    const { client: outsider } = await world.user('journal.dehors');
    expect((await outsider.get(`${base}/journal`)).status).toBe(404);
    expect((await world.admin.get(`${base}/journal`)).body.entries).toEqual(before);
  });

  it('lets the author and a lead change an entry, not another coder; refuses a save over a newer text', async () => {
    const entry = (await coder.client.post(`${base}/journal`, { title: 'Relance', text: 'v1' }))
      .body as Entry;
    const path = `${base}/journal/${entry.id}`;
    expect((await other.client.patch(path, { text: 'pas à moi' })).status).toBe(403);
    expect((await other.client.delete(path)).status).toBe(403);
    const mine = await coder.client.patch(path, { text: 'v2', textBefore: 'v1' });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ text: 'v2', title: 'Relance' });
    const lead = await world.admin.patch(path, { date: '2026-03-01', textBefore: 'v2' });
    expect(lead.status).toBe(200);
    const stale = await coder.client.patch(path, { text: 'v3', textBefore: 'v1' });
    expect(stale.status).toBe(409);
    const now = (await world.admin.get(`${base}/journal`)).body.entries.find((e: Entry) => e.id === entry.id);
    expect(now).toMatchObject({ text: 'v2', date: '2026-03-01' });
    expect((await coder.client.patch(`${base}/journal/${crypto.randomUUID()}`, { text: 'x' })).status).toBe(
      404,
    );
  });

  it('undoes a removal and an edit, and names the action undone', async () => {
    const entry = (await coder.client.post(`${base}/journal`, { title: 'À garder', text: 'a' }))
      .body as Entry;
    expect((await coder.client.patch(`${base}/journal/${entry.id}`, { text: 'b' })).status).toBe(200);
    expect((await coder.client.delete(`${base}/journal/${entry.id}`)).status).toBe(204);
    const gone = (await coder.client.get(`${base}/journal`)).body.entries as Entry[];
    expect(gone.some((e) => e.id === entry.id)).toBe(false);
    const undo = await coder.client.post(`${base}/undo`);
    expect(undo.status).toBe(200);
    expect(undo.body.change[0]).toMatchObject({ type: 'journal_entry_deleted' });
    const back = (await coder.client.get(`${base}/journal`)).body.entries as Entry[];
    expect(back.find((e) => e.id === entry.id)).toMatchObject({ text: 'b' });
    expect((await coder.client.post(`${base}/undo`)).status).toBe(200);
    const edited = (await coder.client.get(`${base}/journal`)).body.entries as Entry[];
    expect(edited.find((e) => e.id === entry.id)).toMatchObject({ text: 'a' });
    expect((await coder.client.post(`${base}/redo`)).status).toBe(200);
    const redone = (await coder.client.get(`${base}/journal`)).body.entries as Entry[];
    expect(redone.find((e) => e.id === entry.id)).toMatchObject({ text: 'b' });
  });

  it('is in the list of memos, searched and filtered, and in the audit trail as its own kind', async () => {
    const memos = (await viewer.client.get(`${base}/memos?kind=journal&q=LICENCES`)).body.memos;
    expect(memos).toEqual([
      expect.objectContaining({
        kind: 'journal',
        title: 'Codebook revu',
        text: '« Coûts » couvre aussi les licences.',
      }),
    ]);
    const trail = await viewer.client.get(`${base}/audit?kind=journal`);
    expect(trail.status).toBe(200);
    const types = new Set((trail.body.entries as { type: string }[]).map((e) => e.type));
    expect([...types].sort()).toEqual([
      'journal_entry_added',
      'journal_entry_deleted',
      'journal_entry_updated',
    ]);
  });

  it('keeps the journal across a restart', async () => {
    const before = (await world.admin.get(`${base}/journal`)).body.entries;
    await world.server.restart();
    expect((await world.admin.get(`${base}/journal`)).body.entries).toEqual(before);
  });
});
