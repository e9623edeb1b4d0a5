/**
 * A full disk (simulated: the file system calls fail with ENOSPC): writes answer 503 and change
 * nothing, reads go on, nothing already stored is damaged, and service resumes when space returns.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { projectWithDocument, startWorld, type World } from '../api/setup.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await world.server.stop();
});

function enospc(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

/** Make every write and sync of Node's file handles fail until the returned function is called. */
async function fillTheDisk(): Promise<() => void> {
  const probe = await open(join(world.server.dataDir, 'verbatim.json'), 'r');
  await probe.close();
  const proto = Object.getPrototypeOf(probe) as FileHandle;
  const spies = [
    vi.spyOn(proto, 'write').mockRejectedValue(enospc()),
    vi.spyOn(proto, 'writeFile').mockRejectedValue(enospc()),
    vi.spyOn(proto, 'datasync').mockRejectedValue(enospc()),
    vi.spyOn(proto, 'sync').mockRejectedValue(enospc()),
  ];
  return () => spies.forEach((s) => s.mockRestore());
}

describe('a full disk', () => {
  it('answers 503 to writes, keeps serving reads, damages nothing, and resumes when space returns', async () => {
    const { base, docId } = await projectWithDocument(world.admin, 'Camille : on ressaisit tout, deux fois.');
    const code = (await world.admin.post(`${base}/codes`, { name: 'Ressaisie' })).body.id;
    const kept = await world.admin.post(`${base}/codings`, {
      documentId: docId,
      codeId: code,
      start: 0,
      end: 7,
    });
    const before = {
      codings: (await world.admin.get(`${base}/codings`)).body,
      codes: (await world.admin.get(`${base}/codes`)).body,
      documents: (await world.admin.get(`${base}/documents`)).body,
    };

    const spaceReturns = await fillTheDisk();
    const refused = await world.admin.post(`${base}/codings`, {
      documentId: docId,
      codeId: code,
      start: 10,
      end: 20,
    });
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('storage_unavailable');
    const refusedDoc = await world.admin.post(`${base}/documents`, {
      name: 'b.txt',
      text: 'Un autre entretien.',
    });
    expect(refusedDoc.status).toBe(503);
    expect((await world.admin.post(`${base}/codes`, { name: 'Coûts' })).status).toBe(503);
    // Reads go on, and show exactly what was there.
    expect({
      codings: (await world.admin.get(`${base}/codings`)).body,
      codes: (await world.admin.get(`${base}/codes`)).body,
      documents: (await world.admin.get(`${base}/documents`)).body,
    }).toEqual(before);

    spaceReturns();
    const resumed = await world.admin.post(`${base}/codings`, {
      documentId: docId,
      codeId: code,
      start: 10,
      end: 20,
    });
    expect(resumed.status).toBe(201);

    await world.server.restart();
    const after = (await world.admin.get(`${base}/codings`)).body.codings
      .map((c: { id: string }) => c.id)
      .sort();
    expect(after).toEqual([kept.body.id, resumed.body.id].sort());
    expect((await world.admin.get(`${base}/codes`)).body.codes.map((c: { name: string }) => c.name)).toEqual([
      'Ressaisie',
    ]);
    expect((await world.admin.get(`${base}/documents`)).body.documents).toHaveLength(1);
  });
});
