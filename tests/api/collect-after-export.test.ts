/**
 * A large export, or the deletion of a large project, is followed by one full garbage collection
 * (server/collect-garbage.ts): a quote report of 3,000 quotes or more, a .qdpx or a deletion of a
 * project of 20,000 codings or more. Smaller ones leave V8 to its own pace.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CodeId, CodingId, DocumentId, ProjectId, UserId } from '../../shared/ids.ts';
import { newId } from '../../shared/ids.ts';
import { COLLECT_FROM_CODINGS, collectionsRun } from '../../server/collect-garbage.ts';
import { COLLECT_FROM_QUOTES } from '../../server/routes/exports.ts';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

const WORD = 'billetterie ';

/** A project whose one document holds `count` codings of one code, each on its own word. */
async function projectWithCodings(count: number) {
  const { pid, docId, base } = await projectWithDocument(world.admin, WORD.repeat(count));
  const code = await world.admin.post(`${base}/codes`, { name: 'Redondance de saisie' });
  const me = await world.admin.get('/api/auth/me');
  const coderId = me.body.user.id as UserId;
  await world.server.store.changeProject(pid as ProjectId, coderId, () => ({
    events: Array.from({ length: count }, (_, i) => ({
      type: 'coding_created' as const,
      coding: {
        id: newId<CodingId>(),
        documentId: docId as DocumentId,
        codeId: code.body.id as CodeId,
        start: i * WORD.length,
        end: i * WORD.length + WORD.length - 1,
        text: WORD.trim(),
        coderId,
        createdAt: '2026-11-28T10:00:00.000Z',
        memo: '',
      },
    })),
    result: undefined,
  }));
  return base;
}

/** The collections run by the request, and by what it scheduled for the turn after. */
async function collectionsDuring(request: () => Promise<{ status: number }>, status = 200): Promise<number> {
  const before = collectionsRun();
  expect((await request()).status).toBe(status);
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  return collectionsRun() - before;
}

describe('a full collection after a large export', () => {
  it('follows a quote report of 3,000 quotes or more, once, and not a smaller one', async () => {
    const base = await projectWithCodings(COLLECT_FROM_QUOTES);
    const report = (max: number) => () => world.admin.get(`${base}/exports/report.docx?maxPerCode=${max}`);
    expect(await collectionsDuring(report(COLLECT_FROM_QUOTES - 1))).toBe(0);
    expect(await collectionsDuring(report(0))).toBe(1);
  });

  it('follows the .qdpx of a project of 20,000 codings or more, once, and not of a smaller one', async () => {
    const small = await projectWithCodings(10);
    expect(await collectionsDuring(() => world.admin.get(`${small}/exports/project.qdpx`))).toBe(0);
    const large = await projectWithCodings(COLLECT_FROM_CODINGS);
    expect(await collectionsDuring(() => world.admin.get(`${large}/exports/project.qdpx`))).toBe(1);
  }, 60_000);

  it('follows the deletion of a project of 20,000 codings or more, once, and not of a smaller one', async () => {
    const small = await projectWithCodings(10);
    expect(await collectionsDuring(() => world.admin.delete(small), 204)).toBe(0);
    const large = await projectWithCodings(COLLECT_FROM_CODINGS);
    expect(await collectionsDuring(() => world.admin.delete(large), 204)).toBe(1);
    expect((await world.admin.get(large)).status).toBe(404);
  }, 60_000);
});
