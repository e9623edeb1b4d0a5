/**
 * Times in a recording, as the views show them. Exports write `hh:mm:ss` instead (see
 * `server/export/typography.ts`), as citations in a report usually do.
 */

/**
 * A time in the recording as `m:ss`, or `h:mm:ss` from an hour on.
 * @example formatTime(66.2) === '1:06'; formatTime(3723) === '1:02:03'
 */
export function formatTime(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(whole % 60)}` : `${m}:${two(whole % 60)}`;
}

/**
 * The same time as an HTML duration, for `<time datetime>`.
 * @example durationAttribute(62.5) === 'PT0H1M2S'
 */
export function durationAttribute(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  return `PT${Math.floor(whole / 3600)}H${Math.floor((whole % 3600) / 60)}M${whole % 60}S`;
}
