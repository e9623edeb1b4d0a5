import { describe, expect, it } from 'vitest';
import {
  defaultExportChoices,
  exportQuery,
  type ExportChoices,
} from '../../client/features/export/export-query.ts';
import { apiFilters, apiSearchQuery, EMPTY_REQUEST } from '../../client/features/search/search-request.ts';
import { ExportQuery, SearchFiltersQuery, SearchQuery } from '../../shared/queries.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

const DEFAULTS: ExportChoices = defaultExportChoices();

describe('exportQuery', () => {
  it('leaves the defaults out, but says `cite=` when nothing is cited', () => {
    expect(exportQuery(DEFAULTS)).toEqual({ cite: '' });
  });

  it('spells out every choice as the export routes read it, and the server reads it back', () => {
    const choices: ExportChoices = {
      codeIds: [A, B],
      coderId: A,
      attributeFilters: { région: 'Bretagne', effectif: '' },
      breakdown: 'région',
      cite: ['région', 'âge'],
      sort: 'time',
      maxPerCode: 3,
      memos: true,
      pseudonymise: false,
      delimiter: 'comma',
    };
    const query = exportQuery(choices);
    expect(query).toEqual({
      région: 'Bretagne',
      codes: `${A},${B}`,
      coderId: A,
      attribute: 'région',
      cite: ['région', 'âge'],
      sort: 'time',
      maxPerCode: '3',
      memos: 'true',
      pseudonymise: 'false',
      delimiter: 'comma',
    });
    expect(ExportQuery.parse(query)).toMatchObject({
      codes: [A, B],
      coderId: [A],
      attribute: 'région',
      cite: ['région', 'âge'],
      sort: 'time',
      maxPerCode: 3,
      memos: true,
      pseudonymise: false,
      delimiter: 'comma',
      attributes: { région: ['Bretagne'] },
    });
  });
});

describe('the search page’s queries', () => {
  it('are read by the search route and the auto-coding filters as they mean', () => {
    const request = {
      ...EMPTY_REQUEST,
      q: 'paie',
      fuzzy: true,
      coding: { kind: 'uncoded' as const },
      documentIds: [A],
      attributes: { région: 'Bretagne' },
      offset: 50,
    };
    expect(SearchQuery.parse(apiSearchQuery(request, 50))).toMatchObject({
      q: 'paie',
      fuzzy: true,
      prefix: true,
      uncoded: true,
      documentId: [A],
      offset: 50,
      limit: 50,
      attributes: { région: ['Bretagne'] },
    });
    expect(SearchFiltersQuery.parse(apiFilters(request))).toMatchObject({ uncoded: true, documentId: [A] });
  });
});
