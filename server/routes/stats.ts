import { Hono } from 'hono';
import { DomainError } from '../../shared/errors.ts';
import type { CodeId, UserId } from '../../shared/ids.ts';
import type { DocumentMeta, ProjectState } from '../../shared/model.ts';
import type { Span } from '../../shared/spans.ts';
import { AGREEMENT_UNITS, compareCoders } from '../../shared/stats/agreement.ts';
import { COOCCURRENCE_UNITS, countCooccurrence } from '../../shared/stats/cooccurrence.ts';
import {
  checkCoder,
  codingsInScope,
  documentsInScope,
  enumParam,
  parseReviewQuery,
  singleParam,
} from '../../shared/stats/filters.ts';
import { coderPairs } from '../../shared/stats/coder-pairs.ts';
import { codesInTreeOrder, countByCoder, countFrequencies } from '../../shared/stats/frequencies.ts';
import { findAttribute } from '../../shared/attributes.ts';
import { requireUser } from '../auth/sessions.ts';
import { projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { unitsByDocument } from '../services/turn-units.ts';
import { wordCounts } from '../services/word-counts.ts';
import type { Store } from '../storage/store.ts';

/** The coders named by `coders=a,b[,c]` (commas or repeated parameters), at least two, distinct. */
function comparedCoders(state: Readonly<ProjectState>, values: readonly string[] | undefined): UserId[] {
  const ids = (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  const coders = [...new Set(ids.map((id) => checkCoder(state, id)))];
  if (coders.length < 2 || coders.length > 20) {
    throw new DomainError(
      'invalid_input',
      '« coders » doit nommer entre 2 et 20 codeurs distincts, séparés par des virgules (coders=a,b).',
    );
  }
  return coders;
}

/** Review statistics: theme frequencies, per-coder table, co-occurrence and inter-coder agreement. */
export function statsRoutes(store: Store) {
  const paragraphCache = new Map<string, Span[]>();
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/frequencies', async (c) => {
      const { id, state } = await projectFor(c, store, 'viewer');
      const { filter, params } = parseReviewQuery(state, c.req.queries(), ['attribute']);
      const attributeName = singleParam(params, 'attribute');
      const attribute =
        attributeName === undefined ? undefined : findAttribute(state.attributes, attributeName);
      if (attributeName !== undefined && !attribute) {
        throw new DomainError(
          'invalid_input',
          `« ${attributeName} » n'est pas un attribut des participants.`,
        );
      }
      const documents = documentsInScope(state, filter);
      const table = countFrequencies(state, documents, codingsInScope(state, filter, documents), attribute);
      let words = 0;
      for (const count of (await wordCounts(store, id, documents)).values()) words += count;
      return c.json({ ...table, totals: { ...table.totals, words } }, 200);
    })
    .get('/coders', async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      const { filter } = parseReviewQuery(state, c.req.queries(), []);
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
    .get('/cooccurrence', async (c) => {
      const { id, state } = await projectFor(c, store, 'viewer');
      const { filter, params } = parseReviewQuery(state, c.req.queries(), ['unit']);
      const unit = enumParam(params, 'unit', COOCCURRENCE_UNITS, 'overlap');
      const documents = documentsInScope(state, filter);
      const codes = codesInTreeOrder(state.codes);
      const units = unit === 'turn' ? await unitsByDocument(store, id, documents, paragraphCache) : new Map();
      const result = countCooccurrence(
        codes.map((x) => x.code.id),
        codingsInScope(state, filter, documents),
        unit,
        units,
      );
      return c.json(
        {
          ...result,
          codes: codes.map(({ code, depth }) => ({
            codeId: code.id,
            name: code.name,
            parentId: code.parentId,
            depth,
          })),
        },
        200,
      );
    })
    .get('/agreement', async (c) => {
      const { id, state } = await projectFor(c, store, 'viewer');
      const { filter, params } = parseReviewQuery(state, c.req.queries(), ['coders', 'unit'], {
        coderFilter: false,
      });
      const coderIds = comparedCoders(state, params.get('coders'));
      const unit = enumParam(params, 'unit', AGREEMENT_UNITS, 'character');
      // Compared documents: those every compared coder has coded at least once (any code).
      const codedBy = new Map<string, Set<string>>();
      for (const coding of Object.values(state.codings)) {
        const set = codedBy.get(coding.documentId) ?? new Set<string>();
        set.add(coding.coderId);
        codedBy.set(coding.documentId, set);
      }
      const inScope = documentsInScope(state, filter);
      const codedByAll = (d: DocumentMeta) =>
        coderIds.every((coder) => codedBy.get(d.id)?.has(coder) ?? false);
      const documents = inScope.filter(codedByAll);
      const skippedDocumentIds =
        filter.documentIds === null ? [] : inScope.filter((d) => !codedByAll(d)).map((d) => d.id);
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
