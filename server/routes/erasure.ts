import { Hono } from 'hono';
import { assertRole } from '../../shared/access.ts';
import { checkErasureRequest } from '../../shared/erasure.ts';
import type { DocumentId, ParticipantId } from '../../shared/ids.ts';
import { ErasureInput } from '../../shared/schemas.ts';
import { requireUser } from '../auth/sessions.ts';
import { idParam, projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import type { Store } from '../storage/store.ts';

/**
 * Withdrawal of consent: a participant, or one document, and everything about them erased from
 * every copy the server manages (server/privacy/personal-data.ts). Leads only; `confirm` must be
 * the exact name. It cannot be undone: the log keeps tombstones and a receipt with counts.
 */
export function erasureRoutes(store: Store) {
  return new Hono<Env>()
    .use(requireUser(store))
    .post('/participants/:participantId/erase', validate('json', ErasureInput), async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const participantId = idParam<ParticipantId>(c, 'participantId', 'Participant');
      const { confirm } = c.req.valid('json');
      const userId = c.get('user').id;
      const scope = { kind: 'participant', participantId } as const;
      const { receipt, backups } = await store.erase(id, userId, scope, (s) => {
        assertRole(s, userId, 'lead');
        checkErasureRequest(s, scope, confirm);
      });
      return c.json({ erasure: receipt, backups }, 200);
    })
    .post('/documents/:documentId/erase', validate('json', ErasureInput), async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const documentId = idParam<DocumentId>(c, 'documentId', 'Document');
      const { confirm } = c.req.valid('json');
      const userId = c.get('user').id;
      const scope = { kind: 'document', documentId } as const;
      const { receipt, backups } = await store.erase(id, userId, scope, (s) => {
        assertRole(s, userId, 'lead');
        checkErasureRequest(s, scope, confirm);
      });
      return c.json({ erasure: receipt, backups }, 200);
    });
}
