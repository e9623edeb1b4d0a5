/**
 * Markdown transcripts (.md): read with the `marked` lexer (CommonMark and GitHub's flavour), so
 * that what the writer meant is what the researcher reads. Headings become heading lines outside
 * any speaker turn, **strong** and *emphasis* become marks over the plain words, list items, quotes,
 * table rows and code keep one line each; the markup itself (`#`, `**`, `>`) is not part of the
 * stored text, so a quote never carries it. Line breaks inside a paragraph are kept: transcripts
 * often write one turn per line without a blank line between them.
 */
import { Lexer, type Token, type Tokens } from 'marked';
import { codePointLength } from '../../shared/offsets.ts';
import type { TextMark } from '../../shared/model.ts';
import { normaliseText } from '../../shared/text.ts';
import { parseSpeakerLine, turnsFromStarts, type Turn, type TurnStart } from '../../shared/turns.ts';
import type { Extracted } from './extracted.ts';
import { decodePlainText } from './plain-text.ts';

/** A line of the transcript being built, with its marks in code points from the line's start. */
interface Line {
  text: string;
  marks: TextMark[];
  heading?: number;
}

/** Read a Markdown file: the plain text, its speaker turns and its heading and emphasis marks. */
export function extractMarkdown(fileName: string, bytes: Uint8Array): Extracted {
  const { text: source, encoding } = decodePlainText(fileName, bytes);
  const lines: Line[] = [];
  for (const token of new Lexer({ gfm: true }).lex(source.replace(/\r\n?/g, '\n'))) {
    blockLines(token, lines, '');
  }
  return assemble(lines, encoding);
}

/** The lines one block token gives, appended to `out`; `prefix` starts each (a list bullet). */
function blockLines(token: Token, out: Line[], prefix: string): void {
  switch (token.type) {
    case 'heading': {
      const line = inlineLine((token as Tokens.Heading).tokens, prefix);
      for (const part of splitLines(line)) out.push({ ...part, heading: (token as Tokens.Heading).depth });
      return;
    }
    case 'paragraph':
      out.push(...splitLines(inlineLine((token as Tokens.Paragraph).tokens, prefix)));
      return;
    case 'text': {
      const inline = (token as Tokens.Text).tokens;
      out.push(...splitLines(inline ? inlineLine(inline, prefix) : plainLine(prefix + token.text)));
      return;
    }
    case 'blockquote':
      for (const child of (token as Tokens.Blockquote).tokens) blockLines(child, out, prefix);
      return;
    case 'list': {
      const list = token as Tokens.List;
      list.items.forEach((item, k) => {
        const bullet = list.ordered ? `${Number(list.start || 1) + k}. ` : '– ';
        item.tokens.forEach((child, j) => blockLines(child, out, j === 0 ? prefix + bullet : prefix));
      });
      return;
    }
    case 'table': {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => {
        const line: Line = { text: prefix, marks: [] };
        cells.forEach((cell, k) => {
          if (k > 0) line.text += ' | ';
          append(line, inlineLine(cell.tokens, ''));
        });
        out.push(line);
      };
      row(table.header);
      table.rows.forEach(row);
      return;
    }
    case 'code':
      out.push(...splitLines(plainLine(prefix + (token as Tokens.Code).text)));
      return;
    case 'html':
      out.push(...splitLines(plainLine(prefix + token.raw.trim())));
      return;
    default:
      // space, hr, def: nothing to read.
      return;
  }
}

function plainLine(text: string): Line {
  return { text, marks: [] };
}

/** Inline tokens as one line (possibly holding line breaks), with strong and emphasis marks. */
function inlineLine(tokens: readonly Token[], prefix: string): Line {
  const line: Line = { text: prefix, marks: [] };
  inline(tokens, line);
  return line;
}

function inline(tokens: readonly Token[], line: Line): void {
  for (const token of tokens) {
    switch (token.type) {
      case 'strong':
        withMark(line, 'strong', (token as Tokens.Strong).tokens);
        break;
      case 'em':
        withMark(line, 'emphasis', (token as Tokens.Em).tokens);
        break;
      case 'link':
      case 'del':
        inline((token as Tokens.Link | Tokens.Del).tokens, line);
        break;
      case 'text': {
        const nested = (token as Tokens.Text).tokens;
        if (nested) inline(nested, line);
        else line.text += decodeEntities(token.text);
        break;
      }
      case 'image':
        line.text += (token as Tokens.Image).text;
        break;
      case 'br':
        line.text += '\n';
        break;
      case 'codespan':
        line.text += decodeEntities((token as Tokens.Codespan).text);
        break;
      case 'escape':
        line.text += decodeEntities(token.text);
        break;
      default:
        line.text += 'text' in token && typeof token.text === 'string' ? token.text : token.raw;
    }
  }
}

