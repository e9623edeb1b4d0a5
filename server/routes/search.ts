import { Hono } from 'hono';
import { z } from 'zod';
import { nameRecord } from '../../shared/attributes.ts';
import { assertRole } from '../../shared/access.ts';
import { DomainError } from '../../shared/errors.ts';
import { newId, type CodeId, type CodingId, type DocumentId } from '../../shared/ids.ts';
import type { Coding, ProjectState } from '../../shared/model.ts';
import { valuesByName } from '../../shared/schemas.ts';
import { parseQuery } from '../../shared/search/query.ts';
import { parseReviewQuery } from '../../shared/stats/filters.ts';
import { requireUser } from '../auth/sessions.ts';
import { projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import { autocodeSpans, findHits, type SearchFilters } from '../search/hits.ts';
import type { SearchService } from '../search/service.ts';
import type { Store } from '../storage/store.ts';

const SEARCH_PARAMS = ['q', 'speaker', 'codeId', 'uncoded', 'prefix', 'fuzzy', 'offset', 'limit'];

const bool = (value: string | undefined, fallback: boolean) =>
  value === undefined ? fallback : value === 'true' || value === '1';

/** Read the search parameters (and attribute filters) of a query string or an auto-code body. */
function readSearch(state: Readonly<ProjectState>, query: Record<string, string[]>) {
  const { filter, params } = parseReviewQuery(state, query, SEARCH_PARAMS, { coderFilter: false });
  const one = (name: string) => params.get(name)?.[0];
  const q = one('q') ?? '';
  if (q.trim() === '')
    throw new DomainError('invalid_input', 'Saisissez un ou plusieurs mots à chercher (paramètre q).');
  const codeId = one('codeId');
  if (codeId !== undefined && !state.codes[codeId]) throw new DomainError('not_found', 'Code introuvable.');
  const filters: SearchFilters = {
    filter,
    speaker: one('speaker') || undefined,
    codeId,
    uncoded: bool(one('uncoded'), false),
  };
  return {
    query: parseQuery(q),
    options: { prefix: bool(one('prefix'), true), fuzzy: bool(one('fuzzy'), false) },
    filters,
    offset: Math.max(0, Number(one('offset') ?? 0) || 0),
    limit: Math.min(1000, Math.max(1, Number(one('limit') ?? 100) || 100)),
  };
}

const AutocodeInput = z.strictObject({
  q: z.string().min(1).max(1000),
  codeId: z.uuid(),
  unit: z.enum(['match', 'sentence', 'turn']),
  hitIds: z.array(z.string().max(100)).max(100_000).optional(),
  /** The same filters as the search, as query-string values. */
  filters: valuesByName(z.union([z.string().max(500), z.array(z.string().max(500)).max(1000)])).optional(),
  /** Only count what would be created and skipped. */
  preview: z.boolean().optional(),
});

/**
 * French-aware full-text search over a project's transcripts, and auto-coding of what it finds.
 */
export function searchRoutes(store: Store, search: SearchService) {
  const run = async (state: Readonly<ProjectState>, query: Record<string, string[]>, paged: boolean) => {
    const parsed = readSearch(state, query);
    const index = await search.index(state.project.id, state);
    const found = await findHits(
      store,
      state,
      index,
      parsed.query,
      parsed.options,
      parsed.filters,
      paged ? { offset: parsed.offset, limit: parsed.limit } : undefined,
    );
    return { found, parsed };
  };
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/search', async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      const { found, parsed } = await run(state, c.req.queries(), true);
      return c.json(
        {
          total: found.total,
          documents: found.documents,
          offset: parsed.offset,
          hits: found.hits,
        },
        200,
      );
    })
    .post('/autocode', validate('json', AutocodeInput), async (c) => {
      const { id, state } = await projectFor(c, store, 'coder');
      const input = c.req.valid('json');
      const userId = c.get('user').id;
      if (!state.codes[input.codeId]) throw new DomainError('not_found', 'Code introuvable.');
      // Keyed by attribute names: a filter on an attribute named `__proto__` is kept, not dropped.
      const query = nameRecord<string[]>([['q', [input.q]]]);
      for (const [key, value] of Object.entries(input.filters ?? {}))
        query[key] = Array.isArray(value) ? value : [value];
      const { hits } = (await run(state, query, false)).found;
      const chosen = input.hitIds ? hits.filter((h) => new Set(input.hitIds).has(h.id)) : hits;
      const spans = await autocodeSpans(store, state, chosen, input.unit);
      const now = new Date().toISOString();
      const result = await store.changeProject(id, userId, (s) => {
        assertRole(s, userId, 'coder');
        if (!s.codes[input.codeId]) throw new DomainError('not_found', 'Code introuvable.');
        const existing = Object.values(s.codings).filter((x) => x.codeId === input.codeId);
        const created: Coding[] = [];
        let skipped = 0;
        for (const span of spans) {
          if (!s.documents[span.documentId]) continue;
          // A passage already carries the code when a coding of that code covers all of it.
          if (
            existing.some(
              (x) => x.documentId === span.documentId && x.start <= span.start && x.end >= span.end,
            )
          ) {
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
