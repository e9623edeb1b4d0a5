/**
 * The JSON body limit refuses what is too large, declared or chunked, and lets the rest through
 * without turning the request into a web stream: a JSON body with a Content-Length is read
 * straight from the socket. Served by @hono/node-server over node:http, as in production.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLimit } from '../../../server/http/body-limit.ts';
import { handleError } from '../../../server/http/errors.ts';

const LIMIT = 1000;

let server: ServerType;
let url: string;
/** Whether the last request's handlers asked for its `body` stream. */
let bodyAsked = false;

beforeAll(async () => {
  const app = new Hono()
    .use(async (c, next) => {
      bodyAsked = false;
      const raw = c.req.raw;
      const prototype = Object.getPrototypeOf(raw) as object;
      Object.defineProperty(raw, 'body', {
        configurable: true,
        get() {
          bodyAsked = true;
          return Reflect.get(prototype, 'body', raw) as unknown;
        },
      });
      await next();
    })
    .use(jsonLimit(LIMIT))
    .get('/echo', (c) => c.json({ got: null }, 200))
    .post('/echo', async (c) => c.json({ got: (await c.req.json()) as unknown }, 200));
  app.onError(handleError);
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A JSON body sent in two chunks, without a Content-Length. */
function chunked(json: string): RequestInit {
  const half = Math.floor(json.length / 2);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(json.slice(0, half)));
      controller.enqueue(encoder.encode(json.slice(half)));
      controller.close();
    },
  });
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    duplex: 'half',
  } as RequestInit;
}

describe('jsonLimit', () => {
  it('reads a JSON body of declared length without asking for its stream', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ start: 3, end: 5 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: { start: 3, end: 5 } });
    expect(bodyAsked).toBe(false);
  });

  it('does not ask a GET for a body', async () => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(bodyAsked).toBe(false);
  });

  it('refuses a declared length over the limit with 413 payload_too_large', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ memo: 'a'.repeat(LIMIT) }),
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('counts a chunked body and passes it on whole when it is within the limit', async () => {
    const res = await fetch(url, chunked(JSON.stringify({ memo: 'é'.repeat(200) })));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: { memo: 'é'.repeat(200) } });
  });

  it('refuses a chunked body once it passes the limit', async () => {
    const res = await fetch(url, chunked(JSON.stringify({ memo: 'a'.repeat(LIMIT) })));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });
});
