/**
 * GET /api/projects/:projectId/documents/:documentId/view: one answer opens a document in the
 * coding view — its text and turns, its codings only, the codebook with project and document
 * counts, members, participant, settings, history — at the seq the live feed resumes from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../helpers/server.ts';
import { startWorld, type World } from './setup.ts';

let world: World;
let lead: Client;
let coder: { client: Client; id: string };
let outsider: Client;

beforeAll(async () => {
  world = await startWorld();
  lead = world.admin;
  coder = await world.user('camille');
  outsider = (await world.user('dehors')).client;
});
afterAll(async () => {
  await world.server.stop();
});

/** A project of three documents coded with three codes, by the lead and a coder. */
async function study() {
  const base = `/api/projects/${(await lead.post('/api/projects', { name: 'Vue du document' })).body.id}`;
  await lead.put(`${base}/members/${coder.id}`, { role: 'coder' });
  const docs: string[] = [];
  for (const name of ['a.txt', 'b.txt', 'c.txt']) {
    const text = `Enquêtrice : bonjour.\nCamille : on ressaisit tout à la main, ${name}, chaque semaine.`;
    docs.push((await lead.post(`${base}/documents`, { name, text })).body.documents[0].id);
  }
  const codes: string[] = [];
  for (const name of ['Ressaisie', 'Temps', 'Jamais utilisé'])
    codes.push((await lead.post(`${base}/codes`, { name })).body.id);
  const plan: [client: Client, doc: number, code: number, start: number][] = [
    [lead, 0, 0, 0],
    [coder.client, 0, 0, 22],
    [coder.client, 0, 1, 30],
    [lead, 1, 0, 0],
    [lead, 1, 1, 5],
    [coder.client, 1, 1, 22],
    [lead, 2, 0, 40],
  ];
  for (const [client, doc, code, start] of plan) {
    const made = await client.post(`${base}/codings`, {
      documentId: docs[doc],
      codeId: codes[code],
      start,
      end: start + 6,
    });
    expect(made.status).toBe(201);
  }
  return { base, docs, codes };
}

