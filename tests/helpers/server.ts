/**
 * Start a real Verbatim server for a test: file store in a fresh temporary folder, HTTP on
 * 127.0.0.1 at a port chosen at run time. `stop()` closes it; `restart()` reopens the same folder.
 */
import { serve, type ServerType } from '@hono/node-server';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '../../server/app.ts';
import { SearchService } from '../../server/search/service.ts';
import { openFileStore, type FileStoreOptions } from '../../server/storage/file-store.ts';
import type { Store } from '../../server/storage/store.ts';

export interface TestServer {
  url: string;
  dataDir: string;
  store: Store;
  /** Close and reopen the same folder; `meanwhile` runs while the server is down. */
  restart(meanwhile?: () => Promise<unknown>): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestServer(
  options: {
    dataDir?: string;
    withClient?: boolean;
    maxUploadBytes?: number;
    maxMediaBytes?: number;
    trustProxy?: boolean;
    storeOptions?: FileStoreOptions;
    serverTiming?: boolean;
  } = {},
): Promise<TestServer> {
  process.umask(0o077);
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'verbatim-test-')));
  const ownsDir = options.dataDir === undefined;
  let server: ServerType;
  let store: Store;
  let search: SearchService;
  let url = '';
  const open = async (port: number) => {
    store = await openFileStore(dataDir, options.storeOptions);
    search = new SearchService(store);
    const app = createApp(store, {
      search,
      maxUploadBytes: options.maxUploadBytes ?? 20 * 1024 * 1024,
      clientDir: options.withClient ? resolve('dist/client') : undefined,
      trustProxy: options.trustProxy,
      mediaRoot: join(dataDir, 'projects'),
      maxMediaBytes: options.maxMediaBytes,
      serverTiming: options.serverTiming,
    });
    await new Promise<void>((ready) => {
      server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => ready());
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const close = async () => {
    await new Promise<void>((done) => {
      server.close(() => done());
      if ('closeAllConnections' in server) (server as { closeAllConnections(): void }).closeAllConnections();
    });
    // As the server does at shutdown: the search index is written before the store closes.
    await search.flush();
    await store.close();
  };
  await open(0);
  const handle: TestServer = {
    get url() {
      return url;
    },
    dataDir,
    get store() {
      return store;
    },
    async restart(meanwhile?: () => Promise<unknown>) {
      const port = Number(new URL(url).port);
      await close();
      await meanwhile?.();
      await open(port);
    },
    async stop() {
      await close();
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

/** A tiny HTTP client that keeps its session cookie, like one browser tab. */
export class Client {
  /** The session cookie, as sent back in the `cookie` header. */
  cookie = '';
  constructor(private readonly base: () => string) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const init: RequestInit = { method, headers: { ...headers } };
    if (this.cookie) (init.headers as Record<string, string>).cookie = this.cookie;
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(this.base() + path, init);
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0] ?? '';
      this.cookie = pair.endsWith('=') ? '' : pair;
    }
    // A live feed never ends by itself: its status and headers are the answer.
    if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      await res.body?.cancel();
      return { status: res.status, body: undefined, headers: res.headers };
    }
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: json as any, headers: res.headers };
  }
  get = (path: string) => this.request('GET', path);
  post = (path: string, body?: unknown) => this.request('POST', path, body);
  patch = (path: string, body?: unknown) => this.request('PATCH', path, body);
  put = (path: string, body?: unknown) => this.request('PUT', path, body);
  delete = (path: string) => this.request('DELETE', path);
}
