/**
 * Sync points tie a document's text to its recording: at `position` (a code point of the stored
 * text) the recording is at `time` seconds. They are set at import, like the text, and never change.
 */
export interface SyncPoint {
  /** Offset in Unicode code points of the stored (normalised) text. */
  readonly position: number;
  /** Seconds from the start of the recording. */
  readonly time: number;
}

/**
 * Sort sync points by position and keep only those that also go forward in time: a list ordered by
 * both is what lets a position find its time and a time find its passage. Of several points at one
 * position the first kept wins; a point whose time is earlier than one before it is dropped (a
 * transcriber's slip), and so is a point with a negative or non-finite time or position.
 * @example orderSyncPoints([{position: 9, time: 4}, {position: 0, time: 1}]) → [{0,1}, {9,4}]
 */
export function orderSyncPoints(points: readonly SyncPoint[]): SyncPoint[] {
  const sorted = points
    .filter((p) => Number.isFinite(p.time) && p.time >= 0 && Number.isInteger(p.position) && p.position >= 0)
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.position - b.p.position || a.i - b.i)
    .map(({ p }) => p);
  const kept: SyncPoint[] = [];
  for (const point of sorted) {
    const last = kept[kept.length - 1];
    if (last && (point.position === last.position || point.time < last.time)) continue;
    kept.push({ position: point.position, time: point.time });
  }
  return kept;
}

/** Index of the last point at or before `position`, or -1 (points ordered as {@link orderSyncPoints} does). */
function lastAtOrBefore(points: readonly SyncPoint[], position: number): number {
  let low = 0;
  let high = points.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((points[mid] as SyncPoint).position <= position) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

/**
 * The time of a position: that of the last sync point at or before it, or null when none is.
 * @example syncTimeAt([{position: 0, time: 5}, {position: 40, time: 9}], 12) === 5
 */
export function syncTimeAt(points: readonly SyncPoint[], position: number): number | null {
  const index = lastAtOrBefore(points, position);
  return index < 0 ? null : (points[index] as SyncPoint).time;
}

/**
 * The stretch of recording that holds `[start, end)`: from the time of the last sync point at or
 * before `start` to that of the first one at or after `end` (null `to` when none follows: play to
 * the end). Null when no sync point lies at or before `start`.
 * @example passageTimes([{position: 0, time: 5}, {position: 40, time: 9}], 10, 30) → {from: 5, to: 9}
 */
export function passageTimes(
  points: readonly SyncPoint[],
  start: number,
  end: number,
): { from: number; to: number | null } | null {
  const first = lastAtOrBefore(points, start);
  if (first < 0) return null;
  const from = (points[first] as SyncPoint).time;
  let after = lastAtOrBefore(points, end);
  if (after >= 0 && (points[after] as SyncPoint).position < end) after++;
  const next = points[Math.max(after, first + 1)];
  return { from, to: next ? next.time : null };
}

/**
 * The interval of text being heard at `time`: from the last sync point whose time is at or before
 * it to the next sync point (`end` null: to the end of the text). Null before the first point.
 * @example heardInterval([{position: 0, time: 5}, {position: 40, time: 9}], 6) → {start: 0, end: 40}
 */
export function heardInterval(
  points: readonly SyncPoint[],
  time: number,
): { start: number; end: number | null } | null {
  let low = 0;
  let high = points.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((points[mid] as SyncPoint).time <= time) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  if (found < 0) return null;
  const next = points[found + 1];
  return { start: (points[found] as SyncPoint).position, end: next ? next.position : null };
}

/** A sync point at the start of each turn that says when it starts. */
export function syncPointsOfTurns(
  turns: readonly { readonly start: number; readonly time?: number }[],
): SyncPoint[] {
  return orderSyncPoints(
    turns.flatMap((turn) => (turn.time === undefined ? [] : [{ position: turn.start, time: turn.time }])),
  );
}
