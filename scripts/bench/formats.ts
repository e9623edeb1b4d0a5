/**
 * One generated interview written as the files researchers upload: plain text in UTF-8 and in
 * Windows-1252 (CRLF, as old Notepad saved it), Word (.docx, bold speaker names), WebVTT and SubRip.
 */
import { Document, Packer, Paragraph, TextRun } from 'docx';
import iconv from 'iconv-lite';
import { clock, interviewText, type Interview } from './french.ts';

export const IMPORT_FORMATS = ['txt (UTF-8)', 'txt (Windows-1252)', 'docx', 'vtt', 'srt'] as const;
export type ImportFormatName = (typeof IMPORT_FORMATS)[number];

export function utf8Text(interview: Interview): Uint8Array {
  return new TextEncoder().encode(interviewText(interview));
}

/** The interview must have been generated without emoji: Windows-1252 cannot encode them. */
export function windows1252Text(interview: Interview): Uint8Array {
  const text = interviewText(interview).replace(/\n/g, '\r\n');
  const bytes = iconv.encode(text, 'windows-1252');
  if (iconv.decode(bytes, 'windows-1252') !== text) {
    throw new Error('windows1252Text: the interview holds characters Windows-1252 cannot encode');
  }
  return new Uint8Array(bytes);
}

export async function docxFile(interview: Interview): Promise<Uint8Array> {
  const paragraphs = [
    new Paragraph({ children: [new TextRun({ text: interview.title, bold: true })] }),
    ...interview.turns.map(
      (turn) =>
        new Paragraph({
          children: [
            new TextRun({ text: `${turn.speaker}\u00a0:`, bold: true }),
            new TextRun(` ${turn.sentences.join(' ')}`),
          ],
        }),
    ),
  ];
  const doc = new Document({ creator: 'Verbatim bench', sections: [{ children: paragraphs }] });
  return new Uint8Array(await Packer.toBuffer(doc));
}

/** Cues of one or two sentences, as speech-to-text tools cut them. */
function cues(interview: Interview): { speaker: string; start: number; end: number; text: string }[] {
  const out: { speaker: string; start: number; end: number; text: string }[] = [];
  for (const turn of interview.turns) {
    let time = turn.time;
    for (let i = 0; i < turn.sentences.length; i += 2) {
      const text = turn.sentences.slice(i, i + 2).join(' ');
      const duration = Math.max(1, Math.round(text.split(' ').length / 2.5));
      out.push({ speaker: turn.speaker, start: time, end: time + duration - 0.25, text });
      time += duration;
    }
  }
  return out;
}

function stamp(seconds: number, decimal: string): string {
  const ms = Math.round((seconds % 1) * 1000);
  return `${clock(Math.floor(seconds))}${decimal}${String(ms).padStart(3, '0')}`;
}

export function vttFile(interview: Interview): Uint8Array {
  const blocks = cues(interview).map(
    (cue, i) =>
      `${i + 1}\n${stamp(cue.start, '.')} --> ${stamp(cue.end, '.')}\n<v ${cue.speaker}>${cue.text}</v>`,
  );
  return new TextEncoder().encode(`WEBVTT\n\n${blocks.join('\n\n')}\n`);
}

export function srtFile(interview: Interview): Uint8Array {
  const blocks = cues(interview).map(
    (cue, i) => `${i + 1}\n${stamp(cue.start, ',')} --> ${stamp(cue.end, ',')}\n${cue.speaker}: ${cue.text}`,
  );
  return new TextEncoder().encode(`${blocks.join('\n\n')}\n`);
}

/** The file of `interview` in `format`, with the name an upload would carry. */
export async function interviewFile(
  interview: Interview,
  format: ImportFormatName,
  base: string,
): Promise<{ name: string; bytes: Uint8Array }> {
  switch (format) {
    case 'txt (UTF-8)':
      return { name: `${base}.txt`, bytes: utf8Text(interview) };
    case 'txt (Windows-1252)':
      return { name: `${base}.txt`, bytes: windows1252Text(interview) };
    case 'docx':
      return { name: `${base}.docx`, bytes: await docxFile(interview) };
    case 'vtt':
      return { name: `${base}.vtt`, bytes: vttFile(interview) };
    case 'srt':
      return { name: `${base}.srt`, bytes: srtFile(interview) };
  }
}
