import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

/** Read server-sent events from a response until `until` returns true or the time runs out. */
async function readEvents(
  res: Response,
  until: (events: { event: string; data: string; id?: string }[]) => boolean,
  ms = 5000,
) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: string; id?: string }[] = [];
  let buffer = '';
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !until(events)) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<{ done: true; value: undefined }>((r) =>
        setTimeout(() => r({ done: true, value: undefined }), deadline - Date.now()),
      ),
    ]);
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = Object.fromEntries(
        block
          .split('\n')
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]),
      );
      events.push({ event: fields.event ?? 'message', data: fields.data ?? '', id: fields.id });
    }
  }
  await reader.cancel();
  return events;
}

describe('the live feed', () => {
  it("sends another coder's new coding within a second, and who has the document open", async () => {
    const { base, docId } = await projectWithDocument(world.admin, 'Camille : on ressaisit tout deux fois.');
    const code = (await world.admin.post(`${base}/codes`, { name: 'Ressaisie' })).body.id;
    const coder = await world.user('codeuse');
    await world.admin.put(`${base}/members/${coder.id}`, { role: 'coder' });
    const seq = (await world.admin.get(base)).body.seq;

    const stream = await fetch(`${world.server.url}${base}/events?after=${seq}&documentId=${docId}`, {
      headers: { accept: 'text/event-stream', cookie: world.admin.cookie },
    });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const started = Date.now();
    setTimeout(() => {
      void coder.client.post(`${base}/codings`, { documentId: docId, codeId: code, start: 10, end: 20 });
    }, 100);
    const events = await readEvents(stream, (list) => list.some((e) => e.event === 'change'));
    const change = events.find((e) => e.event === 'change');
    expect(change).toBeDefined();
    expect(Date.now() - started).toBeLessThan(3000);
    const event = JSON.parse(change?.data ?? '{}');
    expect(event).toMatchObject({ type: 'coding_created', userId: coder.id, coding: { start: 10, end: 20 } });
    expect(change?.id).toBe(String(seq + 1));
    const presence = events.find((e) => e.event === 'presence');
    expect(JSON.parse(presence?.data ?? '[]')).toEqual([
      expect.objectContaining({ username: 'admin', documentId: docId }),
    ]);
    const listed = await coder.client.get(`${base}/events/presence`);
    expect(listed.status).toBe(200);
  });

  it('resumes after the last event seen (Last-Event-ID) without losing or repeating any', async () => {
    const { base } = await projectWithDocument(world.admin, 'Texte.');
    for (const name of ['A', 'B', 'C']) await world.admin.post(`${base}/codes`, { name });
    const stream = await fetch(`${world.server.url}${base}/events`, {
      headers: { accept: 'text/event-stream', cookie: world.admin.cookie, 'last-event-id': '3' },
    });
    const events = await readEvents(stream, (list) => list.filter((e) => e.event === 'change').length >= 2);
    expect(events.filter((e) => e.event === 'change').map((e) => e.id)).toEqual(['4', '5']);
  });

  it('answers 404 to a non-member', async () => {
    const { base } = await projectWithDocument(world.admin, 'Texte.');
    const outsider = await world.user('dehors');
    const res = await outsider.client.request('GET', `${base}/events`, undefined, {
      accept: 'text/event-stream',
    });
    expect(res.status).toBe(404);
  });

  it('has its own route, events/live, while GET events answers JSON pages as before', async () => {
    const { base } = await projectWithDocument(world.admin, 'Texte.');
    for (const name of ['A', 'B']) await world.admin.post(`${base}/codes`, { name });
    // No Accept header needed: the route is the feed.
    const stream = await fetch(`${world.server.url}${base}/events/live?after=1`, {
      headers: { cookie: world.admin.cookie },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await readEvents(stream, (list) => list.some((e) => e.event === 'presence'));
    const changes = events.filter((e) => e.event === 'change');
    expect(changes.map((e) => e.id)).toEqual(['2', '3', '4']);
    expect(events.at(-1)?.event).toBe('presence');

    // The JSON page, whatever else the client accepts, unless it asks for the feed.
    const page = await world.admin.get(`${base}/events?after=2&limit=1`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/application\/json/);
    expect(page.body.events.map((e: { seq: number }) => e.seq)).toEqual([3]);
  });

  it('refuses a malformed query on the feed with a message naming the parameter', async () => {
    const { base } = await projectWithDocument(world.admin, 'Texte.');
    const bad = await world.admin.get(`${base}/events/live?after=-3`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/« after »/);
    const unknown = await world.admin.get(`${base}/events/live?limit=5`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/« limit »/);
  });
});
