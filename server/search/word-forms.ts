import { processTerm } from '../../shared/search/french.ts';
import type { IndexColumns } from './index-columns.ts';

/** Forms remembered before the table starts again (between documents): a few MB at most. */
const FORMS_LIMIT = 500_000;

/**
 * The word forms met while indexing (« Billetterie », « billetteries »…), each numbered once
 * with its term number (-1 for a stop word), so that each word of a text costs one lookup
 * rather than one to find its term and one to number it; and, per form, the last passage it
 * was seen in, to count a passage's distinct forms. Only valid while the index's term numbers
 * are: the index drops it when it renumbers them.
 */
export class WordForms {
  private readonly numbers = new Map<string, number>();
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
    const known = this.numbers.get(word);
    if (known !== undefined) return known;
    const form = this.numbers.size;
    if (form === this.term.length) {
      this.term = grown(this.term, (n) => new Int32Array(n));
      this.seen = grown(this.seen, (n) => new Uint32Array(n));
    }
    const processed = processTerm(word);
    this.term[form] = processed === null ? -1 : this.termNumber(processed);
    this.numbers.set(word, form);
    return form;
  }

  /** Start again if the table has grown past its limit (call between documents only). */
  trim(): void {
    if (this.numbers.size < this.limit) return;
    this.numbers.clear();
    this.seen.fill(0);
  }
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
