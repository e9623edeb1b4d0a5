/**
 * VERBATIM_SERVER_TIMING: each answer says where its time went in the server (`Server-Timing`):
 * waiting for the change to be durable (`durable`), the rest (`app`), and both (`total`). Off by
 * default.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { open, type FileHandle } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../../server/config.ts';
import { parseServerTiming } from '../../server/http/server-timing.ts';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await world?.server.stop();
  world = undefined;
});

/** The header's metrics, by name, in milliseconds. */
function timings(header: string | null): Record<string, number> {
  expect(header).not.toBeNull();
  return parseServerTiming(header ?? '');
}

describe('Server-Timing', () => {
  it('is parsed back by name, with or without descriptions and spaces', () => {
    expect(parseServerTiming('app;dur=0.512, durable;dur=0.710, total;dur=1.222')).toEqual({
      app: 0.512,
      durable: 0.71,
      total: 1.222,
    });
    expect(parseServerTiming('db; desc="base" ; dur=3,cache;dur=0.1')).toEqual({ db: 3, cache: 0.1 });
    expect(parseServerTiming('miss').miss).toBeNaN();
  });

  it('is read from VERBATIM_SERVER_TIMING, off by default', () => {
    expect(readConfig({}).serverTiming).toBe(false);
    expect(readConfig({ VERBATIM_SERVER_TIMING: '1' }).serverTiming).toBe(true);
  });

  it('counts the wait for the journal in « durable » on a change, and none on a read', async () => {
    world = await startWorld({ serverTiming: true });
    const { base } = await projectWithDocument(world.admin, 'Camille : on ressaisit tout, deux fois.');
    // A journal whose fsync takes 40 ms at least: the change's « durable » must show that wait.
    const handle = await open(fileURLToPath(import.meta.url), 'r');
    const proto = Object.getPrototypeOf(handle) as FileHandle;
    await handle.close();
    const datasync = proto.datasync;
    vi.spyOn(proto, 'datasync').mockImplementation(async function (this: FileHandle) {
      await new Promise((r) => setTimeout(r, 40));
      return datasync.call(this);
    });
    const created = await world.admin.post(`${base}/codes`, { name: 'Redondance de saisie' });
    expect(created.status).toBe(201);
    const write = timings(created.headers.get('server-timing'));
    expect(write.durable).toBeGreaterThanOrEqual(39);
    expect(write.app).toBeGreaterThanOrEqual(0);
    expect(write.total).toBeCloseTo(write.app! + write.durable!, 2);

    const read = await world.admin.get(`${base}/settings`);
    expect(read.status).toBe(200);
    const answer = timings(read.headers.get('server-timing'));
    expect(answer.durable).toBe(0);
    expect(answer.total).toBeGreaterThan(0);
    expect(answer.total).toBe(answer.app);
  });

  it('is not sent when it is off', async () => {
    world = await startWorld();
    const { base } = await projectWithDocument(world.admin, 'Camille : on ressaisit tout.');
    const created = await world.admin.post(`${base}/codes`, { name: 'Coûts' });
    expect(created.status).toBe(201);
    expect(created.headers.get('server-timing')).toBeNull();
  });
});
