import iconv from 'iconv-lite';
import type { Paragraph, Run } from './blocks.ts';
import { paragraphsToText } from './blocks.ts';
import type { Extracted } from './extracted.ts';
import { unprocessable } from './extracted.ts';

/**
 * Destinations whose text is not the document's: tables of fonts, colours and styles, document
 * information, pictures, embedded objects, headers and footers, field instructions (their result,
 * `\fldrslt`, is kept). A group starting with `\*` is skipped as well, as the RTF specification asks
 * of readers that do not know it.
 */
const SKIPPED_DESTINATIONS = new Set([
  'fonttbl',
  'colortbl',
  'stylesheet',
  'info',
  'pict',
  'object',
  'objdata',
  'header',
  'headerl',
  'headerr',
  'headerf',
  'footer',
  'footerl',
  'footerr',
  'footerf',
  'fldinst',
  'listtable',
  'listoverridetable',
  'revtbl',
  'rsidtbl',
  'xmlnstbl',
  'filetbl',
  'themedata',
  'colorschememapping',
  'datastore',
  'latentstyles',
  'generator',
  'pgdsctbl',
  'nonshppict',
  'shppict',
  'bkmkstart',
  'bkmkend',
  'private',
]);

/** Control words that stand for one character. */
const CHARACTERS: Record<string, string> = {
  tab: '\t',
  cell: '\t',
  emdash: '—',
  endash: '–',
  lquote: '‘',
  rquote: '’',
  ldblquote: '“',
  rdblquote: '”',
  bullet: '•',
  emspace: '\u2003',
  enspace: '\u2002',
  qmspace: '\u2005',
  line: '\n',
};

interface GroupState {
  bold: boolean;
  skip: boolean;
  /** How many fallback characters follow a `\uN` (`\ucN`). */
  unicodeSkip: number;
}

/**
 * Read an RTF file (as transcription services and word processors save it) into paragraphs.
 *
 * No maintained RTF parser exists on npm (the packages there are unmaintained for years, or need a
 * browser DOM), and a transcript needs only text, paragraphs and bold: this reader follows the RTF
 * 1.9.1 specification for what it keeps — groups, control words and symbols, `\'xx` bytes in the
 * document's code page (`\ansicpg`, Windows-1252 by default), `\uN` Unicode characters with their
 * `\ucN` fallbacks skipped, `\bin` data skipped — and ignores every other formatting word.
 */