describe('GET …/documents/:documentId/view', () => {
  it('answers the document, its codings only, and counts that match an independent count of every coding', async () => {
    const { base, docs, codes } = await study();
    const participant = (await lead.post(`${base}/participants`, { name: 'Camille' })).body.id;
    await lead.patch(`${base}/documents/${docs[0]}`, { participantId: participant });

    const view = await coder.client.get(`${base}/documents/${docs[0]}/view`);
    expect(view.status).toBe(200);
    const body = view.body;

    const document = await coder.client.get(`${base}/documents/${docs[0]}`);
    expect(body.document).toEqual(document.body);
    const own = await coder.client.get(`${base}/codings?documentId=${docs[0]}`);
    expect(body.codings.map((c: { id: string }) => c.id).sort()).toEqual(
      own.body.codings.map((c: { id: string }) => c.id).sort(),
    );
    expect(body.codings).toHaveLength(3);
    expect(body.codings.map((c: { start: number }) => c.start)).toEqual([0, 22, 30]);
    // Each is the coding as listed, less what the document gives: its id and the text covered.
    const text = [...(document.body.text as string)];
    for (const coding of own.body.codings as { id: string; documentId: string; text: string }[]) {
      const { documentId, text: covered, ...rest } = coding;
      const sent = body.codings.find((c: { id: string }) => c.id === coding.id);
      expect(sent).toEqual(rest);
      expect(documentId).toBe(docs[0]);
      expect(text.slice(sent.start, sent.end).join('')).toBe(covered);
    }

    // Counted here from the list of every coding, independently of the index the route reads.
    const all: { codeId: string; documentId: string }[] = (await lead.get(`${base}/codings`)).body.codings;
    expect(all).toHaveLength(7);
    for (const code of codes) {
      const row = body.codes.find((c: { id: string }) => c.id === code);
      expect(row.codings).toBe(all.filter((c) => c.codeId === code).length);
      expect(row.inDocument).toBe(all.filter((c) => c.codeId === code && c.documentId === docs[0]).length);
    }
    expect(body.codes.map((c: { codings: number }) => c.codings).sort()).toEqual([0, 3, 4]);

    const project = await coder.client.get(base);
    expect(body.seq).toBe(project.body.seq);
    expect(body.project).toMatchObject({ id: project.body.id, name: 'Vue du document', role: 'coder' });
    expect(body.members.map((m: { username: string }) => m.username).sort()).toEqual(['admin', 'camille']);
    const participants = (await coder.client.get(`${base}/participants`)).body;
    const { documentIds, ...card } = participants.participants[0];
    expect(documentIds).toEqual([docs[0]]);
    expect(card.id).toBe(participant);
    expect(body.participant).toEqual({ participant: card, attributes: participants.attributes });
    expect(body.settings).toEqual((await coder.client.get(`${base}/settings`)).body);
    expect(body.history).toEqual((await coder.client.get(`${base}/history`)).body);
    expect(Object.keys(body).sort()).toEqual(
      [
        'codes',
        'codings',
        'document',
        'history',
        'members',
        'participant',
        'project',
        'seq',
        'settings',
      ].sort(),
    );

    const other = await coder.client.get(`${base}/documents/${docs[2]}/view`);
    expect(other.body.participant).toBeNull();
    expect(other.body.codings).toHaveLength(1);
  });

  it('follows deletions, code changes and undo in its counts', async () => {
    const { base, docs, codes } = await study();
    const all: { id: string; codeId: string; documentId: string }[] = (await lead.get(`${base}/codings`)).body
      .codings;
    const moved = all.find((c) => c.documentId === docs[1] && c.codeId === codes[0]);
    expect((await lead.patch(`${base}/codings/${moved?.id}`, { codeId: codes[2] })).status).toBe(200);
    expect((await lead.delete(`${base}/documents/${docs[2]}`)).status).toBe(200);
    const view = (await lead.get(`${base}/documents/${docs[0]}/view`)).body;
    const count = (code: string | undefined) =>
      view.codes.find((c: { id: string }) => c.id === code).codings as number;
    expect([count(codes[0]), count(codes[1]), count(codes[2])]).toEqual([2, 3, 1]);
    expect((await lead.post(`${base}/undo`, {})).status).toBe(200);
    const undone = (await lead.get(`${base}/documents/${docs[0]}/view`)).body;
    expect(undone.codes.find((c: { id: string }) => c.id === codes[0]).codings).toBe(3);
  });

  it('shows each coding as it is now, after its memo, code or bounds change and after undo', async () => {
    const { base, docs, codes } = await study();
    type Seen = { id: string; codeId: string; start: number; end: number; memo?: string };
    const seen = async () => (await lead.get(`${base}/documents/${docs[0]}/view`)).body.codings as Seen[];
    const first = (await seen())[0] as Seen;
    const path = `${base}/codings/${first.id}`;
    expect((await lead.patch(path, { memo: '« Camille » hésite' })).status).toBe(200);
    expect((await seen()).find((c) => c.id === first.id)?.memo).toBe('« Camille » hésite');
    expect((await lead.patch(path, { codeId: codes[2], start: 1, end: 5 })).status).toBe(200);
    expect((await seen()).find((c) => c.id === first.id)).toMatchObject({
      codeId: codes[2],
      start: 1,
      end: 5,
    });
    expect((await lead.post(`${base}/undo`, {})).status).toBe(200);
    expect((await seen()).find((c) => c.id === first.id)).toMatchObject({
      codeId: first.codeId,
      start: first.start,
      end: first.end,
      memo: '« Camille » hésite',
    });
    expect((await lead.delete(path)).status).toBe(204);
    expect((await seen()).map((c) => c.id)).not.toContain(first.id);
  });

  it('gives a seq from which the event log holds every later change, and nothing already in the view', async () => {
    const { base, docs, codes } = await study();
    const view = (await lead.get(`${base}/documents/${docs[0]}/view`)).body;
    const made = await coder.client.post(`${base}/codings`, {
      documentId: docs[0],
      codeId: codes[2],
      start: 50,
      end: 55,
    });
    const events = (await lead.get(`${base}/events?after=${view.seq}`)).body.events;
    expect(events.map((e: { type: string; seq: number }) => [e.type, e.seq])).toEqual([
      ['coding_created', view.seq + 1],
    ]);
    expect(events[0].coding.id).toBe(made.body.id);
  });

  it('is 404 to a non-member and for a document that is not there, 401 without a session', async () => {
    const { base, docs } = await study();
    expect((await outsider.get(`${base}/documents/${docs[0]}/view`)).status).toBe(404);
    expect(
      (await world.admin.get(`${base}/documents/00000000-0000-4000-8000-000000000000/view`)).status,
    ).toBe(404);
    expect((await lead.get(`${base}/documents/pas-un-id/view`)).status).toBe(404);
    await lead.delete(`${base}/documents/${docs[1]}`);
    const gone = await lead.get(`${base}/documents/${docs[1]}/view`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
    const anonymous = await fetch(`${world.server.url}${base}/documents/${docs[0]}/view`);
    expect(anonymous.status).toBe(401);
  });
});
