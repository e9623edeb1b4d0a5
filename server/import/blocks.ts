import { codePointLength } from '../../shared/offsets.ts';
import { normaliseText } from '../../shared/text.ts';
import { parseSpeakerLine, turnsFromStarts } from '../../shared/turns.ts';
import type { TurnStart } from '../../shared/turns.ts';
import type { Extracted } from './extracted.ts';

/** A run of text inside a paragraph, and whether the document shows it in bold. */
export interface Run {
  readonly text: string;
  readonly bold: boolean;
}

/** A paragraph (or list item, or table row) of a word-processor document, as runs. */
export type Paragraph = readonly Run[];

/**
 * Lay paragraphs out one per line and find their speakers. A paragraph opens a turn when it starts
 * with a bold label followed by a colon (« **Camille Martin :** », « **Camille Martin** : ») or with
 * a plain label that {@link parseSpeakerLine} accepts (« Q : »).
 */
export function paragraphsToText(paragraphs: readonly Paragraph[], encoding: string): Extracted {
  const lines: string[] = [];
  const starts: TurnStart[] = [];
  let offset = 0;
  for (const paragraph of paragraphs) {
    // Each line is normalised on its own; a line never starts with a combining mark that could
    // compose across the newline, so the joined text is normalised too.
    const line = normaliseText(paragraph.map((run) => run.text).join(''));
    if (line.trim() === '') continue;
    const speaker = parseSpeakerLine(withBoldMarked(paragraph));
    if (speaker) {
      starts.push(
        speaker.time === undefined
          ? { start: offset, speaker: speaker.speaker }
          : { start: offset, speaker: speaker.speaker, time: speaker.time },
      );
    }
    lines.push(line);
    offset += codePointLength(line) + 1;
  }
  const text = lines.join('\n');
  return { text, encoding, turns: turnsFromStarts(text, starts) };
}

/** The paragraph with its leading bold runs wrapped in `**`, so that the Markdown rule applies. */
function withBoldMarked(paragraph: Paragraph): string {
  let out = '';
  let bold = '';
  let leading = true;
  for (const run of paragraph) {
    if (leading && run.bold && !run.text.includes('*')) {
      bold += run.text;
      continue;
    }
    if (leading && bold === '' && run.text.trim() === '') {
      out += run.text;
      continue;
    }
    if (leading && bold.trim() !== '') out += `**${bold.trim()}**` + (/\s$/.test(bold) ? ' ' : '');
    else out += bold;
    leading = false;
    out += run.text;
  }
  if (leading && bold.trim() !== '') out += `**${bold.trim()}**`;
  return normaliseText(out);
}
