import { Hono } from 'hono';
import { z } from 'zod';
import { assertRole } from '../../shared/access.ts';
import { codingsOfCode } from '../../shared/coding-index.ts';
import { DomainError } from '../../shared/errors.ts';
import { newId, type CodeId, type CodingId, type DocumentId } from '../../shared/ids.ts';
import type { Coding, ProjectState } from '../../shared/model.ts';
import { SearchFiltersQuery, SearchQuery, type SearchFiltersOutput } from '../../shared/queries.ts';
import { parseQuery } from '../../shared/search/query.ts';
import { requireUser } from '../auth/sessions.ts';
import { projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { reviewFilterOf } from '../http/review-filter.ts';
import { validate } from '../http/validate.ts';
import { autocodeSpans, findHits, type SearchFilters } from '../search/hits.ts';
import type { SearchService } from '../search/service.ts';
import type { Store } from '../storage/store.ts';

/** A search's words and filters, checked against the project. */
function readSearch(state: Readonly<ProjectState>, q: string, query: SearchFiltersOutput) {
  if (q.trim() === '')
    throw new DomainError('invalid_input', 'Saisissez un ou plusieurs mots à chercher (paramètre q).');
  if (query.codeId !== undefined && !state.codes[query.codeId])
    throw new DomainError('not_found', 'Code introuvable.');
  const filters: SearchFilters = {
    filter: reviewFilterOf(state, query),
    speaker: query.speaker || undefined,
    codeId: query.codeId,
    uncoded: query.uncoded,
  };
  return { query: parseQuery(q), options: { prefix: query.prefix, fuzzy: query.fuzzy }, filters };
}

const AutocodeInput = z.strictObject({
  q: z.string().min(1).max(1000),
  codeId: z.uuid(),
  unit: z.enum(['match', 'sentence', 'turn']),
  hitIds: z.array(z.string().max(100)).max(100_000).optional(),
  /** The same filters as the search, as query-string values. */
  filters: SearchFiltersQuery.optional(),
  /** Only count what would be created and skipped. */
  preview: z.boolean().optional(),
});

/**
 * French-aware full-text search over a project's transcripts, and auto-coding of what it finds.
 * `POST /search/prepare` loads or builds the index in the background (the search box got the
 * focus, the search page opened), so that the search typed meanwhile finds it ready.
 */
export function searchRoutes(store: Store, search: SearchService) {
  const run = async (
    state: Readonly<ProjectState>,
    q: string,
    query: SearchFiltersOutput,
    page?: { offset: number; limit: number },
  ) => {
    const parsed = readSearch(state, q, query);
    const index = await search.index(state.project.id, state);
    return findHits(store, state, index, parsed.query, parsed.options, parsed.filters, page);
  };
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/search', validate('query', SearchQuery), async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      const { q, offset, limit, ...filters } = c.req.valid('query');
      const found = await run(state, q, filters, { offset, limit });
      return c.json({ total: found.total, documents: found.documents, offset, hits: found.hits }, 200);
    })
    .post('/search/prepare', async (c) => {
      const { id, state } = await projectFor(c, store, 'viewer');
      search.prepare(id, state);
      return c.json({}, 202);
    })
    .post('/autocode', validate('json', AutocodeInput), async (c) => {
      const { id, state } = await projectFor(c, store, 'coder');
      const input = c.req.valid('json');
      const userId = c.get('user').id;
      if (!state.codes[input.codeId]) throw new DomainError('not_found', 'Code introuvable.');
      const filters = input.filters ?? SearchFiltersQuery.parse({});
      const { hits } = await run(state, input.q, filters);
      const ticked = input.hitIds ? new Set(input.hitIds) : undefined;
      const chosen = ticked ? hits.filter((h) => ticked.has(h.id)) : hits;
      const spans = await autocodeSpans(store, state, chosen, input.unit);
      const now = new Date().toISOString();
      const result = await store.changeProject(id, userId, (s) => {
        assertRole(s, userId, 'coder');
        if (!s.codes[input.codeId]) throw new DomainError('not_found', 'Code introuvable.');
        // The code's codings by document (read from the index, not from every coding).
        const existing = new Map<string, Coding[]>();
        for (const x of codingsOfCode(s, input.codeId as CodeId)) {
          const inDocument = existing.get(x.documentId);
          if (inDocument) inDocument.push(x);
          else existing.set(x.documentId, [x]);
        }
        const created: Coding[] = [];
        let skipped = 0;
        for (const span of spans) {
          if (!s.documents[span.documentId]) continue;
          // A passage already carries the code when a coding of that code covers all of it.
          if (existing.get(span.documentId)?.some((x) => x.start <= span.start && x.end >= span.end)) {
            skipped++;
            continue;
          }
          created.push({
            id: newId<CodingId>(),
            documentId: span.documentId as DocumentId,
            codeId: input.codeId as CodeId,
            start: span.start,
            end: span.end,
            text: span.text,
            coderId: userId,
            createdAt: now,
            memo: '',
          });
        }
        const events = input.preview
          ? []
          : created.map((coding) => ({ type: 'coding_created' as const, coding }));
        return {
          events,
          // The transaction these codings form: POST …/undo {txn} undoes exactly it.
          result: {
            created: created.length,
            skipped,
            hits: chosen.length,
            txn: events.length > 0 ? s.seq + 1 : null,
          },
        };
      });
      return c.json({ ...result, preview: input.preview ?? false }, input.preview ? 200 : 201);
    });
}
