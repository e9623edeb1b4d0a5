import { DomainError } from '../../shared/errors.ts';
import { normaliseText } from '../../shared/text.ts';
import { orderSyncPoints, syncPointsOfTurns } from '../../shared/sync-points.ts';
import type { SyncPoint } from '../../shared/sync-points.ts';
import { detectTurns } from '../../shared/turns.ts';
import type { Turn } from '../../shared/turns.ts';
import type { TextMark } from '../../shared/model.ts';
import { extractDocx } from './docx.ts';
import type { Extracted } from './extracted.ts';
import { unprocessable } from './extracted.ts';
import { extractHtml } from './html.ts';
import { extractMarkdown } from './markdown.ts';
import { extractOdt } from './odt.ts';
import { extractPdf } from './pdf.ts';
import { decodePlainText } from './plain-text.ts';
import { extractRtf } from './rtf.ts';
import { extractSubtitles } from './subtitles.ts';
import { stripTimestamps } from './timestamps.ts';

export type ImportFormat = 'txt' | 'md' | 'docx' | 'odt' | 'rtf' | 'html' | 'htm' | 'vtt' | 'srt' | 'pdf';

/** A file turned into a document's text. */
export interface ImportedText {
  /** The normalised text (NFC, LF line ends, no BOM), stored once and never changed. */
  text: string;
  /** Speaker turns, in code points of `text`. */
  turns: Turn[];
  /** Where the recording's times fall in `text`, ordered by position and by time. */
  syncPoints: SyncPoint[];
  /** Headings and emphasis (Markdown), in code points of `text`; empty for other formats. */
  marks: TextMark[];
  format: ImportFormat;
  /**
   * How the text was encoded: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252' for
   * plain text, subtitles and HTML, 'utf-8' for .docx and .odt (XML), 'pdf' for a PDF's text layer,
   * the code page of an .rtf ('windows-1252', 'cp1250', …).
   */
  encoding: string;
  /** The uploaded bytes, untouched. */
  original: Uint8Array;
}

export const DEFAULT_MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/** Matches a surrogate that is not part of a pair (with the `u` flag, a pair is one code point). */
const LONE_SURROGATE = /\p{Cs}/u;

const FORMATS: readonly ImportFormat[] = [
  'txt',
  'md',
  'docx',
  'odt',
  'rtf',
  'html',
  'htm',
  'vtt',
  'srt',
  'pdf',
];
const ACCEPTED = FORMATS.map((format) => `.${format}`).join(' ');

/**
 * Turn an uploaded file into normalised text and speaker turns, choosing the importer by the
 * file's extension (case-insensitive).
 * @throws DomainError `payload_too_large` over `maxBytes` (20 Mo by default),
 *   `unsupported_media_type` for another extension, `unprocessable` for an empty, damaged,
 *   protected or image-only file. Every message names the file.
 */
export async function importFile(
  fileName: string,
  bytes: Uint8Array,
  options: { maxBytes?: number } = {},
): Promise<ImportedText> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  if (bytes.length > maxBytes) {
    throw new DomainError(
      'payload_too_large',
      `Le fichier « ${fileName} » est trop volumineux (${formatMegabytes(bytes.length)}) : la limite est de ${formatMegabytes(maxBytes)}.`,
      { file: fileName },
    );
  }
  const format = formatOf(fileName);
  if (!format) {
    throw new DomainError(
      'unsupported_media_type',
      `Le format du fichier « ${fileName} » n'est pas pris en charge. Formats acceptés : ${ACCEPTED}.`,
      { file: fileName },
    );
  }
  if (bytes.length === 0) throw unprocessable(fileName, 'est vide.');
  let extracted: Extracted;
  try {
    extracted = await extract(fileName, bytes, format);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    // A library failed in a way the importer did not foresee: report it as unreadable, never raw.
    throw unprocessable(fileName, "n'a pas pu être lu : il est peut-être endommagé.");
  }
  const text = normaliseText(extracted.text);
  if (text.trim() === '') throw unprocessable(fileName, 'ne contient aucun texte.');
  // A lone surrogate (invalid UTF-16, or a character reference to one) is no character: it could
  // not be written to disk as it is, nor counted as a code point the same way everywhere.
  if (LONE_SURROGATE.test(text)) {
    throw unprocessable(
      fileName,
      'contient des caractères invalides (moitié de paire de substitution UTF-16).',
    );
  }
  // NUL is no character of a transcript either, and PostgreSQL cannot store it.
  if (text.includes('\0')) {
    throw unprocessable(fileName, 'contient des caractères nuls (U+0000) : est-ce bien un texte ?');
  }
  // Turns an importer found are only valid if normalising did not move anything.
  const found = extracted.turns && text === extracted.text;
  const turns = found && extracted.turns ? [...extracted.turns] : detectTurns(text);
  const marks = extracted.marks && text === extracted.text ? [...extracted.marks] : [];
  if (STAMPED.has(format)) {
    // Only Markdown gives marks, and Markdown keeps its lines as written: no stamped format has any.
    const stripped = stripTimestamps(text, turns);
    if (stripped.text.trim() === '') throw unprocessable(fileName, 'ne contient aucun texte.');
    return { ...stripped, marks: [], format, encoding: extracted.encoding, original: bytes };
  }
  const syncPoints =
    found && extracted.syncPoints ? orderSyncPoints(extracted.syncPoints) : syncPointsOfTurns(turns);
  return { text, turns, marks, syncPoints, format, encoding: extracted.encoding, original: bytes };
}

/**
 * A text sent as it is (a JSON body) made a document's text as a file's is: normalised once, its
 * speaker turns detected, their times its only sync points. No timestamp is taken out of it: it
 * is stored as it was sent.
 */
export function importSentText(sent: string): Omit<ImportedText, 'original'> {
  const text = normaliseText(sent);
  const turns = detectTurns(text);
  return { text, turns, syncPoints: syncPointsOfTurns(turns), marks: [], format: 'txt', encoding: 'utf-8' };
}

/** Formats whose lines may carry a transcription tool's timestamps, taken out as sync points. */
const STAMPED: ReadonlySet<ImportFormat> = new Set(['txt', 'docx', 'odt', 'rtf', 'html', 'htm']);

function formatOf(fileName: string): ImportFormat | undefined {
  const dot = fileName.lastIndexOf('.');
  const extension = dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
  return FORMATS.find((format) => format === extension);
}

function extract(fileName: string, bytes: Uint8Array, format: ImportFormat): Promise<Extracted> | Extracted {
  switch (format) {
    case 'txt':
      return decodePlainText(fileName, bytes);
    case 'md':
      return extractMarkdown(fileName, bytes);
    case 'docx':
      return extractDocx(fileName, bytes);
    case 'odt':
      return extractOdt(fileName, bytes);
    case 'rtf':
      return extractRtf(fileName, bytes);
    case 'html':
    case 'htm':
      return extractHtml(fileName, bytes);
    case 'vtt':
    case 'srt':
      return extractSubtitles(fileName, bytes, format);
    case 'pdf':
      return extractPdf(fileName, bytes);
  }
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}
