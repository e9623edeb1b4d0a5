import { hashUnits, processTerm } from '../../shared/search/french.ts';
import type { IndexColumns } from './index-columns.ts';

/** Forms remembered before the table starts again (between documents): a few MB at most. */
const FORMS_LIMIT = 500_000;

/**
 * The word forms met while indexing (« Billetterie », « billetteries »…), each numbered once
 * with its term number (-1 for a stop word), so that each word of a text costs one lookup
 * rather than one to find its term and one to number it; and, per form, the last passage it
 * was seen in, to count a passage's distinct forms. A word is looked up where it lies in its text
 * (`in`), by a hash of its UTF-16 units and a comparison with the form found: no string is made
 * for a form already met, which is nearly every word of a study. Only valid while the index's term
 * numbers are: the index drops it when it renumbers them.
 */
export class WordForms {
  /** Each form as written, by number. */
  private readonly words: string[] = [];
  /** Open addressing over the forms' hashes: form number + 1 in each used slot, 0 in a free one. */
  private slots = new Int32Array(1 << 12);
  /** Term number of each form, -1 for a stop word. */
  term = new Int32Array(1024);
  /** The last `stamp` each form was seen under. */
  seen = new Uint32Array(1024);
  /** Raised for each passage: a form is new to the passage when `seen[form] !== stamp`. */
  stamp = 0;

  constructor(
    private readonly termNumber: (term: string) => number,
    private readonly limit: number = FORMS_LIMIT,
  ) {}

  /** The number of `word`, a form as written. */
  of(word: string): number {
    return this.in(word, 0, word.length);
  }

  /**
   * The number of the form `text` holds in `[start, end)` (UTF-16 units), whose `hashUnits` is
   * `hash` when the caller has it (`forEachWord` gives it).
   */
  in(text: string, start: number, end: number, hash = hashUnits(text, start, end)): number {
    const mask = this.slots.length - 1;
    const length = end - start;
    let slot = hash & mask;
    for (;;) {
      const form = (this.slots[slot] as number) - 1;
      if (form < 0) break;
      const word = this.words[form] as string;
      if (word.length === length && sameUnits(word, text, start)) return form;
      slot = (slot + 1) & mask;
    }
    return this.add(text.slice(start, end), slot);
  }

  /** Number a new form, in the free `slot` its lookup ended on. */
  private add(word: string, slot: number): number {
    const form = this.words.length;
    if (form === this.term.length) {
      this.term = grown(this.term, (n) => new Int32Array(n));
      this.seen = grown(this.seen, (n) => new Uint32Array(n));
    }
    const processed = processTerm(word);
    this.term[form] = processed === null ? -1 : this.termNumber(processed);
    this.words.push(word);
    this.slots[slot] = form + 1;
    // At most half the slots used, so that a lookup meets few others.
    if (this.words.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return form;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    this.words.forEach((word, form) => {
      let slot = hashUnits(word, 0, word.length) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = form + 1;
    });
    this.slots = slots;
  }

  /** Start again if the table has grown past its limit (call between documents only). */
  trim(): void {
    if (this.words.length < this.limit) return;
    this.words.length = 0;
    this.slots = new Int32Array(1 << 12);
    this.seen.fill(0);
  }
}

/**
 * Whether `text` holds `word` at `start`. `text.startsWith(word, start)` says the same, but indexing
 * the large study took as long or longer with it (499–808 ms against 497–620, alternated).
 */
function sameUnits(word: string, text: string, start: number): boolean {
  for (let i = 0; i < word.length; i++) if (word.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/**
 * A document's words (term, start, end) as they are read, appended to the index's columns at
 * once when the document is done: one typed-array copy per column instead of a push per word.
 */
export class TokenBuffer {
  length = 0;
  private term: Uint32Array = new Uint32Array(4096);
  private start: Uint32Array = new Uint32Array(4096);
  private end: Uint32Array = new Uint32Array(4096);

  push(term: number, start: number, end: number): void {
    if (this.length === this.term.length) {
      this.term = grown(this.term, u32);
      this.start = grown(this.start, u32);
      this.end = grown(this.end, u32);
    }
    this.term[this.length] = term;
    this.start[this.length] = start;
    this.end[this.length] = end;
    this.length++;
  }

  appendTo(c: IndexColumns): void {
    c.tokenTerm.append(this.term.subarray(0, this.length));
    c.tokenStart.append(this.start.subarray(0, this.length));
    c.tokenEnd.append(this.end.subarray(0, this.length));
    this.length = 0;
  }
}

const u32 = (n: number) => new Uint32Array(n);

/** `array` copied into one twice its length. */
function grown<A extends Int32Array | Uint32Array>(array: A, make: (n: number) => A): A {
  const bigger = make(array.length * 2);
  bigger.set(array);
  return bigger;
}