/** The words of `tokens` appended to `line` under one mark (marks nest: *très **fort***). */
function withMark(line: Line, kind: 'strong' | 'emphasis', tokens: readonly Token[]): void {
  const from = codePointLength(line.text);
  inline(tokens, line);
  const to = codePointLength(line.text);
  if (to > from) line.marks.push({ start: from, end: to, kind });
}

/** The lexer leaves `&amp;`, `&lt;`… in text it would render as HTML; the transcript wants characters. */
function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) =>
    name === 'amp' ? '&' : name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'quot' ? '"' : "'",
  );
}

function append(line: Line, other: Line): void {
  const shift = codePointLength(line.text);
  line.text += other.text;
  for (const mark of other.marks)
    line.marks.push({ ...mark, start: mark.start + shift, end: mark.end + shift });
}

/** A line holding line breaks, as one line per break, its marks cut accordingly. */
function splitLines(line: Line): Line[] {
  const out: Line[] = [];
  let at = 0;
  for (const text of line.text.split('\n')) {
    const length = codePointLength(text);
    const marks = line.marks.flatMap((m) => {
      const start = Math.max(m.start, at);
      const end = Math.min(m.end, at + length);
      return end > start ? [{ ...m, start: start - at, end: end - at }] : [];
    });
    out.push({ text, marks });
    at += length + 1;
  }
  return out;
}

/**
 * The lines laid out as the stored text: turns open where a line starts with a speaker label (bold
 * or plain, as in other formats) and end at the next turn or the next heading; headings are marks.
 */
function assemble(lines: readonly Line[], encoding: string): Extracted {
  const texts: string[] = [];
  const marks: TextMark[] = [];
  const starts: TurnStart[] = [];
  const headingStarts: number[] = [];
  let offset = 0;
  for (const raw of lines) {
    const line = normalisedLine(raw);
    const text = line.text;
    if (text.trim() === '') continue;
    const length = codePointLength(text);
    if (line.heading !== undefined) {
      headingStarts.push(offset);
      marks.push({ start: offset, end: offset + length, kind: 'heading', level: line.heading });
    } else {
      const speaker = parseSpeakerLine(withStrongMarked(text, line.marks));
      if (speaker) {
        starts.push(
          speaker.time === undefined
            ? { start: offset, speaker: speaker.speaker }
            : { start: offset, speaker: speaker.speaker, time: speaker.time },
        );
      }
    }
    for (const mark of line.marks)
      marks.push({ ...mark, start: offset + mark.start, end: offset + mark.end });
    texts.push(text);
    offset += length + 1;
  }
  const text = texts.join('\n');
  const turns = endAtHeadings(turnsFromStarts(text, starts), headingStarts);
  return { text, encoding, turns, marks: marks.sort((a, b) => a.start - b.start || a.end - b.end) };
}

/**
 * The line in normal form (NFC), its marks moved with the words: each stretch between mark ends is
 * normalised on its own, so composing « e » and its accent never moves a mark across a character.
 * Where composition crosses a mark's end (an accent alone inside the markup), the marks are clamped.
 */
function normalisedLine(line: Line): Line {
  const chars = Array.from(line.text);
  const cuts = [...new Set([0, chars.length, ...line.marks.flatMap((m) => [m.start, m.end])])].sort(
    (a, b) => a - b,
  );
  const moved = new Map<number, number>([[0, 0]]);
  let text = '';
  for (let k = 1; k < cuts.length; k++) {
    text += normaliseText(chars.slice(cuts[k - 1], cuts[k]).join(''));
    moved.set(cuts[k] as number, codePointLength(text));
  }
  const whole = normaliseText(text);
  const length = codePointLength(whole);
  const marks = line.marks.flatMap((m) => {
    const start = Math.min(moved.get(m.start) ?? 0, length);
    const end = Math.min(moved.get(m.end) ?? length, length);
    return end > start ? [{ ...m, start, end }] : [];
  });
  return { ...line, text: whole, marks };
}

/** The line with a bold run at its start written `**…**` again, so the speaker rule applies. */
function withStrongMarked(text: string, marks: readonly TextMark[]): string {
  const lead = marks.find((m) => m.kind === 'strong' && m.start === 0);
  if (!lead) return text;
  const chars = Array.from(text);
  return `**${chars.slice(0, lead.end).join('')}**${chars.slice(lead.end).join('')}`;
}

/** Turns cut before the first heading inside them (trailing line breaks left out). */
function endAtHeadings(turns: readonly Turn[], headingStarts: readonly number[]): Turn[] {
  return turns.map((turn) => {
    const heading = headingStarts.find((h) => h > turn.start && h < turn.end);
    if (heading === undefined) return turn;
    // The heading's line starts after a line break: the turn ends before that break.
    return { ...turn, end: heading - 1 };
  });
}
