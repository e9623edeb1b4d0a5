import { Hono } from 'hono';
import type { DocumentId } from '../../shared/ids.ts';
import { RetrieveQuery } from '../../shared/queries.ts';
import type { Span } from '../../shared/spans.ts';
import { codingsInScope, documentsInScope } from '../../shared/stats/filters.ts';
import { describePassages, findPassages } from '../../shared/stats/retrieve.ts';
import { requireUser } from '../auth/sessions.ts';
import { projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { projectCodes, reviewFilterOf } from '../http/review-filter.ts';
import { validate } from '../http/validate.ts';
import { unitsByDocument } from '../services/turn-units.ts';
import type { Store } from '../storage/store.ts';

/** Retrieval: the passages of a code or of a combination of codes, with quote and context. */
export function retrieveRoutes(store: Store) {
  const paragraphCache = new Map<string, Span[]>();
  return new Hono<Env>().use(requireUser(store)).get('/', validate('query', RetrieveQuery), async (c) => {
    const { id, state } = await projectFor(c, store, 'viewer');
    const { op, unit, context, offset, limit, ...query } = c.req.valid('query');
    const filter = reviewFilterOf(state, query);
    const codeIds = projectCodes(state, query.codes);
    const documents = documentsInScope(state, filter);
    const units = unit === 'turn' ? await unitsByDocument(store, id, documents, paragraphCache) : undefined;
    const spans = findPassages(codeIds, op, documents, codingsInScope(state, filter, documents), units);
    const page = spans.slice(offset, offset + limit);
    const texts = new Map<string, string>();
    for (const documentId of new Set(page.map((p) => p.documentId))) {
      texts.set(documentId, await store.readText(id, documentId as DocumentId));
    }
    const passages = describePassages(
      page,
      new Map(documents.map((d) => [d.id, d])),
      state.participants,
      texts,
      context,
    );
    return c.json({ op, unit, codeIds, total: spans.length, offset, limit, passages }, 200);
  });
}
