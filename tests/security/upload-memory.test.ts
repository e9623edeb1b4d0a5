/**
 * Memory under hostile uploads, measured on a real server process: the peak resident size
 * (VmHWM of /proc/<pid>/status, reset before each attack) stays within a few times the upload
 * limit, whatever the size of the attack, and other requests keep being answered meanwhile.
 * The figures are printed for the record (docs/deployment.md quotes them).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfBomb } from '../helpers/hostile-pdfs.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };
const MB = 1024 * 1024;
let server: ServerProcess;
let url = '';
let cookie = '';
let dataDir = '';
let base = '';

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'verbatim-memory-'));
  server = await startServerProcess({
    VERBATIM_DATA: dataDir,
    VERBATIM_ADMIN_USER: ADMIN.username,
    VERBATIM_ADMIN_PASSWORD: ADMIN.password,
    VERBATIM_MAX_UPLOAD_MB: '20',
    VERBATIM_BACKUP_HOURS: '0',
  });
  url = await server.url;
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const project = await post('/api/projects', JSON.stringify({ name: 'Mémoire' }), 'application/json');
  base = `/api/projects/${((await project.json()) as { id: string }).id}`;
}, 60_000);
afterAll(async () => {
  await server.kill();
  await rm(dataDir, { recursive: true, force: true });
});

function post(path: string, body: BodyInit, type?: string): Promise<Response> {
  return fetch(url + path, {
    method: 'POST',
    headers: { cookie, ...(type ? { 'content-type': type } : {}) },
    body,
  });
}

function form(bytes: Uint8Array, name: string): FormData {
  const data = new FormData();
  data.append('file', new Blob([new Uint8Array(bytes)]), name);
  return data;
}

/** Resident memory of the server, in Mo: now, and its peak since the last reset. */
function memory(): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

/** Run `attack` from a reset peak, timing a light request every 50 ms meanwhile. */
async function measure(name: string, attack: () => Promise<number[]>) {
  writeFileSync(`/proc/${server.child.pid}/clear_refs`, '5'); // resets VmHWM to the current RSS
  const before = memory().rss;
  let slowest = 0;
  let answered = 0;
  let running = true;
  const probe = (async () => {
    while (running) {
      const start = performance.now();
      // A connection the server closed after refusing an upload may be reused once: try again.
      await fetch(`${url}/api/auth/me`, { headers: { cookie } }).catch(() =>
        fetch(`${url}/api/auth/me`, { headers: { cookie } }),
      );
      slowest = Math.max(slowest, performance.now() - start);
      if (running) answered++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const started = performance.now();
  const statuses = await attack();
  const attackMs = Math.round(performance.now() - started);
  running = false;
  await probe;
  const after = memory();
  const figures = {
    before,
    peak: after.peak,
    after: after.rss,
    attackMs,
    answeredMeanwhile: answered,
    slowestOtherRequestMs: Math.round(slowest),
  };
  console.info(`${name}: ${JSON.stringify({ statuses, ...figures })}`);
  return { statuses, ...figures };
}

describe('memory under hostile uploads (limit 20 Mo per file)', () => {
  it('a 199 Mo .txt sent to /documents: 413 without buffering it', { timeout: 120_000 }, async () => {
    const big = new Uint8Array(199 * MB).fill(0x61);
    const result = await measure('199 Mo .txt', async () => {
      const res = await post(`${base}/documents`, form(big, 'gros.txt'));
      return [res.status];
    });
    expect(result.statuses).toEqual([413]);
    expect(result.peak - result.before).toBeLessThan(150);
  });

  /** `count` project imports of `megabytes` each, sent at once by one account. */
  const imports = (count: number, megabytes: number) => {
    const big = new Uint8Array(megabytes * MB).fill(0x61);
    return Promise.all(
      Array.from({ length: count }, () =>
        // A refused upload is answered at once; the server then closes the connection, which
        // fetch, still sending, may see first (status 0 here).
        post('/api/projects/import', form(big, 'projet.qdpx')).then(
          (res) => res.status,
          () => 0,
        ),
      ),
    );
  };

  it(
    '8 parallel 190 Mo project imports: each refused from its Content-Length alone',
    { timeout: 180_000 },
    async () => {
      const result = await measure('8 × 190 Mo .qdpx', () => imports(8, 190));
      // 413 is answered before any byte of the body is read; fetch, still sending, mostly sees the
      // connection closed first (0). Either way nothing was read: the peak barely moves.
      expect(result.statuses.every((s) => s === 413 || s === 0)).toBe(true);
      expect(result.peak - result.before).toBeLessThan(150);
    },
  );

  it(
    '8 parallel 95 Mo project imports by one account: two read, six refused at once',
    { timeout: 180_000 },
    async () => {
      const result = await measure('8 × 95 Mo .qdpx', () => imports(8, 95));
      expect(result.statuses.filter((s) => s === 429 || s === 0)).toHaveLength(6);
      expect(result.statuses.filter((s) => s === 422)).toHaveLength(2);
      // Each upload read is held once, plus the socket buffers it came in, until they are collected.
      expect(result.peak - result.before).toBeLessThan(2 * 2 * 95 + 100);
    },
  );

  it(
    'a 1.5 Mo PDF inflating to 1.5 Go: 422, and others are answered meanwhile',
    { timeout: 180_000 },
    async () => {
      const bomb = await pdfBomb('Camille : on ressaisit tout', 1500);
      expect(bomb.length).toBeLessThan(2 * MB);
      const result = await measure('PDF bomb 1.5 Go', async () => {
        const res = await post(`${base}/documents`, form(bomb, 'bombe.pdf'));
        return [res.status];
      });
      expect(result.statuses).toEqual([422]);
      expect(result.peak - result.before).toBeLessThan(150);
      // Answered while the bomb is read (in the import thread): several light requests, none held
      // for most of the attack, as a server blocked by the parse would hold one. Measured against
      // the attack rather than a fixed second, which the machine's own load (the other test files
      // running beside) reached once without any fault here: 1,069 ms.
      expect(result.answeredMeanwhile).toBeGreaterThanOrEqual(3);
      expect(result.slowestOtherRequestMs).toBeLessThan(result.attackMs * 0.75);
    },
  );

  it('a 30 Mo text sent as JSON: 413 at the 2 Mo JSON limit', { timeout: 60_000 }, async () => {
    const text = `Camille : ${'a'.repeat(30 * MB)}`;
    const result = await measure('30 Mo JSON', async () => {
      const res = await post(
        `${base}/documents`,
        JSON.stringify({ name: 'long.txt', text }),
        'application/json',
      );
      return [res.status];
    });
    expect(result.statuses).toEqual([413]);
    expect(result.peak - result.before).toBeLessThan(100);
  });
});
