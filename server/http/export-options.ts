import type { ProjectState } from '../../shared/model.ts';
import type { ExportQueryOutput } from '../../shared/queries.ts';
import { citedAttributes } from '../export/citation.ts';
import type { ExportOptions } from '../export/selection.ts';
import { projectAttribute, projectCodes, reviewFilterOf } from './review-filter.ts';

/**
 * An export's options, as its query string names them (`ExportQuery` in shared/queries.ts),
 * checked against the project: its coders, documents, codes and attributes.
 * @throws DomainError `invalid_input` naming the parameter.
 */
export function exportOptionsOf(state: Readonly<ProjectState>, query: ExportQueryOutput): ExportOptions {
  const codeIds = query.codes === undefined || query.codes.length === 0 ? null : query.codes;
  const attribute = (parameter: string) => (name: string) => projectAttribute(state, parameter, name);
  return {
    filter: reviewFilterOf(state, query),
    codeIds: codeIds === null ? null : projectCodes(state, codeIds),
    pseudonymise: query.pseudonymise,
    maxPerCode: query.maxPerCode === 0 ? null : query.maxPerCode,
    sort: query.sort,
    memos: query.memos,
    attribute:
      query.attribute === undefined || query.attribute === ''
        ? null
        : attribute('attribute')(query.attribute),
    cite: citedAttributes(state, query.cite, query.pseudonymise, attribute('cite')),
    delimiter: query.delimiter === 'comma' ? ',' : ';',
  };
}
