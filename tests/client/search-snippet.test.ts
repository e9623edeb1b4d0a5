import { describe, expect, it } from 'vitest';
import {
  passageWindow,
  snippetPieces,
  speakerLabelLength,
} from '../../client/features/search/snippet-pieces.ts';

/** The pieces as text, marked ones in [brackets], for compact expectations. */
const show = (pieces: readonly { text: string; marked: boolean }[]) =>
  pieces.map((p) => (p.marked ? `[${p.text}]` : p.text)).join('');

describe('snippetPieces', () => {
  it('marks a match given in code points of the document, the snippet starting further in', () => {
    // « ressaisit » is [10, 19) in the snippet, which starts at code point 200 of the document.
    const snippet = 'Alors on ressaisit tout.';
    expect(snippetPieces(snippet, 200, [{ start: 209, end: 218 }])).toEqual([
      { text: 'Alors on ', marked: false },
      { text: 'ressaisit', marked: true },
      { text: ' tout.', marked: false },
    ]);
  });

  it('counts an emoji before a match as one code point, never cutting the word', () => {
    // 😀 is one code point but two UTF-16 units: string indexes would mark « ressaisi » and « t ».
    const snippet = 'Camille : 😀 On ressaisit tout à la main.';
    const start = Array.from(snippet).indexOf('r');
    expect(start).toBe(15);
    const pieces = snippetPieces(snippet, 1000, [{ start: 1000 + start, end: 1000 + start + 9 }]);
    expect(pieces.filter((p) => p.marked).map((p) => p.text)).toEqual(['ressaisit']);
    expect(show(pieces)).toBe('Camille : 😀 On [ressaisit] tout à la main.');
  });

  it('marks an emoji itself and the accented words around it in their original spelling', () => {
    const snippet = 'Ça 🎭 données';
    expect(
      show(
        snippetPieces(snippet, 0, [
          { start: 0, end: 2 },
          { start: 3, end: 4 },
          { start: 5, end: 12 },
        ]),
      ),
    ).toBe('[Ça] [🎭] [données]');
  });

  it('merges overlapping and unsorted matches, and keeps touching ones in one mark', () => {
    const snippet = 'double saisie en double';
    expect(
      show(
        snippetPieces(snippet, 0, [
          { start: 17, end: 23 },
          { start: 7, end: 13 },
          { start: 0, end: 6 },
          { start: 3, end: 9 },
        ]),
      ),
    ).toBe('[double saisie] en [double]');
  });

  it('leaves a snippet with no match as one plain piece, and an empty one as no piece', () => {
    expect(snippetPieces('rien ici', 5, [])).toEqual([{ text: 'rien ici', marked: false }]);
    expect(snippetPieces('', 5, [])).toEqual([]);
  });

  it('clips matches to the window shown and to the snippet', () => {
    const snippet = 'un deux trois quatre';
    expect(show(snippetPieces(snippet, 0, [{ start: 0, end: 7 }], { from: 3, to: 13 }))).toBe('[deux] trois');
    expect(show(snippetPieces(snippet, 10, [{ start: 24, end: 99 }]))).toBe('un deux trois [quatre]');
  });
});

describe('speakerLabelLength', () => {
  it('measures « Inès Benali : » in code points, so the label shown apart is not repeated', () => {
    expect(speakerLabelLength('Inès Benali : À la main.', 'Inès Benali')).toBe(14);
    expect(speakerLabelLength('😀 Zoé: oui', '😀 Zoé')).toBe(7);
  });
  it('is 0 when the passage does not open with the speaker’s label', () => {
    expect(speakerLabelLength('À la main.', 'Inès Benali')).toBe(0);
    expect(speakerLabelLength('Inès Benali dit oui.', 'Inès Benali')).toBe(0);
    expect(speakerLabelLength('Texte', '')).toBe(0);
  });
});

describe('passageWindow', () => {
  it('shows a short passage whole, after the speaker’s label', () => {
    expect(passageWindow('Q : court', 0, [{ start: 4, end: 9 }], 100, 4)).toEqual({ from: 4, to: 9 });
  });
  it('keeps `context` code points around the matches of a long passage, widened to whole words', () => {
    const words = Array.from({ length: 60 }, (_, i) => `mot${String(i).padStart(2, '0')}`);
    const snippet = words.join(' '); // each word 5 code points and a space: word i starts at 6i
    // mot30 is [180, 185); 20 before is 160, inside mot26 [156, 161); 20 after is 205, inside mot34.
    const window = passageWindow(snippet, 0, [{ start: 180, end: 185 }], 20);
    expect(window).toEqual({ from: 156, to: 209 });
    const shown = Array.from(snippet).slice(window.from, window.to).join('');
    expect(shown).toBe('mot26 mot27 mot28 mot29 mot30 mot31 mot32 mot33 mot34');
  });
});
