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
  let codePage = 'windows-1252';
  const paragraphs: Paragraph[] = [];
  let runs: Run[] = [];
  const stack: GroupState[] = [];
  let state: GroupState = { bold: false, skip: false, unicodeSkip: 1 };
  /** Bytes of `\'xx` escapes waiting to be decoded together (a multi-byte code page needs them so). */
  let pending: number[] = [];
  /** Fallback characters still to skip after a `\uN`. */
  let fallback = 0;
  /** Whether the next control word opens the group as its destination. */
  let groupStart = false;

  const emit = (text: string) => {
    if (state.skip || text === '') return;
    const last = runs[runs.length - 1];
    if (last && last.bold === state.bold) runs[runs.length - 1] = { text: last.text + text, bold: last.bold };
    else runs.push({ text, bold: state.bold });
  };
  const flushBytes = () => {
    if (pending.length === 0) return;
    emit(iconv.decode(Buffer.from(pending), codePage));
    pending = [];
  };
  const endParagraph = () => {
    flushBytes();
    if (!state.skip) {
      paragraphs.push(runs);
      runs = [];
    }
  };

  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    if (char === '{') {
      flushBytes();
      stack.push(state);
      state = { ...state };
      groupStart = true;
      fallback = 0;
      i++;
      continue;
    }
    if (char === '}') {
      flushBytes();
      state = stack.pop() ?? state;
      groupStart = false;
      fallback = 0;
      i++;
      continue;
    }
    if (char === '\r' || char === '\n') {
      i++;
      continue;
    }
    if (char !== '\\') {
      groupStart = false;
      if (fallback > 0) {
        fallback--;
      } else {
        const code = char.charCodeAt(0);
        if (code >= 0x80) pending.push(code);
        else {
          flushBytes();
          emit(char);
        }
      }
      i++;
      continue;
    }
    // A control symbol or a control word.
    const next = source[i + 1] ?? '';
    if (next === "'") {
      const hex = source.slice(i + 2, i + 4);
      i += 4;
      groupStart = false;
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) continue;
      if (fallback > 0) fallback--;
      else pending.push(parseInt(hex, 16));
      continue;
    }
    if (!/[a-zA-Z]/.test(next)) {
      i += 2;
      const wasStart = groupStart;
      groupStart = false;
      if (next === '*' && wasStart) {
        state.skip = true;
        continue;
      }
      if (fallback > 0) {
        fallback--;
        continue;
      }
      flushBytes();
      if (next === '\\' || next === '{' || next === '}') emit(next);
      else if (next === '~') emit('\u00a0');
      else if (next === '_') emit('\u2011');
      else if (next === '\n' || next === '\r') endParagraph();
      continue;
    }
    const word = /^\\([a-zA-Z]{1,32})(-?\d{1,10})? ?/.exec(source.slice(i, i + 48));
    if (!word) {
      i++;
      continue;
    }
    i += word[0].length;
    const name = word[1] as string;
    const parameter = word[2] === undefined ? undefined : Number(word[2]);
    const wasStart = groupStart;
    groupStart = false;
    if (name === 'bin') {
      flushBytes();
      i += Math.max(0, parameter ?? 0);
      continue;
    }
    if (name === 'u' && parameter !== undefined) {
      flushBytes();
      emit(String.fromCharCode(parameter < 0 ? parameter + 65536 : parameter));
      fallback = state.unicodeSkip;
      continue;
    }
    if (fallback > 0) {
      // A control word among the fallback characters is one of them only if it writes a character.
      if (CHARACTERS[name] !== undefined) fallback--;
      continue;
    }
    if (wasStart && SKIPPED_DESTINATIONS.has(name)) {
      flushBytes();
      state.skip = true;
      continue;
    }
    switch (name) {
      case 'ansicpg': {
        const page =
          parameter === 65001 ? 'utf-8' : parameter === 1252 ? 'windows-1252' : `cp${parameter ?? 1252}`;
        if (iconv.encodingExists(page)) codePage = page;
        break;
      }
      case 'mac':
        codePage = 'macintosh';
        break;
      case 'uc':
        state.unicodeSkip = Math.max(0, parameter ?? 1);
        break;
      case 'b':
        flushBytes();
        state.bold = parameter !== 0;
        break;
      case 'plain':
        flushBytes();
        state.bold = false;
        break;
      case 'par':
      case 'row':
      case 'sect':
      case 'page':
        endParagraph();
        break;
      default: {
        const character = CHARACTERS[name];
        if (character !== undefined) {
          flushBytes();
          emit(character);
        }
      }
    }
  }
  flushBytes();
  if (runs.length > 0) paragraphs.push(runs);
  // A table row ends with a \cell before its \row: drop the tab that would trail each row.
  const cleaned = paragraphs.map((paragraph) => trimTrailingTab(paragraph));
  return paragraphsToText(cleaned, codePage === 'windows-1252' ? 'windows-1252' : codePage);
}

function trimTrailingTab(paragraph: Paragraph): Paragraph {
  const last = paragraph[paragraph.length - 1];
  if (!last || !last.text.endsWith('\t')) return paragraph;
  return [...paragraph.slice(0, -1), { ...last, text: last.text.replace(/\t+$/, '') }];
}
