import { Hono } from 'hono';
import { assertRole } from '../../shared/access.ts';
import { newId } from '../../shared/ids.ts';
import { addJournalEntry, deleteJournalEntry, updateJournalEntry } from '../../shared/journal.ts';
import { journalEntries } from '../../shared/memos.ts';
import { JournalEntryPatch, NewJournalEntry } from '../../shared/schemas.ts';
import { requireUser } from '../auth/sessions.ts';
import { projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { Store } from '../storage/store.ts';

/**
 * The project's journal: dated free-standing memos. Any member reads it; coders and leads write
 * in it; an entry is changed or removed by its author or a lead. Every change is an undoable event.
 */
export function journalRoutes(store: Store) {
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/', async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      return c.json({ entries: journalEntries(state) }, 200);
    })
    .post('/', validate('json', NewJournalEntry), async (c) => {
      const { id } = await projectFor(c, store, 'coder');
      const input = c.req.valid('json');
      const userId = c.get('user').id;
      const entry = await store.changeProject(id, userId, (s) => {
        assertRole(s, userId, 'coder');
        const event = addJournalEntry({ ...input, id: newId<string>() }, userId, new Date().toISOString());
        return { events: [event], result: event.entry };
      });
      return c.json(entry, 201);
    })
    .patch('/:entryId', validate('json', JournalEntryPatch), async (c) => {
      const { id } = await projectFor(c, store, 'coder');
      const entryId = c.req.param('entryId');
      const input = c.req.valid('json');
      const userId = c.get('user').id;
      const entry = await store.changeProject(id, userId, (s) => {
        const role = assertRole(s, userId, 'coder');
        const { events, entry } = updateJournalEntry(
          s,
          entryId,
          input,
          userId,
          role,
          new Date().toISOString(),
        );
        return { events, result: entry };
      });
      return c.json(entry, 200);
    })
    .delete('/:entryId', async (c) => {
      const { id } = await projectFor(c, store, 'coder');
      const entryId = c.req.param('entryId');
      const userId = c.get('user').id;
      await store.changeProject(id, userId, (s) => {
        const role = assertRole(s, userId, 'coder');
        return { events: deleteJournalEntry(s, entryId, userId, role), result: null };
      });
      return c.body(null, 204);
    });
}
