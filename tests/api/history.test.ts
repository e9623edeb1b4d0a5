import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
let base: string;
let docId: string;
beforeEach(async () => {
  world = await startWorld();
  ({ base, docId } = await projectWithDocument(
    world.admin,
    'Camille : on ressaisit tout, deux fois, à la main.',
  ));
});
afterEach(async () => {
  await world.server.stop();
});

const codings = async () =>
  (await world.admin.get(`${base}/codings`)).body.codings as {
    id: string;
    codeId: string;
    start: number;
    end: number;
    text: string;
  }[];
const codes = async () =>
  (await world.admin.get(`${base}/codes`)).body.codes as {
    id: string;
    name: string;
    parentId: string | null;
  }[];

describe('undo and redo on the event log', () => {
  it('undoes and redoes a coding, and the undo survives a restart', async () => {
    const code = (await world.admin.post(`${base}/codes`, { name: 'Redondance' })).body.id;
    const coding = await world.admin.post(`${base}/codings`, {
      documentId: docId,
      codeId: code,
      start: 10,
      end: 20,
    });
    const undo = await world.admin.post(`${base}/undo`);
    expect(undo.status).toBe(200);
    expect(undo.body.undone).toBe(
      coding.body &&
        (await world.admin.get(`${base}/events?after=0`)).body.events.find(
          (e: { type: string }) => e.type === 'coding_created',
        ).seq,
    );
    expect(await codings()).toEqual([]);
    await world.server.restart();
    expect(await codings()).toEqual([]);
    const redo = await world.admin.post(`${base}/redo`);
    expect(redo.status).toBe(200);
    expect((await codings()).map((c) => [c.id, c.start, c.end])).toEqual([[coding.body.id, 10, 20]]);
    // Undo again, then undo the code creation too.
    await world.admin.post(`${base}/undo`);
    await world.admin.post(`${base}/undo`);
    expect(await codes()).toEqual([]);
    expect((await world.admin.post(`${base}/redo`)).status).toBe(200);
    expect((await codes()).map((c) => c.name)).toEqual(['Redondance']);
  });

  it('appends inverse events rather than rewriting history', async () => {
    const code = (await world.admin.post(`${base}/codes`, { name: 'Coûts' })).body.id;
    await world.admin.patch(`${base}/codes/${code}`, { name: 'Coûts de licence' });
    await world.admin.post(`${base}/undo`);
    const events = (await world.admin.get(`${base}/events?after=0`)).body.events as {
      type: string;
      seq: number;
      undoOf?: number;
      after?: { name: string };
    }[];
    const last = events.at(-1);
    expect(last?.type).toBe('code_updated');
    expect(last?.undoOf).toBe(events.at(-2)?.seq);
    expect(last?.after?.name).toBe('Coûts');
    expect((await codes())[0]?.name).toBe('Coûts');
  });

  it('undoes a code deletion with its sub-codes and codings in one step', async () => {
    const parent = (await world.admin.post(`${base}/codes`, { name: 'Outils' })).body.id;
    const child = (await world.admin.post(`${base}/codes`, { name: 'Billetterie', parentId: parent })).body
      .id;
    await world.admin.post(`${base}/codings`, { documentId: docId, codeId: child, start: 0, end: 7 });
    await world.admin.delete(`${base}/codes/${parent}`);
    expect(await codes()).toEqual([]);
    await world.admin.post(`${base}/undo`);
    expect((await codes()).map((c) => c.name).sort()).toEqual(['Billetterie', 'Outils']);
    expect((await codings()).map((c) => c.codeId)).toEqual([child]);
  });

  it("undoes only one's own changes, and refuses when someone changed the object since", async () => {
    const coder = await world.user('codeuse');
    await world.admin.put(`${base}/members/${coder.id}`, { role: 'coder' });
    const code = (await world.admin.post(`${base}/codes`, { name: 'Accessibilité' })).body.id;
    const mine = await coder.client.post(`${base}/codings`, {
      documentId: docId,
      codeId: code,
      start: 0,
      end: 7,
    });
    // The lead then edits the coder's coding.
    await world.admin.patch(`${base}/codings/${mine.body.id}`, { memo: 'vu' });
    const refused = await coder.client.post(`${base}/undo`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/modifié depuis/);
    expect((await codings()).length).toBe(1);
    // The lead's undo reverses the lead's own last change (the memo), not the coder's coding.
    await world.admin.post(`${base}/undo`);
    expect((await world.admin.get(`${base}/codings`)).body.codings[0].memo).toBe('');
    expect((await coder.client.post(`${base}/undo`)).status).toBe(200);
    expect(await codings()).toEqual([]);
  });

  it('undoes a named transaction only if it is still the next one', async () => {
    await world.admin.post(`${base}/codes`, { name: 'A' });
    const next = (await world.admin.get(`${base}/history`)).body.undo;
    await world.admin.post(`${base}/codes`, { name: 'B' });
    const stale = await world.admin.request('POST', `${base}/undo`, { txn: next });
    expect(stale.status).toBe(409);
    expect((await codes()).length).toBe(2);
    const now = (await world.admin.get(`${base}/history`)).body.undo;
    expect((await world.admin.request('POST', `${base}/undo`, { txn: now })).status).toBe(200);
    expect((await codes()).map((c) => c.name)).toEqual(['A']);
  });

  it('says plainly when there is nothing to undo or redo', async () => {
    const res = await world.admin.post(`${base}/redo`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('Rien à rétablir.');
    const history = await world.admin.get(`${base}/history`);
    expect(history.body).toMatchObject({ redo: null });
  });
});

describe('merging codes and moving codings', () => {
  it('merges a code into another: codings move, duplicates on identical spans collapse, sub-codes move', async () => {
    const a = (await world.admin.post(`${base}/codes`, { name: 'Double saisie' })).body.id;
    const b = (await world.admin.post(`${base}/codes`, { name: 'Ressaisie' })).body.id;
    const child = (await world.admin.post(`${base}/codes`, { name: 'Tableurs', parentId: a })).body.id;
    await world.admin.post(`${base}/codings`, { documentId: docId, codeId: a, start: 0, end: 7 });
    await world.admin.post(`${base}/codings`, { documentId: docId, codeId: a, start: 10, end: 20 });
    await world.admin.post(`${base}/codings`, { documentId: docId, codeId: b, start: 10, end: 20 });
    const res = await world.admin.post(`${base}/codes/${a}/merge`, { targetId: b });
    expect(res.status).toBe(200);
    expect(res.body.merged).toEqual({ moved: 1, collapsed: 1, children: 1 });
    expect((await codings()).map((c) => [c.codeId, c.start, c.end]).sort()).toEqual([
      [b, 0, 7],
      [b, 10, 20],
    ]);
    const after = await codes();
    expect(after.find((c) => c.id === child)?.parentId).toBe(b);
    expect(after.some((c) => c.id === a)).toBe(false);
    // One undo restores everything.
    await world.admin.post(`${base}/undo`);
    expect((await codes()).length).toBe(3);
    expect((await codings()).filter((c) => c.codeId === a).length).toBe(2);
  });

  it('makes overlapping codings of one passage by the same coder one coding over their union', async () => {
    const a = (await world.admin.post(`${base}/codes`, { name: 'Double saisie' })).body.id;
    const b = (await world.admin.post(`${base}/codes`, { name: 'Ressaisie' })).body.id;
    await world.admin.post(`${base}/codings`, { documentId: docId, codeId: a, start: 0, end: 12 });
    await world.admin.post(`${base}/codings`, { documentId: docId, codeId: b, start: 5, end: 20 });
    const res = await world.admin.post(`${base}/codes/${a}/merge`, { targetId: b });
    expect(res.status).toBe(200);
    expect(res.body.merged).toEqual({ moved: 0, collapsed: 1, children: 0 });
    const after = await codings();
    expect(after.map((c) => [c.codeId, c.start, c.end])).toEqual([[b, 0, 20]]);
    const text = (await world.admin.get(`${base}/documents/${docId}`)).body.text as string;
    expect(after[0]?.text).toBe(Array.from(text).slice(0, 20).join(''));
    // The frequency table counts one coding of that passage.
    const freq = await world.admin.get(`${base}/stats/frequencies`);
    expect(freq.body.rows.find((r: { codeId: string }) => r.codeId === b)).toMatchObject({
      codings: 1,
      coveredCodePoints: 20,
    });
  });

  it('refuses to merge a code into its own sub-code', async () => {
    const a = (await world.admin.post(`${base}/codes`, { name: 'A' })).body.id;
    const sub = (await world.admin.post(`${base}/codes`, { name: 'A1', parentId: a })).body.id;
    const res = await world.admin.post(`${base}/codes/${a}/merge`, { targetId: sub });
    expect(res.status).toBe(409);
  });

  it('moves selected codings to another code in one undoable step', async () => {
    const a = (await world.admin.post(`${base}/codes`, { name: 'Large' })).body.id;
    const b = (await world.admin.post(`${base}/codes`, { name: 'Précis' })).body.id;
    const one = await world.admin.post(`${base}/codings`, { documentId: docId, codeId: a, start: 0, end: 7 });
    await world.admin.post(`${base}/codings`, { documentId: docId, codeId: a, start: 10, end: 20 });
    const res = await world.admin.post(`${base}/codings/move`, { codingIds: [one.body.id], codeId: b });
    expect(res.body.moved).toBe(1);
    expect((await codings()).map((c) => c.codeId).sort()).toEqual([a, b].sort());
    await world.admin.post(`${base}/undo`);
    expect((await codings()).every((c) => c.codeId === a)).toBe(true);
  });
});
