// @vitest-environment node
/**
 * Group commit on PostgreSQL: the changes to a project that arrive together share one transaction.
 * A change whose events PostgreSQL cannot store (a NUL, a lone surrogate) must fail alone: the
 * other changes of its batch are committed and acknowledged.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ProjectEventBody } from '../../../shared/events.ts';
import type { ProjectId, UserId } from '../../../shared/ids.ts';
import type { Code } from '../../../shared/model.ts';
import { newCode } from '../../helpers/code.ts';
import { Client } from '../../helpers/server.ts';
import { postgresAvailable, startPgCluster, startPgServer, type PgCluster } from '../../helpers/postgres.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  afterAll(async () => {
    await (await cluster)?.stop();
  });

  /** Ten changes queued in the same tick (one batch), the fourth made by `bad`; their outcomes. */
  async function batchWithOneBadChange(bad: (code: Code) => ProjectEventBody) {
    cluster ??= startPgCluster();
    const server = await startPgServer(await (await cluster).createDatabase());
    try {
      const admin = new Client(() => server.url);
      await admin.post('/api/auth/setup', ADMIN);
      const pid = (await admin.post('/api/projects', { name: 'Lot' })).body.id as ProjectId;
      const lead = (await admin.get('/api/auth/me')).body.user.id as UserId;
      const before = (await server.store.readProject(pid))?.seq ?? 0;
      const code = (i: number): Code => newCode(`Thème ${i}`, lead);
      const decided: number[] = [];
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          server.store
            .changeProject(pid, lead, (state) => {
              decided.push(state.seq);
              const events = [i === 3 ? bad(code(i)) : { type: 'code_created' as const, code: code(i) }];
              return { events, result: 'committed' };
            })
            .catch((error: { code?: string }) => error.code ?? 'refused'),
        ),
      );
      const state = await server.store.readProject(pid);
      const names = Object.values(state?.codes ?? {})
        .map((c) => c.name)
        .sort();
      return { before, decided, outcomes, names, seq: state?.seq };
    } finally {
      await server.stop();
    }
  }

  describe('PostgreSQL group commit with one bad change', () => {
    it('refuses a change holding a NUL with invalid_input, and commits the nine others', async () => {
      const result = await batchWithOneBadChange((code) => ({
        type: 'code_created',
        code: { ...code, description: 'avant\u0000après' },
      }));
      // One batch: each decision saw the ones before it, the refused one adding nothing.
      expect(result.decided).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 7, 8].map((n) => result.before + n));
      expect(result.outcomes).toEqual([
        ...Array(3).fill('committed'),
        'invalid_input',
        ...Array(6).fill('committed'),
      ]);
      expect(result.names).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9].map((i) => `Thème ${i}`));
      expect(result.seq).toBe(result.before + 9);
    });

    it('refuses a lone surrogate alone too', async () => {
      const result = await batchWithOneBadChange((code) => ({
        type: 'code_created',
        code: { ...code, name: 'Thème \udc00' },
      }));
      expect(result.outcomes.filter((o) => o === 'committed')).toHaveLength(9);
      expect(result.outcomes[3]).toBe('invalid_input');
    });

    it('when the database still refuses the batch, commits the changes one by one and fails only the bad one', async () => {
      // A value that only becomes a NUL when serialised: found by the database, not beforehand.
      const result = await batchWithOneBadChange((code) => ({
        type: 'code_created',
        code: { ...code, description: { toJSON: () => '\u0000' } as unknown as string },
      }));
      expect(result.outcomes.filter((o) => o === 'committed')).toHaveLength(9);
      expect(result.outcomes[3]).not.toBe('committed');
      expect(result.names).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9].map((i) => `Thème ${i}`));
      expect(result.seq).toBe(result.before + 9);
    });
  });
}
