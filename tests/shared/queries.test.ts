/**
 * The query-string schemas: what each reads, its defaults, and what it refuses, with the
 * parameter in the issue's path (the edge's message names it, in French).
 */
import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import {
  AgreementQuery,
  CooccurrenceQuery,
  EventPageQuery,
  ExportQuery,
  LiveFeedQuery,
  RetrieveQuery,
  SearchFiltersQuery,
  SearchQuery,
} from '../../shared/queries.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

/** The parameter and message of the first issue of a refused query. */
function refused(schema: ZodType, query: Record<string, unknown>): { parameter: unknown; message: string } {
  const result = schema.safeParse(query);
  if (result.success) throw new Error(`accepted: ${JSON.stringify(query)}`);
  const issue = result.error.issues[0];
  return { parameter: issue?.path[0], message: issue?.message ?? '' };
}

describe('numbers, choices and flags', () => {
  it('take their defaults, read digits, and refuse other numbers naming the bounds', () => {
    expect(EventPageQuery.parse({})).toEqual({ after: 0, limit: 200 });
    expect(EventPageQuery.parse({ after: '42', limit: '1000' })).toEqual({ after: 42, limit: 1000 });
    for (const limit of ['0', '1001', '-1', '1.5', '1e3', 'beaucoup', ''])
      expect(refused(EventPageQuery, { limit })).toEqual({
        parameter: 'limit',
        message: expect.stringMatching(/nombre entier entre 1 et 1000/),
      });
  });
  it('refuse a parameter given twice rather than choose one of its values', () => {
    expect(refused(EventPageQuery, { after: ['1', '2'] })).toEqual({
      parameter: 'after',
      message: "ne peut être donné qu'une fois.",
    });
    expect(refused(CooccurrenceQuery, { unit: ['turn', 'turn'] }).message).toMatch(/qu'une fois/);
  });
  it('read a choice among its values, and name them when refusing another', () => {
    expect(CooccurrenceQuery.parse({}).unit).toBe('overlap');
    expect(CooccurrenceQuery.parse({ unit: 'turn' }).unit).toBe('turn');
    expect(refused(CooccurrenceQuery, { unit: 'mot' })).toEqual({
      parameter: 'unit',
      message: '« overlap » ou « turn » attendu, pas « mot ».',
    });
  });
  it('read true, false, 1 and 0 as flags, and refuse anything else', () => {
    expect(SearchQuery.parse({ q: 'a' })).toMatchObject({ prefix: true, fuzzy: false, uncoded: false });
    expect(SearchQuery.parse({ q: 'a', prefix: 'false', fuzzy: '1', uncoded: 'true' })).toMatchObject({
      prefix: false,
      fuzzy: true,
      uncoded: true,
    });
    expect(refused(SearchQuery, { q: 'a', fuzzy: 'oui' }).parameter).toBe('fuzzy');
  });
  it('refuse an unknown parameter on a route without attribute filters', () => {
    const result = LiveFeedQuery.safeParse({ after: '3', limit: '10' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['limit'] });
  });
});

describe('review queries', () => {
  it('read repeated filters as lists and keep every other parameter as an attribute filter', () => {
    const parsed = RetrieveQuery.parse(
      JSON.parse(
        `{"codes": "${A}", "coderId": ["${A}", "${B}"], "documentId": "${B}", "Ville": [" Lyon ", "Paris"], "__proto__": "x"}`,
      ) as Record<string, unknown>,
    );
    expect(parsed).toMatchObject({ codes: [A], coderId: [A, B], documentId: [B], op: 'or', limit: 500 });
    expect(parsed.attributes.Ville).toEqual(['Lyon', 'Paris']);
    expect(Object.hasOwn(parsed.attributes, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(parsed.attributes)).toBeNull();
  });
  it('refuse malformed ids, empty attribute values and multi-line ones, naming the parameter', () => {
    expect(refused(RetrieveQuery, { codes: A, coderId: 'zoe' })).toEqual({
      parameter: 'coderId',
      message: 'identifiant attendu, pas « zoe ».',
    });
    expect(refused(RetrieveQuery, { codes: `${A},x` }).parameter).toBe('codes');
    expect(refused(RetrieveQuery, { codes: A, Ville: ' ' })).toEqual({
      parameter: 'Ville',
      message: 'une valeur est attendue.',
    });
    expect(refused(RetrieveQuery, { codes: A, Ville: 'Lyon\nParis' }).parameter).toBe('Ville');
  });
  it('read codes separated by commas or repeated, refusing none, twice the same, or `and` of one', () => {
    expect(RetrieveQuery.parse({ codes: [`${A}, `, B], op: 'and' }).codes).toEqual([A, B]);
    expect(refused(RetrieveQuery, {}).parameter).toBe('codes');
    expect(refused(RetrieveQuery, { codes: ',' }).message).toMatch(/au moins un code/);
    expect(refused(RetrieveQuery, { codes: `${A},${A}` }).message).toMatch(/deux fois/);
    expect(refused(RetrieveQuery, { codes: A, op: 'and' })).toEqual({
      parameter: 'op',
      message: '« and » combine au moins deux codes (codes=a,b).',
    });
    expect(refused(RetrieveQuery, { codes: A, limit: '5001' }).parameter).toBe('limit');
  });
  it('compare 2 to 20 distinct coders in agreement, which takes no coder filter', () => {
    expect(AgreementQuery.parse({ coders: `${A},${B},${A}` })).toMatchObject({
      coders: [A, B],
      unit: 'character',
    });
    expect(refused(AgreementQuery, { coders: `${A},${A}` }).message).toMatch(/entre 2 et 20 codeurs/);
    expect(refused(AgreementQuery, { coders: `${A},${B}`, coderId: A })).toEqual({
      parameter: 'coderId',
      message: 'cette route ne lit pas ce paramètre.',
    });
  });
});

describe('search and export queries', () => {
  it('want words to search for, and take the autocode filters without a page or words', () => {
    expect(refused(SearchQuery, { q: '  ' }).message).toMatch(/mots à chercher/);
    expect(refused(SearchQuery, {}).parameter).toBe('q');
    expect(refused(SearchQuery, { q: 'a', limit: '1001' }).parameter).toBe('limit');
    expect(SearchQuery.parse({ q: 'a' })).toMatchObject({ offset: 0, limit: 100 });
    expect(refused(SearchFiltersQuery, { q: 'a' }).parameter).toBe('q');
    expect(SearchFiltersQuery.parse({ speaker: 'interviewees', Ville: 'Lyon' })).toMatchObject({
      speaker: 'interviewees',
      attributes: { Ville: ['Lyon'] },
    });
  });
  it('give an export its defaults, and read `cite=` alone as citing nothing', () => {
    expect(ExportQuery.parse({})).toMatchObject({
      pseudonymise: true,
      maxPerCode: 0,
      sort: 'document',
      memos: false,
      delimiter: 'semicolon',
    });
    expect(ExportQuery.parse({}).cite).toBeUndefined();
    expect(ExportQuery.parse({ cite: '' }).cite).toEqual(['']);
    expect(ExportQuery.parse({ cite: ['région', 'âge'], codes: `${B},${B}` })).toMatchObject({
      cite: ['région', 'âge'],
      codes: [B],
    });
    expect(refused(ExportQuery, { sort: 'alphabet' }).parameter).toBe('sort');
    expect(refused(ExportQuery, { pseudonymise: 'non' }).parameter).toBe('pseudonymise');
    expect(refused(ExportQuery, { maxPerCode: '100001' }).parameter).toBe('maxPerCode');
    expect(refused(ExportQuery, { delimiter: 'tab' }).parameter).toBe('delimiter');
  });
});
