import { Hono } from 'hono';
import type { CodeId, DocumentId } from '../../shared/ids.ts';
import type { DocumentMeta, ProjectState } from '../../shared/model.ts';
import { AgreementQuery, CodersQuery, CooccurrenceQuery, FrequenciesQuery } from '../../shared/queries.ts';
import type { Span } from '../../shared/spans.ts';
import { compareCoders } from '../../shared/stats/agreement.ts';
import { coderPairs } from '../../shared/stats/coder-pairs.ts';
import { countCooccurrence } from '../../shared/stats/cooccurrence.ts';
import { codingsInScope, documentsInScope, type ReviewFilter } from '../../shared/stats/filters.ts';
import { codesInTreeOrder, countByCoder, countFrequencies } from '../../shared/stats/frequencies.ts';
import { requireUser } from '../auth/sessions.ts';
import { projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { projectAttribute, projectCoders, reviewFilterOf } from '../http/review-filter.ts';
import { validate } from '../http/validate.ts';
import { unitsByDocument } from '../services/turn-units.ts';
import { wordCounts } from '../services/word-counts.ts';
import type { Store } from '../storage/store.ts';

/** Review statistics: theme frequencies, per-coder table, co-occurrence and inter-coder agreement. */
export function statsRoutes(store: Store) {
  const paragraphCache = new Map<string, Span[]>();
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/frequencies', validate('query', FrequenciesQuery), async (c) => {
      const { id, state } = await projectFor(c, store, 'viewer');
      const query = c.req.valid('query');
      const filter = reviewFilterOf(state, query);
      const attribute =
        query.attribute === undefined ? undefined : projectAttribute(state, 'attribute', query.attribute);
      const documents = documentsInScope(state, filter);
      const table = countFrequencies(state, documents, codingsInScope(state, filter, documents), attribute);
      let words = 0;
      for (const count of (await wordCounts(store, id, documents)).values()) words += count;
      return c.json({ ...table, totals: { ...table.totals, words } }, 200);
    })
    .get('/coders', validate('query', CodersQuery), async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      const filter = reviewFilterOf(state, c.req.valid('query'));
      const users = (await store.readInstance()).users;
      const documents = documentsInScope(state, filter);
      const codings = codingsInScope(state, filter, documents);
      const rows = countByCoder(documents, codings, filter.coderIds ?? []).map((row) => ({
        ...row,
        username: users[row.coderId]?.username ?? null,
        displayName: users[row.coderId]?.displayName ?? null,
        role: state.members[row.coderId] ?? null,
      }));
      // The pairs agreement can compare, the one sharing the most coded documents first.
      return c.json({ rows, pairs: coderPairs(codings) }, 200);
    })
    .get('/cooccurrence', validate('query', CooccurrenceQuery), async (c) => {
      const { id, state } = await projectFor(c, store, 'viewer');
      const query = c.req.valid('query');
      const filter = reviewFilterOf(state, query);
      const unit = query.unit;
      const documents = documentsInScope(state, filter);
      const codes = codesInTreeOrder(state.codes);
      const units = unit === 'turn' ? await unitsByDocument(store, id, documents, paragraphCache) : new Map();
      const result = countCooccurrence(
        codes.map((x) => x.code.id),
        codingsInScope(state, filter, documents),
        unit,
        units,
      );
      return c.json({ ...result, codes: codeList(codes) }, 200);
    })
    .get('/agreement', validate('query', AgreementQuery), async (c) => {
      const { id, state } = await projectFor(c, store, 'viewer');
      const query = c.req.valid('query');
      const filter = reviewFilterOf(state, query);
      const coderIds = projectCoders(state, query.coders);
      const unit = query.unit;
      const { documents, skippedDocumentIds } = comparedDocuments(state, filter, coderIds);
      const codings = codingsInScope(state, { ...filter, coderIds }, documents);
      const units = unit === 'turn' ? await unitsByDocument(store, id, documents, paragraphCache) : new Map();
      const codeOrder = codesInTreeOrder(state.codes).map((x) => x.code.id as CodeId);
      const report = compareCoders(coderIds, documents, codings, codeOrder, unit, units);
      return c.json(
        {
          ...report,
          documentIds: documents.map((d) => d.id),
          skippedDocumentIds,
          units: {
            all: report.rows[0]?.all.units ?? null,
            codedText: report.rows[0]?.codedText.units ?? null,
          },
          rows: report.rows.map((row) => ({ ...row, name: state.codes[row.codeId]?.name ?? '' })),
        },
        200,
      );
    });
}

/**
 * The documents agreement compares: those in scope that every compared coder has coded at least
 * once (any code). Those the filter named but that are left out are listed.
 */
function comparedDocuments(
  state: Readonly<ProjectState>,
  filter: ReviewFilter,
  coderIds: readonly string[],
): { documents: DocumentMeta[]; skippedDocumentIds: DocumentId[] } {
  const codedBy = new Map<string, Set<string>>();
  for (const coding of Object.values(state.codings)) {
    const set = codedBy.get(coding.documentId) ?? new Set<string>();
    set.add(coding.coderId);
    codedBy.set(coding.documentId, set);
  }
  const inScope = documentsInScope(state, filter);
  const codedByAll = (d: DocumentMeta) => coderIds.every((coder) => codedBy.get(d.id)?.has(coder) ?? false);
  const documents = inScope.filter(codedByAll);
  const skippedDocumentIds =
    filter.documentIds === null ? [] : inScope.filter((d) => !codedByAll(d)).map((d) => d.id);
  return { documents, skippedDocumentIds };
}

/** The codes of a co-occurrence table, in tree order, with their depth. */
function codeList(codes: ReturnType<typeof codesInTreeOrder>) {
  return codes.map(({ code, depth }) => ({
    codeId: code.id,
    name: code.name,
    parentId: code.parentId,
    depth,
  }));
}
