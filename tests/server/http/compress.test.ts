/**
 * Responses go out compressed when it is worth it: JSON, HTML, JavaScript and CSS of 1 KB or more
 * in brotli or gzip as the browser asks, short answers, live feeds and already-compressed files as
 * they are. Read with node:http, which (unlike fetch) shows the bytes as sent.
 */
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import {
  compressResponses,
  negotiateEncoding,
  SYNC_COMPRESSION_LIMIT,
} from '../../../server/http/compress.ts';
import { Client, startTestServer, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
let client: Client;
let base: string;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One GET as sent on the wire, with the session cookie; `firstChunkOnly` stops after the first bytes. */
function rawGet(
  path: string,
  acceptEncoding?: string,
  firstChunkOnly = false,
  accept?: string,
): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { cookie: client.cookie };
    if (accept !== undefined) headers.accept = accept;
    if (acceptEncoding !== undefined) headers['accept-encoding'] = acceptEncoding;
    const req = request(`${server.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (firstChunkOnly) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
          req.destroy();
        }
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', (error) => (firstChunkOnly ? undefined : reject(error)));
    req.end();
  });
}

beforeAll(async () => {
  server = await startTestServer({ withClient: true });
  client = new Client(() => server.url);
  await client.post('/api/auth/setup', { username: 'admin', password: 'mot-de-passe-admin' });
  const project = await client.post('/api/projects', { name: 'Compression' });
  base = `/api/projects/${project.body.id}`;
  const text = Array.from({ length: 200 }, (_, i) => `Camille : réponse ${i}, on ressaisit tout.`).join('\n');
  await client.post(`${base}/documents`, { name: 'long.txt', text });
});
afterAll(async () => {
  await server.stop();
});

describe('negotiateEncoding', () => {
  it('prefers brotli, honours q-values and refusals', () => {
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('gzip')).toBe('gzip');
    expect(negotiateEncoding('br;q=0.5, gzip')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip;q=0')).toBeUndefined();
    expect(negotiateEncoding('identity')).toBeUndefined();
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding(undefined)).toBeUndefined();
  });
});

describe('compressed responses', () => {
  it('sends a large JSON answer in brotli, or gzip, that decodes to the same JSON', async () => {
    const plain = await rawGet(`${base}/documents`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const document = (JSON.parse(plain.body.toString()) as { documents: { id: string }[] }).documents[0];
    const big = await rawGet(`${base}/documents/${document?.id}`);
    expect(big.body.length).toBeGreaterThan(1024);
    const br = await rawGet(`${base}/documents/${document?.id}`, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(big.body.length / 3);
    expect(brotliDecompressSync(br.body).toString()).toBe(big.body.toString());
    const gzip = await rawGet(`${base}/documents/${document?.id}`, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(big.body.toString());
  });

  it('leaves a short answer as it is', async () => {
    const me = await rawGet('/api/auth/me', 'br, gzip');
    expect(me.body.length).toBeLessThan(1024);
    expect(me.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(me.body.toString())).toMatchObject({ user: { username: 'admin' } });
  });

  it('serves the built page and its scripts and styles compressed', async () => {
    const page = await rawGet('/', 'br');
    expect(page.status).toBe(200);
    const scripts = [...page.body.toString().matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map(
      (m) => m[1] as string,
    );
    expect(scripts.length).toBeGreaterThan(0);
    for (const asset of scripts) {
      const plain = await rawGet(asset);
      const br = await rawGet(asset, 'gzip, deflate, br');
      if (plain.body.length < 1024) continue;
      expect(br.headers['content-encoding'], asset).toBe('br');
      expect(brotliDecompressSync(br.body).equals(plain.body), asset).toBe(true);
      expect(br.body.length).toBeLessThan(plain.body.length);
    }
  });

  it('never compresses the live feed, whose events must arrive one by one', async () => {
    const live = await rawGet(`${base}/events`, 'br, gzip', true, 'text/event-stream');
    expect(live.headers['content-type']).toMatch(/text\/event-stream/);
    expect(live.headers['content-encoding']).toBeUndefined();
  });
});

describe('JSON answers given as bytes', () => {
  // A small app of its own: the status, headers and text of `c.json` must come through unchanged.
  const app = new Hono().use(compressResponses());
  const long = { text: 'l’équipe « billetterie » 😀 '.repeat(200), lone: '\uD83D' };
  app.get('/long', (c) => c.json(long, 201, { 'X-Verbatim': 'oui' }));
  app.get('/short', (c) => c.json({ ok: 'é’' }));
  const list = { codings: Array.from({ length: 500 }, (_, i) => ({ id: `c${i}`, memo: `« ${i} » 😀` })) };
  app.get('/list', (c) => c.json(list));
  const xml = `<?xml version="1.0"?><Codes>${'<Code name="Redondance de saisie « billetterie »"/>'.repeat(100)}</Codes>`;
  app.get('/xml', (c) => {
    c.header('Content-Type', 'application/xml; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="codes.qdc"');
    return c.body(xml, 200);
  });
  // An answer made by c.json, then replaced by a middleware: the replacement is what is sent.
  app.use('/replaced', async (c, next) => {
    await next();
    c.res = new Response(JSON.stringify({ replaced: 'x'.repeat(3000) }), {
      headers: { 'Content-Type': 'application/json' },
    });
  });
  app.get('/replaced', (c) => c.json(list));

  it('keeps the JSON, status and headers of a long answer, compressed or not', async () => {
    const plain = await app.request('/long');
    expect(plain.status).toBe(201);
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    expect(plain.headers.get('x-verbatim')).toBe('oui');
    expect(await plain.json()).toEqual(long);
    const br = await app.request('/long', { headers: { 'accept-encoding': 'br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(JSON.parse(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString('utf8'))).toEqual(
      long,
    );
  });

  it('compresses a JSON answer in one piece, sent with its length, in brotli or gzip', async () => {
    const br = await app.request('/list', { headers: { 'accept-encoding': 'br' } });
    const brBytes = Buffer.from(await br.arrayBuffer());
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-length')).toBe(String(brBytes.length));
    expect(brotliDecompressSync(brBytes).toString('utf8')).toBe(JSON.stringify(list));
    const gz = await app.request('/list', { headers: { 'accept-encoding': 'gzip' } });
    const gzBytes = Buffer.from(await gz.arrayBuffer());
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('content-length')).toBe(String(gzBytes.length));
    expect(gunzipSync(gzBytes).toString('utf8')).toBe(JSON.stringify(list));
    const plain = await app.request('/list');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(JSON.stringify(list));
  });

  it('compresses a text answer made by c.body in one piece, its headers kept', async () => {
    const br = await app.request('/xml', { headers: { 'accept-encoding': 'br' } });
    const bytes = Buffer.from(await br.arrayBuffer());
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('content-length')).toBe(String(bytes.length));
    expect(br.headers.get('content-disposition')).toBe('attachment; filename="codes.qdc"');
    expect(br.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(brotliDecompressSync(bytes).toString('utf8')).toBe(xml);
  });

  it('sends the answer that replaced one made earlier in the same request', async () => {
    const res = await app.request('/replaced', { headers: { 'accept-encoding': 'br' } });
    const body = brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString('utf8');
    expect(JSON.parse(body)).toEqual({ replaced: 'x'.repeat(3000) });
  });

  it('compresses answers on either side of the size compressed on the main thread alike', async () => {
    for (const size of [
      SYNC_COMPRESSION_LIMIT - 1,
      SYNC_COMPRESSION_LIMIT,
      SYNC_COMPRESSION_LIMIT + 1,
      200_000,
    ]) {
      // {"text":"…"} is 11 bytes around the text; « é » is 2 bytes in UTF-8.
      const body = { text: 'a'.repeat((size - 11) % 2) + 'é'.repeat(Math.floor((size - 11) / 2)) };
      expect(Buffer.byteLength(JSON.stringify(body))).toBe(size);
      const sized = new Hono().use(compressResponses());
      sized.get('/', (c) => c.json(body));
      const br = await sized.request('/', { headers: { 'accept-encoding': 'br' } });
      const brBytes = Buffer.from(await br.arrayBuffer());
      expect(br.headers.get('content-encoding')).toBe('br');
      expect(br.headers.get('content-length')).toBe(String(brBytes.length));
      expect(JSON.parse(brotliDecompressSync(brBytes).toString('utf8'))).toEqual(body);
      const gz = await sized.request('/', { headers: { 'accept-encoding': 'gzip' } });
      const gzBytes = Buffer.from(await gz.arrayBuffer());
      expect(gz.headers.get('content-encoding')).toBe('gzip');
      expect(JSON.parse(gunzipSync(gzBytes).toString('utf8'))).toEqual(body);
    }
  });

  it('keeps a short answer as it was', async () => {
    const res = await app.request('/short', { headers: { 'accept-encoding': 'br' } });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ ok: 'é’' });
  });
});