export function extractRtf(fileName: string, bytes: Uint8Array): Extracted {
  const source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (!/^\s*\{\\rtf/.test(source)) {
    throw unprocessable(fileName, "n'est pas un fichier RTF : il doit commencer par « {\\rtf ».");
  }
  const reader = new RtfReader(source);
  const paragraphs = reader.read();
  // A table row ends with a \cell before its \row: drop the tab that would trail each row.
  const cleaned = paragraphs.map((paragraph) => trimTrailingTab(paragraph));
  const codePage = reader.codePage;
  return paragraphsToText(cleaned, codePage === 'windows-1252' ? 'windows-1252' : codePage);
}

/** One pass over an RTF source, character by character, collecting its paragraphs of runs. */
class RtfReader {
  codePage = 'windows-1252';
  private readonly paragraphs: Paragraph[] = [];
  private runs: Run[] = [];
  private readonly stack: GroupState[] = [];
  private state: GroupState = { bold: false, skip: false, unicodeSkip: 1 };
  /** Bytes of `\'xx` escapes waiting to be decoded together (a multi-byte code page needs them so). */
  private pending: number[] = [];
  /** Fallback characters still to skip after a `\uN`. */
  private fallback = 0;
  /** Whether the next control word opens the group as its destination. */
  private groupStart = false;
  /** Position in the source. */
  private i = 0;

  constructor(private readonly source: string) {}

  /** The document's paragraphs. */
  read(): Paragraph[] {
    const source = this.source;
    while (this.i < source.length) {
      const char = source[this.i] as string;
      if (char === '{') this.openGroup();
      else if (char === '}') this.closeGroup();
      else if (char === '\r' || char === '\n') this.i++;
      else if (char !== '\\') this.character(char);
      else {
        // A control symbol or a control word.
        const next = source[this.i + 1] ?? '';
        if (next === "'") this.hexByte();
        else if (!/[a-zA-Z]/.test(next)) this.controlSymbol(next);
        else this.controlWord();
      }
    }
    this.flushBytes();
    if (this.runs.length > 0) this.paragraphs.push(this.runs);
    return this.paragraphs;
  }

  private emit(text: string): void {
    if (this.state.skip || text === '') return;
    const runs = this.runs;
    const last = runs[runs.length - 1];
    if (last && last.bold === this.state.bold)
      runs[runs.length - 1] = { text: last.text + text, bold: last.bold };
    else runs.push({ text, bold: this.state.bold });
  }

  private flushBytes(): void {
    if (this.pending.length === 0) return;
    this.emit(iconv.decode(Buffer.from(this.pending), this.codePage));
    this.pending = [];
  }

  private endParagraph(): void {
    this.flushBytes();
    if (!this.state.skip) {
      this.paragraphs.push(this.runs);
      this.runs = [];
    }
  }

  private openGroup(): void {
    this.flushBytes();
    this.stack.push(this.state);
    this.state = { ...this.state };
    this.groupStart = true;
    this.fallback = 0;
    this.i++;
  }

  private closeGroup(): void {
    this.flushBytes();
    this.state = this.stack.pop() ?? this.state;
    this.groupStart = false;
    this.fallback = 0;
    this.i++;
  }

  /** A character of text. */
  private character(char: string): void {
    this.groupStart = false;
    if (this.fallback > 0) {
      this.fallback--;
    } else {
      const code = char.charCodeAt(0);
      if (code >= 0x80) this.pending.push(code);
      else {
        this.flushBytes();
        this.emit(char);
      }
    }
    this.i++;
  }

  /** `\'xx`: a byte in the document's code page. */
  private hexByte(): void {
    const hex = this.source.slice(this.i + 2, this.i + 4);
    this.i += 4;
    this.groupStart = false;
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) return;
    if (this.fallback > 0) this.fallback--;
    else this.pending.push(parseInt(hex, 16));
  }

  /** A backslash and one character that is not a letter. */
  private controlSymbol(next: string): void {
    this.i += 2;
    const wasStart = this.groupStart;
    this.groupStart = false;
    if (next === '*' && wasStart) {
      this.state.skip = true;
      return;
    }
    if (this.fallback > 0) {
      this.fallback--;
      return;
    }
    this.flushBytes();
    if (next === '\\' || next === '{' || next === '}') this.emit(next);
    else if (next === '~') this.emit('\u00a0');
    else if (next === '_') this.emit('\u2011');
    else if (next === '\n' || next === '\r') this.endParagraph();
  }

  /** A backslash, letters, and an optional numeric parameter. */
  private controlWord(): void {
    const word = /^\\([a-zA-Z]{1,32})(-?\d{1,10})? ?/.exec(this.source.slice(this.i, this.i + 48));
    if (!word) {
      this.i++;
      return;
    }
    this.i += word[0].length;
    const name = word[1] as string;
    const parameter = word[2] === undefined ? undefined : Number(word[2]);
    const wasStart = this.groupStart;
    this.groupStart = false;
    if (name === 'bin') {
      this.flushBytes();
      this.i += Math.max(0, parameter ?? 0);
      return;
    }
    if (name === 'u' && parameter !== undefined) {
      this.flushBytes();
      this.emit(String.fromCharCode(parameter < 0 ? parameter + 65536 : parameter));
      this.fallback = this.state.unicodeSkip;
      return;
    }
    if (this.fallback > 0) {
      // A control word among the fallback characters is one of them only if it writes a character.
      if (CHARACTERS[name] !== undefined) this.fallback--;
      return;
    }
    if (wasStart && SKIPPED_DESTINATIONS.has(name)) {
      this.flushBytes();
      this.state.skip = true;
      return;
    }
    this.applyWord(name, parameter);
  }

  /** A control word that sets the code page or the bold, ends a paragraph or writes a character. */
  private applyWord(name: string, parameter: number | undefined): void {
    switch (name) {
      case 'ansicpg': {
        const page =
          parameter === 65001 ? 'utf-8' : parameter === 1252 ? 'windows-1252' : `cp${parameter ?? 1252}`;
        if (iconv.encodingExists(page)) this.codePage = page;
        break;
      }
      case 'mac':
        this.codePage = 'macintosh';
        break;
      case 'uc':
        this.state.unicodeSkip = Math.max(0, parameter ?? 1);
        break;
      case 'b':
        this.flushBytes();
        this.state.bold = parameter !== 0;
        break;
      case 'plain':
        this.flushBytes();
        this.state.bold = false;
        break;
      case 'par':
      case 'row':
      case 'sect':
      case 'page':
        this.endParagraph();
        break;
      default: {
        const character = CHARACTERS[name];
        if (character !== undefined) {
          this.flushBytes();
          this.emit(character);
        }
      }
    }
  }
}

function trimTrailingTab(paragraph: Paragraph): Paragraph {
  const last = paragraph[paragraph.length - 1];
  if (!last || !last.text.endsWith('\t')) return paragraph;
  return [...paragraph.slice(0, -1), { ...last, text: last.text.replace(/\t+$/, '') }];
}
