import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createReplacer, foldName } from '../../shared/pseudonymise.ts';

describe('createReplacer on any text', () => {
  it('replaces names with a hyphen (« Marie-Laure Colin », « Saint-Aubin ») instead of throwing', () => {
    const replace = createReplacer([
      { from: 'Marie-Laure Colin', to: '[personne 1]' },
      { from: 'Saint-Aubin', to: '[ville A]' },
    ]);
    expect(replace.apply('Marie-Laure Colin habite Saint-Aubin.')).toBe('[personne 1] habite [ville A].');
  });

  it('takes regular-expression metacharacters literally: « C++ (Lyon) », « a.b », « [x]|y »', () => {
    const replace = createReplacer([
      { from: 'C++ (Lyon)', to: '[structure A]' },
      { from: 'a.b', to: 'X' },
      { from: '[x]|y', to: 'Y' },
      { from: 'back\\slash/slash', to: 'Z' },
    ]);
    expect(replace.apply('chez C++ (Lyon), a.b et axb, [x]|y, back\\slash/slash')).toBe(
      'chez [structure A], X et axb, Y, Z',
    );
  });

  it('handles 2,000 entries at once', () => {
    const list = Array.from({ length: 2000 }, (_, i) => ({
      from: `Nom-${i} d’Essai`,
      to: `[personne ${i}]`,
    }));
    const replace = createReplacer(list);
    expect(replace.apply("Bonjour Nom-1999 d'Essai et Nom-7 d’essai.")).toBe(
      'Bonjour [personne 1999] et [personne 7].',
    );
  });

  it('never throws, and a name written alone as a text is always replaced (property)', () => {
    const word = fc.string({ minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(fc.record({ from: word, to: word }), { maxLength: 30 }),
        fc.string({ maxLength: 80 }),
        (list, text) => {
          const replace = createReplacer(list);
          const out = replace.apply(text);
          expect(typeof out).toBe('string');
          const spans = replace.spans(text);
          for (let i = 1; i < spans.length; i++) {
            expect(spans[i]!.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
          }
          for (const entry of list) {
            if (foldName(entry.from) === '') continue;
            // Alone in a sentence, between spaces, the name is found (by itself or a longer one).
            expect(replace.spans(`« ${entry.from.trim()} »`).length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
