import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from '../helpers/server.ts';
import { ADMIN, projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

interface Feed {
  /** Every `change` event received so far, parsed. */
  changes: { type: string; seq: number; [key: string]: unknown }[];
  /** Resolves with the time (Date.now()) the server ended the response. */
  ended: Promise<number>;
  close(): void;
}

/** Open a live feed as `client` and keep reading it in the background. */
async function openFeed(client: Client, base: string, after?: number): Promise<Feed> {
  const seq = after ?? ((await client.get(base)).body.seq as number);
  const controller = new AbortController();
  const res = await fetch(`${world.server.url}${base}/events?after=${seq}`, {
    headers: { accept: 'text/event-stream', cookie: client.cookie },
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  const changes: Feed['changes'] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return Date.now();
        buffer += decoder.decode(chunk.value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!block.includes('event: change')) continue;
          const data = block.split('\n').find((line) => line.startsWith('data: '));
          if (data) changes.push(JSON.parse(data.slice(6)));
        }
      }
    } catch {
      return Number.POSITIVE_INFINITY; // Aborted by the test: the server never ended it.
    }
  })();
  // Wait until the feed is registered (its presence is listed).
  for (let i = 0; i < 50; i++) {
    const listed = (await client.get(`${base}/events/presence`)).body.presence as unknown[];
    if (listed?.length > 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { changes, ended, close: () => controller.abort() };
}

/** Whether the feed ends within `ms`; aborts it otherwise. */
async function endsWithin(feed: Feed, started: number, ms: number): Promise<number> {
  const timer = setTimeout(() => feed.close(), ms + 1000);
  const at = await feed.ended;
  clearTimeout(timer);
  return at - started;
}

async function codedProject() {
  const { base, docId } = await projectWithDocument(
    world.admin,
    'Camille : on ressaisit tout deux fois, les fiches de paie comprises.',
  );
  const code = (await world.admin.post(`${base}/codes`, { name: 'Ressaisie' })).body.id as string;
  const coder = await world.user('codeuse');
  expect((await world.admin.put(`${base}/members/${coder.id}`, { role: 'coder' })).status).toBe(200);
  const codeText = async () =>
    world.admin.post(`${base}/codings`, {
      documentId: docId,
      codeId: code,
      start: 0,
      end: 7,
      memo: 'secret',
    });
  return { base, coder, codeText };
}

describe('a live feed does not outlive access', () => {
  it('ends within a second when its member is removed, and sends nothing coded after', async () => {
    const { base, coder, codeText } = await codedProject();
    const feed = await openFeed(coder.client, base);
    expect((await codeText()).status).toBe(201);
    await new Promise((r) => setTimeout(r, 200));
    expect(feed.changes.some((e) => e.type === 'coding_created')).toBe(true);

    const started = Date.now();
    expect((await world.admin.delete(`${base}/members/${coder.id}`)).status).toBe(204);
    const count = feed.changes.length;
    await codeText();
    expect(await endsWithin(feed, started, 1000)).toBeLessThan(1000);
    expect(feed.changes.slice(count).map((e) => e.type)).toEqual([]);
  });

  it('ends when its member is removed even if it asked to start past the last event', async () => {
    const { base, coder } = await codedProject();
    const feed = await openFeed(coder.client, base, 1_000_000);
    const started = Date.now();
    expect((await world.admin.delete(`${base}/members/${coder.id}`)).status).toBe(204);
    expect(await endsWithin(feed, started, 1000)).toBeLessThan(1000);
  });

  it('ends within a second when its role changes (the browser reconnects with the new role)', async () => {
    const { base, coder } = await codedProject();
    const feed = await openFeed(coder.client, base);
    const started = Date.now();
    expect((await world.admin.put(`${base}/members/${coder.id}`, { role: 'viewer' })).status).toBe(200);
    expect(await endsWithin(feed, started, 1000)).toBeLessThan(1000);
  });

  it('ends within a second when its session logs out', async () => {
    const { base, coder, codeText } = await codedProject();
    const feed = await openFeed(coder.client, base);
    const started = Date.now();
    expect((await coder.client.post('/api/auth/logout')).status).toBe(204);
    await codeText();
    expect(await endsWithin(feed, started, 1000)).toBeLessThan(1000);
    expect(feed.changes.map((e) => e.type)).toEqual([]);
  });

  it("ends within a second when the password changes in another of the account's sessions", async () => {
    const { base } = await codedProject();
    const feed = await openFeed(world.admin, base);
    const other = new (world.admin.constructor as new (b: () => string) => Client)(() => world.server.url);
    expect((await other.post('/api/auth/login', ADMIN)).status).toBe(200);
    const started = Date.now();
    const changed = await other.post('/api/auth/password', {
      currentPassword: ADMIN.password,
      newPassword: 'un-tout-autre-secret',
    });
    expect(changed.status).toBe(200);
    expect(await endsWithin(feed, started, 1000)).toBeLessThan(1000);
  });

  it('ends within a second when the session is ended by another instance, seen only in the store', async () => {
    const { base, coder } = await codedProject();
    const feed = await openFeed(coder.client, base);
    const started = Date.now();
    // As another instance on the same database would: the sessions go, no route of this one runs.
    await world.server.store.changeInstance(null, (state) => ({
      events: [
        {
          type: 'sessions_deleted',
          tokenHashes: Object.values(state.sessions)
            .filter((s) => s.userId === coder.id)
            .map((s) => s.tokenHash),
        },
      ],
      result: null,
    }));
    expect(await endsWithin(feed, started, 1000)).toBeLessThan(1000);
  });

  it('keeps a feed whose access did not change', async () => {
    const { base, coder, codeText } = await codedProject();
    const feed = await openFeed(coder.client, base);
    const other = await world.user('autre');
    await world.admin.put(`${base}/members/${other.id}`, { role: 'viewer' });
    await world.admin.delete(`${base}/members/${other.id}`);
    await other.client.post('/api/auth/logout');
    expect((await codeText()).status).toBe(201);
    await new Promise((r) => setTimeout(r, 1200));
    expect(feed.changes.map((e) => e.type)).toContain('coding_created');
    const stillOpen = await Promise.race([
      feed.ended,
      new Promise<string>((r) => setTimeout(() => r('open'), 50)),
    ]);
    expect(stillOpen).toBe('open');
    feed.close();
  });
});
