import { Hono } from 'hono';
import { DomainError } from '../../shared/errors.ts';
import { isId, type CodeId, type DocumentId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import type { Span } from '../../shared/spans.ts';
import {
  codingsInScope,
  documentsInScope,
  enumParam,
  integerParam,
  parseReviewQuery,
} from '../../shared/stats/filters.ts';
import { describePassages, findPassages, RETRIEVE_OPS, RETRIEVE_UNITS } from '../../shared/stats/retrieve.ts';
import { requireUser } from '../auth/sessions.ts';
import { projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { unitsByDocument } from '../services/turn-units.ts';
import type { Store } from '../storage/store.ts';

/** The codes named by `codes=a,b` (commas or repeated parameters): known, distinct, at least one. */
function listedCodes(state: Readonly<ProjectState>, values: readonly string[] | undefined): CodeId[] {
  const ids = (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (ids.length === 0) {
    throw new DomainError('invalid_input', '« codes » doit nommer au moins un code (codes=a,b).');
  }
  if (new Set(ids).size !== ids.length) {
    throw new DomainError('invalid_input', '« codes » nomme le même code deux fois.');
  }
  for (const id of ids) {
    if (!isId(id) || !state.codes[id]) {
      throw new DomainError('invalid_input', `Code inconnu dans ce projet : « ${id} ».`, { codeId: id });
    }
  }
  return ids as CodeId[];
}

/** Retrieval: the passages of a code or of a combination of codes, with quote and context. */
export function retrieveRoutes(store: Store) {
  const paragraphCache = new Map<string, Span[]>();
  return new Hono<Env>().use(requireUser(store)).get('/', async (c) => {
    const { id, state } = await projectFor(c, store, 'viewer');
    const { filter, params } = parseReviewQuery(state, c.req.queries(), [
      'codes',
      'op',
      'unit',
      'context',
      'offset',
      'limit',
    ]);
    const codeIds = listedCodes(state, params.get('codes'));
    const op = enumParam(params, 'op', RETRIEVE_OPS, 'or');
    if (op !== 'or' && codeIds.length < 2) {
      throw new DomainError('invalid_input', `« op=${op} » combine au moins deux codes (codes=a,b).`);
    }
    const context = integerParam(params, 'context', 0, 2000, 200);
    const offset = integerParam(params, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
    const limit = integerParam(params, 'limit', 1, 5000, 500);
    const unit = enumParam(params, 'unit', RETRIEVE_UNITS, 'passage');
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
