/**
 * The server under measurement runs as its own process (the bundled `server/main.ts`, as in
 * production), so that the load generator in this process does not share its event loop. Every
 * request goes to 127.0.0.1.
 */
import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { bundleServer, removeBundle as removeServerBundle } from '../lib/bundle-server.ts';
import { spawnServer } from '../lib/server-process.ts';
import { ADMIN_NAME, BENCH_PASSWORD } from './generate.ts';

/** Where the bench keeps its data folders and bundle (ignored by git and the linter). */
export const BENCH_DIR = resolve('.bench');

/** The server bundled once per run (see `scripts/lib/bundle-server.ts`). */
export function bundledServer(): Promise<string> {
  return bundleServer(join(BENCH_DIR, 'server'));
}

export function removeBundle(): Promise<void> {
  return removeServerBundle(join(BENCH_DIR, 'server'));
}

export interface RunningServer {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the « listening » line. */
  startMs: number;
  output(): string;
  stop(): Promise<void>;
}

/** Start the server over `dataDir` on a free port; resolves once it listens. */
export async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const entry = await bundledServer();
  const started = performance.now();
  // VERBATIM_BENCH_PROFILE=<folder> writes a V8 CPU profile of each server there, to see where time goes.
  const profile = process.env.VERBATIM_BENCH_PROFILE;
  const args = profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profile)}`, entry] : [entry];
  const server = spawnServer(args, {
    VERBATIM_DATA: dataDir,
    VERBATIM_BACKUP_HOURS: '0',
    VERBATIM_CLIENT_DIR: join(dataDir, 'no-client'),
    ...env,
  });
  const stop = () => server.stop(60_000);
  try {
    const url = await Promise.race([
      server.url,
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`server did not start within 5 min: ${server.output()}`)),
          300_000,
        ).unref(),
      ),
    ]);
    return { child: server.child, url, startMs: performance.now() - started, output: server.output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Resident memory of a process, in MiB: current (VmRSS) and peak (VmHWM), from /proc. */
export async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/**
 * What `send` got back: the status, the time to the last byte, the bytes on the wire, the body,
 * and the `Server-Timing` header when the server sends one (VERBATIM_SERVER_TIMING).
 */
export interface Sent {
  status: number;
  ms: number;
  bytes: number;
  body: Buffer;
  serverTiming?: string | undefined;
}

/**
 * One request through node:http, whose default agent keeps the connection alive: lighter than
 * `fetch`, so that a row measures the server rather than the client. `json` is sent as the body;
 * `encoding` is the Accept-Encoding asked (none when absent). Fails unless the status is `expected`.
 */
export function send(
  url: string,
  options: { cookie: string; method?: string; json?: unknown; encoding?: string; expected?: number },
): Promise<Sent> {
  const { cookie, method = 'GET', json, encoding, expected = method === 'POST' ? 201 : 200 } = options;
  const data = json === undefined ? undefined : Buffer.from(JSON.stringify(json));
  const headers: Record<string, string> = { cookie };
  if (encoding !== undefined) headers['accept-encoding'] = encoding;
  if (data) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(data.length);
  }
  const started = performance.now();
  return new Promise((done, fail) => {
    const req = request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        chunks.push(chunk);
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status !== expected) fail(new Error(`${method} ${url} → ${status}`));
        else {
          const ms = performance.now() - started;
          const timing = res.headers['server-timing'];
          const serverTiming = Array.isArray(timing) ? timing.join(', ') : timing;
          done({ status, ms, bytes, body: Buffer.concat(chunks), serverTiming });
        }
      });
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(data);
  });
}

/** A minimal HTTP client keeping its session cookie, like one browser tab. */
export class Client {
  cookie = '';
  constructor(readonly base: string) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; bytes: Uint8Array }> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers, body: payload });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()) };
  }

  /** A JSON answer, or an error naming the route and status when it is not `expected`. */
  async json<T>(method: string, path: string, body?: unknown, expected = [200, 201]): Promise<T> {
    const res = await this.request(method, path, body);
    const text = new TextDecoder().decode(res.bytes);
    if (!expected.includes(res.status))
      throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async login(username = ADMIN_NAME): Promise<this> {
    await this.json('POST', '/api/auth/login', { username, password: BENCH_PASSWORD });
    return this;
  }
}
