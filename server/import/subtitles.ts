import { codePointLength } from '../../shared/offsets.ts';
import { normaliseText } from '../../shared/text.ts';
import { parseSpeakerLine, parseTimestamp, turnsFromStarts } from '../../shared/turns.ts';
import type { TurnStart } from '../../shared/turns.ts';
import { orderSyncPoints } from '../../shared/sync-points.ts';
import type { SyncPoint } from '../../shared/sync-points.ts';
import type { Extracted } from './extracted.ts';
import { unprocessable } from './extracted.ts';
import { decodePlainText } from './plain-text.ts';

/** One cue, or the part of a cue spoken by one voice. */
export interface Cue {
  /** Start of the cue in the recording, in seconds. */
  readonly start: number;
  /** '' when the cue names nobody. */
  readonly speaker: string;
  readonly text: string;
}

const TIMING = /^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})/;

/**
 * Read a WebVTT or SubRip file into a transcript: one paragraph per turn, `Speaker : text`, turns
 * spanning exactly their paragraph, with the time of their first cue.
 */
export function extractSubtitles(fileName: string, bytes: Uint8Array, format: 'vtt' | 'srt'): Extracted {
  const decoded = decodePlainText(fileName, bytes);
  const source = normaliseText(decoded.text);
  const cues = format === 'vtt' ? parseVtt(fileName, source) : parseSrt(fileName, source);
  if (cues.length === 0) throw unprocessable(fileName, 'ne contient aucun sous-titre lisible.');
  return { ...cuesToTranscript(cues), encoding: decoded.encoding };
}

/**
 * WebVTT: the header, NOTE, STYLE and REGION blocks are skipped, cue identifiers and settings
 * ignored. The speaker comes from a `<v Name>` voice tag, else from a `Name :` prefix; other tags
 * are stripped and character references decoded, so an escaped `&lt;script&gt;` stays literal text.
 */
export function parseVtt(fileName: string, text: string): Cue[] {
  const blocks = text.split(/\n[ \t]*\n/);
  if (!/^WEBVTT(?:[ \t]|$)/.test(blocks[0] ?? '')) {
    throw unprocessable(fileName, "n'est pas un fichier WebVTT : il doit commencer par « WEBVTT ».");
  }
  return blocks.slice(1).flatMap((block) => {
    if (/^(?:NOTE|STYLE|REGION)(?:\s|$)/.test(block)) return [];
    return parseCueBlock(block, vttPayloadLine);
  });
}

/** SubRip: numbered blocks; `<i>`, `<b>`, `<u>`, `<font>` and `{\an8}` codes are stripped, anything else kept. */
export function parseSrt(fileName: string, text: string): Cue[] {
  const blocks = text.split(/\n[ \t]*\n/).filter((block) => block.trim() !== '');
  const cues = blocks.flatMap((block) => parseCueBlock(block, srtPayloadLine));
  if (cues.length === 0 && blocks.length > 0) {
    throw unprocessable(
      fileName,
      "n'est pas un fichier SubRip (.srt) : aucun minutage « 00:00:01,000 --> … ».",
    );
  }
  return cues;
}

interface PayloadLine {
  readonly voice?: string;
  readonly text: string;
}

function parseCueBlock(block: string, readLine: (line: string) => PayloadLine): Cue[] {
  const lines = block.split('\n');
  const timingAt = lines.findIndex((line) => line.includes('-->'));
  const timing = timingAt >= 0 && timingAt <= 1 ? TIMING.exec(lines[timingAt] ?? '') : null;
  if (!timing) return [];
  const start = parseTimestamp((timing[1] ?? '').replace(',', '.'));
  // Within a cue, each line that names a voice starts a new part; other lines continue the part.
  // A `Name :` prefix counts only on the cue's first line or after a dialogue dash, and never in
  // a cue that uses <v> voice tags: a wrapped line may well begin with « Théâtre des Lilas : ».
  const parts: { speaker: string; words: string[] }[] = [];
  let voiced = false;
  for (const [index, raw] of lines.slice(timingAt + 1).entries()) {
    const { voice, text } = readLine(raw);
    voiced ||= voice !== undefined;
    const dialogue = /^\s*[-–—]\s*/.exec(text);
    const offset = dialogue?.[0].length ?? 0;
    const mayName = !voiced && (index === 0 || dialogue !== null);
    const named = voice === undefined && mayName ? parseSpeakerLine(text.slice(offset)) : undefined;
    const speaker = voice ?? (named?.speaker || undefined);
    const words = (named?.speaker ? text.slice(offset + named.contentStart) : text).trim();
    const current = parts[parts.length - 1];
    if (speaker !== undefined || !current) parts.push({ speaker: speaker ?? '', words: [] });
    if (words !== '') parts[parts.length - 1]?.words.push(words);
  }
  return parts
    .filter((part) => part.words.length > 0)
    .map((part) => ({ start, speaker: part.speaker, text: part.words.join(' ') }));
}

function vttPayloadLine(line: string): PayloadLine {
  const voice = /<v(?:\.[^\s>]*)?[ \t]+([^>]+)>/.exec(line);
  const text = decodeReferences(line.replace(/<[^>]*>/g, ''));
  return voice ? { voice: decodeReferences(voice[1] ?? '').trim(), text } : { text };
}

function srtPayloadLine(line: string): PayloadLine {
  return { text: line.replace(/<\/?(?:i|b|u|font)(?:\s[^>]*)?>|\{\\[^}]*\}/gi, '') };
}

const NAMED_REFERENCES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  lrm: '\u200e',
  rlm: '\u200f',
};

function decodeReferences(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_REFERENCES[ref.toLowerCase()] ?? whole;
  });
}

/**
 * Lay cues out as paragraphs separated by a blank line. Consecutive cues of the same speaker join
 * into one paragraph (their texts separated by spaces). A cue that names nobody keeps a paragraph
 * and a turn of its own, with speaker '': joining them would lose the times that let a researcher
 * find the passage in the recording.
 */
export function cuesToTranscript(cues: readonly Cue[]): {
  text: string;
  turns: ReturnType<typeof turnsFromStarts>;
  syncPoints: SyncPoint[];
} {
  const groups: { speaker: string; start: number; cues: Cue[] }[] = [];
  for (const cue of cues) {
    const last = groups[groups.length - 1];
    if (last && cue.speaker !== '' && last.speaker === cue.speaker) last.cues.push(cue);
    else groups.push({ speaker: cue.speaker, start: cue.start, cues: [cue] });
  }
  const paragraphs: string[] = [];
  const starts: TurnStart[] = [];
  const points: SyncPoint[] = [];
  let offset = 0;
  for (const group of groups) {
    // Each cue's words start a sync point, so a merged turn keeps every cue's time.
    let paragraph = group.speaker === '' ? '' : normaliseText(`${group.speaker} : `);
    group.cues.forEach((cue, i) => {
      if (i > 0) paragraph += ' ';
      points.push({ position: offset + codePointLength(paragraph), time: cue.start });
      paragraph += normaliseText(cue.text);
    });
    starts.push({ start: offset, speaker: group.speaker, time: group.start });
    paragraphs.push(paragraph);
    offset += codePointLength(paragraph) + 2;
  }
  const text = paragraphs.join('\n\n');
  return { text, turns: turnsFromStarts(text, starts), syncPoints: orderSyncPoints(points) };
}
