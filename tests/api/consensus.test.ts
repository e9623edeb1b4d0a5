import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

describe('consensus codings', () => {
  it('records an accepted coding as consensus, linked to it, and leaves agreement unchanged', async () => {
    const { base, docId } = await projectWithDocument(
      world.admin,
      'Camille : on ressaisit tout, deux fois, à la main, chaque semaine.',
    );
    const code = (await world.admin.post(`${base}/codes`, { name: 'Ressaisie' })).body.id;
    const a = await world.user('alice');
    const b = await world.user('basile');
    for (const u of [a, b]) await world.admin.put(`${base}/members/${u.id}`, { role: 'coder' });
    const fromA = await a.client.post(`${base}/codings`, {
      documentId: docId,
      codeId: code,
      start: 10,
      end: 30,
    });
    await b.client.post(`${base}/codings`, { documentId: docId, codeId: code, start: 15, end: 40 });
    const agreement = async () =>
      (await world.admin.get(`${base}/stats/agreement?coders=${a.id},${b.id}&unit=character`)).body.overall;
    const before = await agreement();

    const accepted = await world.admin.post(`${base}/codings/consensus`, { codingId: fromA.body.id });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({
      start: 10,
      end: 30,
      codeId: code,
      consensus: { acceptedFrom: fromA.body.id },
    });
    expect(await agreement()).toEqual(before);
    const again = await world.admin.post(`${base}/codings/consensus`, { codingId: fromA.body.id });
    expect(again.status).toBe(409);
    expect((await a.client.post(`${base}/codings/consensus`, { codingId: fromA.body.id })).status).toBe(403);
    const events = (await world.admin.get(`${base}/events?after=0`)).body.events;
    expect(events.at(-1)).toMatchObject({
      type: 'coding_created',
      coding: { consensus: { acceptedFrom: fromA.body.id } },
    });
  });
});
