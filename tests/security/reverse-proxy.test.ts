/**
 * Verbatim behind a real nginx (Debian's nginx-light), configured with the server block that
 * docs/deployment.md shows, over TLS: sign-in with a Secure cookie, coding, the live feed, and
 * sign-in throttled by the client's address rather than the proxy's.
 */
import type { IncomingMessage } from 'node:http';
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedServer, nginxAvailable, startNginx, type Proxy } from '../helpers/nginx.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const available = nginxAvailable();

let server: TestServer;
let proxy: Proxy;
beforeAll(async () => {
  if (!available) return;
  server = await startTestServer({ trustProxy: true });
  proxy = await startNginx(await documentedServer(), new URL(server.url).host);
});
afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

interface Sent {
  /** The request's own address: the whole of 127.0.0.0/8 is this machine, so clients differ. */
  from?: string;
  cookie?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Send a request through the proxy, as a page of the proxy's origin would; the response unread. */
function open(method: string, path: string, sent: Sent = {}): Promise<IncomingMessage> {
  const body = sent.body === undefined ? undefined : JSON.stringify(sent.body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${proxy.url}${path}`,
      {
        method,
        ca: proxy.certificate,
        localAddress: sent.from ?? '127.0.0.1',
        headers: {
          origin: proxy.url,
          'sec-fetch-site': 'same-origin',
          ...(sent.cookie ? { cookie: sent.cookie } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...sent.headers,
        },
      },
      resolve,
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function send(method: string, path: string, sent: Sent = {}) {
  const res = await open(method, path, sent);
  let text = '';
  for await (const chunk of res) text += String(chunk);
  const setCookie = res.headers['set-cookie']?.[0] ?? '';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = (text ? JSON.parse(text) : undefined) as any;
  return { status: res.statusCode ?? 0, body: json, setCookie, cookie: setCookie.split(';')[0] ?? '' };
}

describe.skipIf(!available)('behind nginx over TLS, configured as docs/deployment.md shows', () => {
  it('signs in with a Secure cookie, codes, and hears a colleague’s coding on the live feed within a second', async () => {
    const setup = await send('POST', '/api/auth/setup', {
      body: { username: 'admin', password: 'mot-de-passe-admin' },
    });
    expect(setup.status).toBe(201);
    expect(setup.setCookie).toMatch(/;\s*Secure/i);
    const lead = setup.cookie;
    const created = await send('POST', '/api/users', {
      cookie: lead,
      body: { username: 'camille', password: 'secret-camille' },
    });
    expect(created.status).toBe(201);
    const project = await send('POST', '/api/projects', { cookie: lead, body: { name: 'Spectacle vivant' } });
    expect(project.status).toBe(201);
    const base = `/api/projects/${project.body.id}`;
    const doc = await send('POST', `${base}/documents`, {
      cookie: lead,
      body: { name: 'entretien.txt', text: 'Camille : on ressaisit tout deux fois.' },
    });
    const docId = doc.body.documents[0].id as string;
    const code = (await send('POST', `${base}/codes`, { cookie: lead, body: { name: 'Ressaisie' } })).body.id;
    const member = await send('PUT', `${base}/members/${created.body.user.id}`, {
      cookie: lead,
      body: { role: 'coder' },
    });
    expect(member.status).toBe(200);

    const login = await send('POST', '/api/auth/login', {
      from: '127.0.0.4',
      body: { username: 'camille', password: 'secret-camille' },
    });
    expect(login.status).toBe(200);
    expect(login.setCookie).toMatch(/;\s*Secure/i);

    const seq = (await send('GET', base, { cookie: lead })).body.seq as number;
    const feed = await open('GET', `${base}/events?after=${seq}`, {
      cookie: lead,
      headers: { accept: 'text/event-stream' },
    });
    expect(feed.statusCode).toBe(200);
    let received = '';
    const heard = (what: string) =>
      new Promise<void>((resolve) => {
        const listen = (chunk: Buffer) => {
          received += chunk.toString();
          if (received.includes(what)) {
            feed.off('data', listen);
            resolve();
          }
        };
        feed.on('data', listen);
      });
    await heard('event: presence'); // sent at once: nothing is buffered on the way

    const started = Date.now();
    const arrival = heard('coding_created');
    const coding = await send('POST', `${base}/codings`, {
      from: '127.0.0.4',
      cookie: login.cookie,
      body: { documentId: docId, codeId: code, start: 0, end: 7 },
    });
    expect(coding.status).toBe(201);
    await Promise.race([arrival, new Promise((r) => setTimeout(r, 2000))]);
    expect(received).toContain('coding_created');
    expect(Date.now() - started).toBeLessThan(1000);
    feed.destroy();
  });

  it('throttles sign-in by the address the proxy saw, not by the proxy’s', async () => {
    const attempt = (from: string, password: string) =>
      send('POST', '/api/auth/login', { from, body: { username: 'admin', password } });
    for (let i = 0; i < 6; i++) expect((await attempt('127.0.0.2', `faux-${i}`)).status).toBe(401);
    expect((await attempt('127.0.0.2', 'mot-de-passe-admin')).status).toBe(429);
    expect((await attempt('127.0.0.3', 'mot-de-passe-admin')).status).toBe(200);
  });
});
