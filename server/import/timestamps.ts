import { CodePointIndex, codePointLength } from '../../shared/offsets.ts';
import { orderSyncPoints } from '../../shared/sync-points.ts';
import type { SyncPoint } from '../../shared/sync-points.ts';
import type { Turn } from '../../shared/turns.ts';
import { parseTimestamp } from '../../shared/turns.ts';

const SP = '[ \\t\\u00a0\\u202f]';
const CLOCK = String.raw`(?:\d{1,2}:)?\d{1,2}:\d{2}`;
/**
 * The timestamps transcription tools write into text: f4/f5transkript `#00:01:23-4#` (the digit
 * after the dash is tenths of a second), `[00:01:23]`, `[01:23]`, `(00:01:23)`, with an optional
 * fraction `[00:01:23.5]`.
 */
const STAMP = String.raw`#(${CLOCK})(?:-(\d))?#|\[(${CLOCK}(?:[.,]\d{1,3})?)\]|\((${CLOCK}(?:[.,]\d{1,3})?)\)`;
const LEADING = new RegExp(`^(${SP}*)(?:${STAMP})${SP}*(?:[-–—]${SP}+)?`);
const TRAILING = new RegExp(`${SP}*(?:${STAMP})${SP}*$`);

function secondsOf(match: RegExpExecArray, first: number): number {
  const f4 = match[first];
  if (f4 !== undefined) return parseTimestamp(f4) + Number(match[first + 1] ?? 0) / 10;
  return parseTimestamp((match[first + 2] ?? match[first + 3] ?? '').replace(',', '.'));
}

/** What {@link stripTimestamps} gives back: the text without its timestamps, and where they were. */
export interface Stripped {
  readonly text: string;
  readonly turns: Turn[];
  readonly syncPoints: SyncPoint[];
}

/**
 * Take the timestamps at the start or end of each line out of a normalised text and keep them as
 * sync points. A timestamp at a line's start gives the time where its words start; one at a line's
 * end (f4transkript closes each paragraph so) gives the time where the next words start. Turns, in
 * code points of `text`, are moved to the new text; a turn that had no time takes that of a sync
 * point at its start, and every turn time is a sync point too (« Nom [00:12:34] : » stays in the
 * text: it is part of the label).
 * @example stripTimestamps('#00:00:02-5# Q : Oui ?', []).syncPoints → [{position: 0, time: 2.5}]
 */
export function stripTimestamps(text: string, turns: readonly Turn[]): Stripped {
  const lines = text.split('\n');
  const out: string[] = [];
  /** Removed ranges [start, end) in code points of the old text, in order. */
  const removed: { start: number; end: number }[] = [];
  const points: SyncPoint[] = [];
  /** A line-end time waiting for the next words. */
  let pending: number | undefined;
  let oldOffset = 0;
  let newOffset = 0;
  lines.forEach((line, i) => {
    let kept = line;
    let leadingTime: number | undefined;
    let trailingTime: number | undefined;
    const leading = LEADING.exec(kept);
    if (leading) {
      leadingTime = secondsOf(leading, 2);
      const indent = (leading[1] ?? '').length;
      removed.push({ start: oldOffset + indent, end: oldOffset + codePointLength(leading[0]) });
      kept = kept.slice(0, indent) + kept.slice(leading[0].length);
    }
    const trailing = TRAILING.exec(kept);
    if (trailing) {
      trailingTime = secondsOf(trailing, 1);
      const cut = codePointLength(kept.slice(0, trailing.index));
      const shift = codePointLength(line) - codePointLength(kept);
      removed.push({ start: oldOffset + shift + cut, end: oldOffset + codePointLength(line) });
      kept = kept.slice(0, trailing.index);
    }
    const indent = /^\s*/.exec(kept)?.[0].length ?? 0;
    const wordsAt = newOffset + indent;
    if (kept.trim() !== '') {
      if (leadingTime !== undefined) points.push({ position: wordsAt, time: leadingTime });
      if (pending !== undefined) points.push({ position: wordsAt, time: pending });
      pending = undefined;
    } else if (leadingTime !== undefined) {
      pending = leadingTime;
    }
    if (trailingTime !== undefined) pending = trailingTime;
    out.push(kept);
    oldOffset += codePointLength(line) + (i < lines.length - 1 ? 1 : 0);
    newOffset += codePointLength(kept) + (i < lines.length - 1 ? 1 : 0);
  });
  const newText = out.join('\n');
  if (pending !== undefined) points.push({ position: codePointLength(newText.trimEnd()), time: pending });
  const move = positionMover(removed);
  const movedTurns = turns
    .map((turn) => ({ ...turn, start: move(turn.start), end: move(turn.end) }))
    .filter((turn) => turn.end > turn.start);
  const index = new CodePointIndex(newText);
  const stamps = orderSyncPoints(points);
  let next = 0;
  const timedTurns = movedTurns.map((turn): Turn => {
    while (next < stamps.length && (stamps[next] as SyncPoint).position < turn.start) next++;
    const point = stamps[next];
    if (turn.time !== undefined || !point || point.position >= turn.end) return turn;
    return index.slice(turn.start, point.position).trim() === '' ? { ...turn, time: point.time } : turn;
  });
  for (const turn of timedTurns) {
    if (turn.time !== undefined) points.push({ position: turn.start, time: turn.time });
  }
  return { text: newText, turns: timedTurns, syncPoints: orderSyncPoints(points) };
}

/** Where a position of the old text lands once `removed` ranges are taken out. */
function positionMover(removed: readonly { start: number; end: number }[]): (position: number) => number {
  const starts = removed.map((r) => r.start);
  const before: number[] = [];
  let total = 0;
  for (const r of removed) {
    before.push(total);
    total += r.end - r.start;
  }
  return (position) => {
    let low = 0;
    let high = starts.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if ((starts[mid] as number) < position) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    if (found < 0) return position;
    const range = removed[found] as { start: number; end: number };
    const shift = (before[found] as number) + Math.min(position, range.end) - range.start;
    return position - shift;
  };
}
