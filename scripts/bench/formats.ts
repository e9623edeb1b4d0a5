/**
 * One generated interview written as the files researchers upload: plain text in UTF-8 and in
 * Windows-1252 (CRLF, as old Notepad saved it), Word (.docx, bold speaker names), OpenDocument
 * (.odt, likewise), WebVTT and SubRip. PDF files are made from the .docx by LibreOffice
 * (`pdfFiles`), as a researcher's « Save as PDF » would.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { strToU8, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { clock, interviewText, type Interview } from './french.ts';

export const IMPORT_FORMATS = [
  'txt (UTF-8)',
  'txt (Windows-1252)',
  'docx',
  'odt',
  'vtt',
  'srt',
  'pdf',
] as const;
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

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function odtFile(interview: Interview): Uint8Array {
  const paragraphs = interview.turns.map(
    (turn) =>
      `<text:p><text:span text:style-name="T1">${escapeXml(turn.speaker)}\u00a0:</text:span> ${escapeXml(turn.sentences.join(' '))}</text:p>`,
  );
  const content = `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">
<office:automatic-styles><style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style></office:automatic-styles>
<office:body><office:text>
<text:h text:outline-level="1">${escapeXml(interview.title)}</text:h>
${paragraphs.join('\n')}
</office:text></office:body></office:document-content>`;
  return zipSync({
    mimetype: [strToU8('application/vnd.oasis.opendocument.text'), { level: 0 }],
    'content.xml': strToU8(content),
    'META-INF/manifest.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
    ),
  });
}

const run = promisify(execFile);

/**
 * PDF files of the interviews, converted from their .docx by LibreOffice in one batch, or
 * `undefined` when LibreOffice (`soffice`) is not installed.
 */
export async function pdfFiles(interviews: readonly Interview[]): Promise<Uint8Array[] | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-bench-pdf-'));
  try {
    const inputs: string[] = [];
    for (const [i, interview] of interviews.entries()) {
      const path = join(dir, `entretien-${i + 1}.docx`);
      await writeFile(path, await docxFile(interview));
      inputs.push(path);
    }
    try {
      await run(
        'soffice',
        [
          `-env:UserInstallation=file://${join(dir, 'profile')}`,
          '--headless',
          '--convert-to',
          'pdf',
          '--outdir',
          dir,
          ...inputs,
        ],
        { timeout: 600_000 },
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return Promise.all(
      inputs.map(async (path) => new Uint8Array(await readFile(path.replace(/\.docx$/, '.pdf')))),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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

/** The file of `interview` in `format`, with the name an upload would carry (PDF: see `pdfFiles`). */
export async function interviewFile(
  interview: Interview,
  format: Exclude<ImportFormatName, 'pdf'>,
  base: string,
): Promise<{ name: string; bytes: Uint8Array }> {
  switch (format) {
    case 'txt (UTF-8)':
      return { name: `${base}.txt`, bytes: utf8Text(interview) };
    case 'txt (Windows-1252)':
      return { name: `${base}.txt`, bytes: windows1252Text(interview) };
    case 'docx':
      return { name: `${base}.docx`, bytes: await docxFile(interview) };
    case 'odt':
      return { name: `${base}.odt`, bytes: odtFile(interview) };
    case 'vtt':
      return { name: `${base}.vtt`, bytes: vttFile(interview) };
    case 'srt':
      return { name: `${base}.srt`, bytes: srtFile(interview) };
  }
}
