import { afterEach, describe, expect, it, vi } from 'vitest';
import { en } from '../../client/i18n/en.ts';
import { fr } from '../../client/i18n/fr.ts';
import { formatMessage } from '../../client/i18n/index.ts';

const CATALOGUES = { fr, en } as const;

describe('messages with numbers', () => {
  it('choose singular and plural by each language’s rules: 0 and 1 are singular in French', () => {
    const f = (count: number | string, lang: 'fr' | 'en') =>
      formatMessage(fr['codebook.count'], { count }, lang);
    expect([0, 1, 2, 1.5].map((n) => f(n, 'fr'))).toEqual([
      '0 codage',
      '1 codage',
      '2 codages',
      '1.5 codage',
    ]);
    const g = (count: number) => formatMessage(en['codebook.count'], { count }, 'en');
    expect([0, 1, 2].map(g)).toEqual(['0 codings', '1 coding', '2 codings']);
    // A number already formatted for display is read back, and shown as it came.
    expect(f('1 240', 'fr')).toBe('1 240 codages');
  });

  it('say « 1 filtre actif », « 1 coding », and fill names inside a plural case', () => {
    expect(formatMessage(fr['search.filtersActive'], { count: 1 }, 'fr')).toBe('Filtres (1 actif)');
    expect(formatMessage(fr['search.filtersActive'], { count: 3 }, 'fr')).toBe('Filtres (3 actifs)');
    expect(formatMessage(fr['search.autocode.willCreate'], { count: 1, code: 'Coûts' }, 'fr')).toBe(
      '1 codage « Coûts » sera créé.',
    );
    expect(formatMessage(en['search.autocode.willCreate'], { count: 2, code: 'Costs' }, 'en')).toBe(
      '2 codings “Costs” will be created.',
    );
    expect(
      formatMessage(
        fr['review.activity.erasure'],
        { user: 'Camille', participants: 1, documents: 2, codings: 1 },
        'fr',
      ),
    ).toBe(
      'Camille a effacé définitivement 1 participant·e, 2 documents et 1 codage (retrait du consentement)',
    );
  });

  it('leave no « (s) » in either language, and every plural choice is well formed', () => {
    for (const [lang, catalogue] of Object.entries(CATALOGUES) as ['fr' | 'en', Record<string, string>][]) {
      for (const [key, template] of Object.entries(catalogue)) {
        expect(template, `${lang} ${key}`).not.toMatch(/\w\(s\)|·e\(s\)/);
        if (!template.includes(', plural,')) continue;
        const names = [...template.matchAll(/\{(\w+)[,}]/g)].map((m) => m[1] as string);
        for (const n of [1, 2]) {
          const out = formatMessage(template, Object.fromEntries(names.map((name) => [name, n])), lang);
          expect(out, `${lang} ${key}`).not.toMatch(/plural|[{}#]/);
        }
      }
    }
  });

  it('put a space before « : ; ? ! » in French only', () => {
    for (const [key, template] of Object.entries(en)) {
      // The one French phrase an English message quotes is a label written into memos.
      if (key === 'refi.userMapNote' || template.includes('Codeur d’origine')) continue;
      expect(template.replace(/Key \?:/, ''), key).not.toMatch(/[\p{L}\p{N})”»] [:;!?]/u);
    }
  });
});

describe('plural rules', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('are made once per language, not at each message (a transcript asks for thousands)', () => {
    const made = vi.spyOn(Intl, 'PluralRules');
    for (let i = 0; i < 500; i++) {
      formatMessage(fr['codebook.count'], { count: i }, 'fr');
      formatMessage(en['codebook.count'], { count: i }, 'en');
    }
    expect(made.mock.calls.length).toBeLessThanOrEqual(2);
    expect(formatMessage(fr['codebook.count'], { count: 1 }, 'fr')).toBe('1 codage');
    expect(formatMessage(en['codebook.count'], { count: 1 }, 'en')).toBe('1 coding');
  });
});
