import { describe, expect, it } from 'vitest';
import { indentedCodes, speakerNames } from '../../client/features/search/filter-options.ts';
import {
  activeFilterCount,
  apiFilters,
  apiSearchQuery,
  documentAtMatch,
  EMPTY_REQUEST,
  readSearchRequest,
  writeSearchRequest,
  type SearchRequest,
} from '../../client/features/search/search-request.ts';

const FULL: SearchRequest = {
  q: '"double saisie" OU ressaisie -papier',
  fuzzy: true,
  prefix: false,
  speaker: 'interviewees',
  coding: { kind: 'code', codeId: 'c1' },
  documentIds: ['d1', 'd2'],
  attributes: { 'type de structure': 'Théâtre', q: 'an attribute named q' },
  offset: 50,
};

describe('the search in the page’s address', () => {
  it('writes every part of a search and reads it back the same', () => {
    expect(readSearchRequest(writeSearchRequest(FULL))).toEqual(FULL);
  });

  it('leaves the defaults out: a plain search is only its words', () => {
    expect(writeSearchRequest({ ...EMPTY_REQUEST, q: 'paie' }).toString()).toBe('q=paie');
    expect(readSearchRequest(new URLSearchParams('q=paie'))).toEqual({ ...EMPTY_REQUEST, q: 'paie' });
  });

  it('reads « uncoded » before a code, and ignores a negative or broken offset', () => {
    const read = readSearchRequest(new URLSearchParams('q=x&uncoded=true&codeId=c1&offset=-3'));
    expect(read.coding).toEqual({ kind: 'uncoded' });
    expect(read.offset).toBe(0);
    expect(readSearchRequest(new URLSearchParams('q=x&offset=abc')).offset).toBe(0);
  });
});

describe('the search as the API reads it', () => {
  it('names attributes by their own name and repeats documentId, with the options spelt out', () => {
    expect(apiFilters(FULL)).toEqual({
      prefix: 'false',
      fuzzy: 'true',
      speaker: 'interviewees',
      codeId: 'c1',
      documentId: ['d1', 'd2'],
      'type de structure': 'Théâtre',
      q: 'an attribute named q',
    });
  });

  it('asks for one page: the query’s words, the offset and the limit override nothing else', () => {
    const query = apiSearchQuery(
      { ...EMPTY_REQUEST, q: 'paie', coding: { kind: 'uncoded' }, offset: 100 },
      50,
    );
    expect(query).toEqual({
      prefix: 'true',
      fuzzy: 'false',
      uncoded: 'true',
      q: 'paie',
      offset: '100',
      limit: '50',
    });
  });

  it('counts the filters that narrow a search, not its options', () => {
    expect(activeFilterCount({ ...EMPTY_REQUEST, fuzzy: true, prefix: false })).toBe(0);
    expect(activeFilterCount(FULL)).toBe(5);
  });
});

describe('documentAtMatch', () => {
  it('opens a document at a match in code points, carrying the query', () => {
    expect(documentAtMatch('p1', 'd1', { start: 1142, end: 1151 }, 'ressaisir OU "double saisie"')).toBe(
      '/projects/p1/documents/d1?start=1142&end=1151&q=ressaisir+OU+%22double+saisie%22',
    );
  });
});

describe('filter options', () => {
  it('lists each speaker once, in French order', () => {
    expect(speakerNames([{ speakers: ['Zoé', 'Élodie', ''] }, { speakers: ['Élodie', 'Adrien'] }])).toEqual([
      'Adrien',
      'Élodie',
      'Zoé',
    ]);
  });

  it('lays the codebook out depth-first, a code with a missing parent at the root', () => {
    const codes = [
      { id: 'b', name: 'Saisie', parentId: 'a' },
      { id: 'a', name: 'Outils', parentId: null },
      { id: 'c', name: 'Accès', parentId: null },
      { id: 'd', name: 'Orphelin', parentId: 'gone' },
    ];
    expect(indentedCodes(codes).map((c) => `${c.depth}:${c.name}`)).toEqual([
      '0:Accès',
      '0:Orphelin',
      '0:Outils',
      '1:Saisie',
    ]);
  });
});
