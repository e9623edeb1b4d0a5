// @vitest-environment happy-dom
/**
 * The client's one unit conversion: DOM ranges (UTF-16) to spans in code points of the stored
 * text, word snapping, and the word moves of the keyboard cursor and of a coding's boundaries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TranscriptText } from '../../client/features/coding/selection-to-span.ts';

/** Draw `text` as segments of `cuts` (code points), like the transcript view does. */
function render(text: TranscriptText, cuts: number[]): HTMLElement {
  const root = document.createElement('div');
  const bounds = [0, ...cuts, text.length];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const span = document.createElement('span');
    span.dataset.start = String(bounds[i]);
    span.dataset.end = String(bounds[i + 1]);
    span.textContent = text.slice(bounds[i] as number, bounds[i + 1] as number);
    root.append(span);
  }
  document.body.append(root);
  return root;
}

/** A DOM range from UTF-16 offsets inside the `a`-th and `b`-th segments. */
function range(root: HTMLElement, a: number, from: number, b: number, to: number): Range {
  const r = document.createRange();
  r.setStart(root.children[a]?.firstChild as Node, from);
  r.setEnd(root.children[b]?.firstChild as Node, to);
  return r;
}

describe('TranscriptText.spanOfRange', () => {
  it('counts an emoji as one code point: « 😊 et » after it starts one earlier than in UTF-16', () => {
    const text = new TranscriptText('Bonjour 😊 et merci');
    const root = render(text, []);
    // « et » is at UTF-16 11–13, code points 10–12.
    expect(text.spanOfRange(range(root, 0, 11, 0, 13), root)).toEqual({ start: 10, end: 12 });
  });

  it('reads boundaries in later segments from their data-start, in code points', () => {
    const text = new TranscriptText('😀😀 abc 😀 déf');
    const root = render(text, [3, 8]);
    // Segment 1 is « abc 😀 » (code points 3–8); « abc » is UTF-16 0–3 inside it.
    expect(text.spanOfRange(range(root, 1, 0, 1, 3), root)).toEqual({ start: 3, end: 6 });
    // Across segments, up to « dé » in the last one.
    expect(text.spanOfRange(range(root, 1, 0, 2, 2), root)).toEqual({ start: 3, end: 10 });
  });

  it('drops whitespace at both ends and ignores a range of blanks', () => {
    const text = new TranscriptText('un  deux  trois');
    const root = render(text, []);
    expect(text.spanOfRange(range(root, 0, 2, 0, 10), root)).toEqual({ start: 4, end: 8 });
    expect(text.spanOfRange(range(root, 0, 2, 0, 4), root)).toBeUndefined();
  });

  it('takes a whole emoji when a boundary falls inside its surrogate pair', () => {
    const text = new TranscriptText('a😀b');
    const root = render(text, []);
    expect(text.spanOfRange(range(root, 0, 0, 0, 2), root)).toEqual({ start: 0, end: 2 });
  });

  it('agrees with Array.from on random texts with emoji and accents (property)', () => {
    const alphabet = fc.constantFrom('a', 'é', ' ', '😀', 'q\u0303', '’', 'Ω');
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 2, maxLength: 30 }), fc.nat(), fc.nat(), (parts, x, y) => {
        const raw = parts.join('');
        const text = new TranscriptText(raw);
        const root = render(text, []);
        const units = raw.length;
        let a = x % (units + 1);
        let b = y % (units + 1);
        if (a > b) [a, b] = [b, a];
        // Keep the offsets off the middle of a surrogate pair, as a browser selection does.
        const isLow = (i: number) => i > 0 && i < units && /[\uDC00-\uDFFF]/.test(raw.charAt(i));
        if (isLow(a)) a -= 1;
        if (isLow(b)) b += 1;
        const span = text.spanOfRange(range(root, 0, a, 0, b), root);
        const chosen = raw.slice(a, b);
        if (chosen.trim() === '') return span === undefined;
        const lead = chosen.length - chosen.trimStart().length;
        const start = Array.from(raw.slice(0, a + lead)).length;
        const covered = Array.from(chosen.trim()).length;
        return span !== undefined && span.start === start && span.end === start + covered;
      }),
    );
  });
});

describe('TranscriptText.snap', () => {
  const text = new TranscriptText('le télétravail me pèse 😩, parfois.');

  it('widens a span cut inside words to the whole words: « létrav » → « télétravail »', () => {
    expect(text.snap({ start: 5, end: 9 }, 'word')).toEqual({ start: 3, end: 14 });
  });

  it('leaves a span that already falls on word boundaries as it is', () => {
    expect(text.snap({ start: 3, end: 17 }, 'word')).toEqual({ start: 3, end: 17 });
  });

  it('does not widen over punctuation or an emoji, which are not words', () => {
    const emoji = [...'le télétravail me pèse '].length;
    expect(text.snap({ start: emoji, end: emoji + 2 }, 'word')).toEqual({ start: emoji, end: emoji + 2 });
  });

  it('keeps a combining accent with its letter when snapping to characters', () => {
    const combining = new TranscriptText('saq\u0303a');
    // [0, 3) would leave the tilde of « q̃ » outside: it is taken in.
    expect(combining.snap({ start: 0, end: 3 }, 'grapheme')).toEqual({ start: 0, end: 4 });
    expect(combining.snap({ start: 3, end: 5 }, 'grapheme')).toEqual({ start: 2, end: 5 });
  });

  it('counts the emoji before a word as one code point', () => {
    const emoji = new TranscriptText('😀😀 bonjour');
    expect(emoji.snap({ start: 4, end: 6 }, 'word')).toEqual({ start: 3, end: 10 });
  });
});

describe('TranscriptText.words and moveEdge', () => {
  const text = new TranscriptText('Le matin, je ressaisis 😩 tout.');

  it('lists the words of a range in code points, without punctuation or emoji', () => {
    expect(text.words(0, text.length).map((w) => text.slice(w.start, w.end))).toEqual([
      'Le',
      'matin',
      'je',
      'ressaisis',
      'tout',
    ]);
  });

  it('extends and shrinks a span by one word at either end', () => {
    const je = text.words(0, text.length)[2] as { start: number; end: number };
    const extendedStart = text.moveEdge(je, 'start', -1);
    expect(extendedStart && text.slice(extendedStart.start, extendedStart.end)).toBe('matin, je');
    const extendedEnd = text.moveEdge(je, 'end', 1);
    expect(extendedEnd && text.slice(extendedEnd.start, extendedEnd.end)).toBe('je ressaisis');
    const twoWords = { start: je.start, end: (extendedEnd as { end: number }).end };
    const shrunk = text.moveEdge(twoWords, 'start', 1);
    expect(shrunk && text.slice(shrunk.start, shrunk.end)).toBe('ressaisis');
  });

  it('refuses a move that would empty the span or find no word', () => {
    const le = text.words(0, text.length)[0] as { start: number; end: number };
    expect(text.moveEdge(le, 'start', -1)).toBeUndefined();
    expect(text.moveEdge(le, 'start', 1)).toBeUndefined();
    expect(text.moveEdge(le, 'end', -1)).toBeUndefined();
  });
});
