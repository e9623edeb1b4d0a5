import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { assertRole } from '../../shared/access.ts';
import { DomainError } from '../../shared/errors.ts';
import { isRedacted, type ProjectEvent } from '../../shared/events.ts';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import type { ProjectState, Role } from '../../shared/model.ts';
import { invertTransaction } from '../../shared/undo.ts';
import { requireUser } from '../auth/sessions.ts';
import { projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import type { Store } from '../storage/store.ts';

const UndoInput = z.strictObject({ txn: z.number().int().min(1).optional() });

const CODER_CHANGES = new Set([
  'coding_created',
  'coding_updated',
  'coding_deleted',
  'code_created',
  'journal_entry_added',
  'journal_entry_updated',
  'journal_entry_deleted',
]);

/** Undoing needs the role the change itself needed. */
function roleToReverse(events: readonly ProjectEvent[]): Role {
  return events.every((e) => CODER_CHANGES.has(e.type)) ? 'coder' : 'lead';
}

/**
 * The events of one transaction, read from the log.
 * @throws DomainError `conflict` when an erasure took data the undo would need.
 */
async function transaction(store: Store, id: ProjectId, txn: number): Promise<ProjectEvent[]> {
  const out: ProjectEvent[] = [];
  for (let after = txn - 1; ;) {
    const page = await store.readEvents(id, after, 1000);
    const mine = page.filter((e) => e.txn === txn);
    for (const e of mine) {
      if (isRedacted(e)) {
        throw new DomainError(
          'conflict',
          'Cette modification portait sur des données effacées définitivement depuis : elle ne peut plus être annulée ni rétablie.',
          { txn },
        );
      }
      out.push(e);
    }
    if (page.length < 1000 || mine.length < page.length) return out;
    after = (page[page.length - 1] as ProjectEvent).seq;
  }
}

/** The transaction that undid `txn` most recently: redoing means reversing it. */
async function undoingTransaction(store: Store, id: ProjectId, txn: number): Promise<number> {
  let found: number | undefined;
  for (let after = txn; ;) {
    const page = await store.readEvents(id, after, 1000);
    for (const e of page) if (e.undoOf === txn && e.txn === e.seq) found = e.txn;
    if (page.length < 1000) break;
    after = (page[page.length - 1] as ProjectEvent).seq;
  }
  if (found === undefined) throw new DomainError('conflict', 'Rien à rétablir.');
  return found;
}

/** The caller's next undo and redo, and how deep the undo stack is. */
export function historySummary(state: Readonly<ProjectState>, userId: string) {
  const stacks = state.history[userId] ?? { undo: [], redo: [] };
  return {
    undo: stacks.undo.at(-1) ?? null,
    redo: stacks.redo.at(-1) ?? null,
    undoDepth: stacks.undo.length,
  };
}

/**
 * Undo and redo of one's own changes, on the project's event log: an undo appends the events that
 * reverse the change (history is never rewritten), so it survives a reload and reaches others live.
 */
export function historyRoutes(store: Store) {
  const reverse = async (c: Context<Env>, kind: 'undo' | 'redo') => {
    const { id, state } = await projectFor(c, store, 'coder');
    const userId = c.get('user').id as UserId;
    const target = historySummary(state, userId)[kind];
    if (target === null)
      throw new DomainError('conflict', kind === 'undo' ? 'Rien à annuler.' : 'Rien à rétablir.');
    // A caller may name the transaction it means to reverse: refused if it is not the next one.
    const body: unknown = (c.req.header('content-type') ?? '').includes('application/json')
      ? await c.req.json().catch(() => {
          throw new DomainError('invalid_input', 'JSON invalide.');
        })
      : {};
    const expected = UndoInput.safeParse(body ?? {});
    if (!expected.success)
      throw new DomainError('invalid_input', 'Attendu : {"txn": <numéro de transaction>} ou rien.');
    if (expected.data.txn !== undefined && expected.data.txn !== target) {
      throw new DomainError('conflict', "Ce n'est plus votre dernière modification : rien n'a été annulé.", {
        next: target,
      });
    }
    const source = kind === 'undo' ? target : await undoingTransaction(store, id, target);
    const events = await transaction(store, id, source);
    const result = await store.changeProject(id, userId, (s) => {
      assertRole(s, userId, roleToReverse(events));
      if (historySummary(s, userId)[kind] !== target)
        throw new DomainError('conflict', 'Votre historique a changé entre-temps : réessayez.');
      const mark = kind === 'undo' ? { undoOf: target } : { redoOf: target };
      const reversed = invertTransaction(s, events, userId, mark);
      return {
        events: reversed,
        result: { [kind === 'undo' ? 'undone' : 'redone']: target, events: reversed.length },
      };
    });
    const after = await store.readProject(id);
    // The change undone or redone, as it was made: the interface names it (« Annulé : … »).
    const change = kind === 'undo' ? events : await transaction(store, id, target);
    return c.json({ ...result, change, history: after ? historySummary(after, userId) : null }, 200);
  };
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/history', async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      return c.json(historySummary(state, c.get('user').id), 200);
    })
    .post('/undo', (c) => reverse(c, 'undo'))
    .post('/redo', (c) => reverse(c, 'redo'));
}
