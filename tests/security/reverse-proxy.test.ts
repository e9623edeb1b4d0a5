import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedLocations, nginxAvailable, startNginx, type Proxy } from '../helpers/nginx.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const available = nginxAvailable();

let server: TestServer;
let proxy: Proxy;
beforeAll(async () => {
  if (!available) return;
  server = await startTestServer({ trustProxy: true });
  proxy = await startNginx(await documentedLocations(), new URL(server.url).host);
});
afterAll(async () => {
  await proxy?.stop();
  await server?.stop();
});

/** A browser tab on the proxy's address: same-origin requests, its own session cookie. */
function browser() {
  let cookie = '';
  const request = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { origin: proxy.url, 'sec-fetch-site': 'same-origin' };
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(proxy.url + path, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) cookie = setCookie.split(';')[0] ?? '';
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any, setCookie };
  };
  return { request, cookie: () => cookie };
}

describe.skipIf(!available)('behind nginx, configured as docs/deployment.md shows', () => {
  it('signs in, codes, and receives a colleague’s coding on the live feed within a second', async () => {
    const lead = browser();
    const setup = await lead.request('POST', '/api/auth/setup', {
      username: 'admin',
      password: 'mot-de-passe-admin',
    });
    expect(setup.status).toBe(201);
    expect(setup.setCookie).not.toMatch(/;\s*Secure/i); // plain HTTP here: no Secure cookie
    expect(
      (await lead.request('POST', '/api/users', { username: 'camille', password: 'secret-camille' })).status,
    ).toBe(201);
    const project = await lead.request('POST', '/api/projects', { name: 'Spectacle vivant' });
    expect(project.status).toBe(201);
    const base = `/api/projects/${project.body.id}`;
    const doc = await lead.request('POST', `${base}/documents`, {
      name: 'entretien.txt',
      text: 'Camille : on ressaisit tout deux fois.',
    });
    const docId = doc.body.documents[0].id as string;
    const code = (await lead.request('POST', `${base}/codes`, { name: 'Ressaisie' })).body.id as string;
    const users = (await lead.request('GET', '/api/users')).body.users as { id: string; username: string }[];
    const camilleId = users.find((u) => u.username === 'camille')?.id;
    expect((await lead.request('PUT', `${base}/members/${camilleId}`, { role: 'coder' })).status).toBe(200);

    const coder = browser();
    expect(
      (await coder.request('POST', '/api/auth/login', { username: 'camille', password: 'secret-camille' }))
        .status,
    ).toBe(200);
    const seq = (await lead.request('GET', base)).body.seq as number;
    const feed = await fetch(`${proxy.url}${base}/events?after=${seq}`, {
      headers: { accept: 'text/event-stream', cookie: lead.cookie() },
    });
    expect(feed.status).toBe(200);
    const reader = (feed.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let received = '';
    // The first presence message arrives at once, unbuffered.
    while (!received.includes('event: presence')) received += decoder.decode((await reader.read()).value);

    const started = Date.now();
    const coding = await coder.request('POST', `${base}/codings`, {
      documentId: docId,
      codeId: code,
      start: 0,
      end: 7,
    });
    expect(coding.status).toBe(201);
    while (!received.includes('coding_created')) {
      const chunk = await Promise.race([
        reader.read(),
        new Promise<'late'>((r) => setTimeout(() => r('late'), 2000)),
      ]);
      if (chunk === 'late' || chunk.done) break;
      received += decoder.decode(chunk.value);
    }
    expect(received).toContain('coding_created');
    expect(Date.now() - started).toBeLessThan(1000);
    await reader.cancel();
  });

  it('throttles sign-in by the address the proxy saw, not by the proxy’s', async () => {
    // Two machines: the whole of 127.0.0.0/8 is this one, so each client binds its own address.
    const login = (from: string, password: string) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ username: 'admin', password });
        const req = request(
          `${proxy.url}/api/auth/login`,
          {
            method: 'POST',
            localAddress: from,
            headers: {
              'content-type': 'application/json',
              origin: proxy.url,
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    for (let i = 0; i < 6; i++) expect(await login('127.0.0.2', `faux-${i}`)).toBe(401);
    expect(await login('127.0.0.2', 'mot-de-passe-admin')).toBe(429);
    expect(await login('127.0.0.3', 'mot-de-passe-admin')).toBe(200);
  });
});
