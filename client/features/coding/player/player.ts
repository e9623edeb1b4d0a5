/**
 * The recording of the document open in the coding view, played beside its transcript: what the
 * player shows (playing, time, speed, volume, following) and what the page asks of it (play from a
 * position of the text, play exactly a passage). Times and positions meet through the document's
 * sync points (`shared/sync-points.ts`).
 */
import { createContext, createMemo, createSignal, onCleanup, useContext } from 'solid-js';
import { heardInterval, passageTimes, syncTimeAt, type SyncPoint } from '../../../../shared/sync-points.ts';
import type { Span } from '../../../../shared/spans.ts';

/** A document's recording, as GET …/documents/:documentId describes it. */
export interface Recording {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly duration?: number;
}

/** The document's `media` field, checked: a recording, or null when there is none. */
export function recordingOf(document: object): Recording | null {
  if (!('media' in document)) return null;
  const media = document.media;
  if (typeof media !== 'object' || media === null) return null;
  const { name, type, size } = media as Record<string, unknown>;
  if (typeof name !== 'string' || typeof type !== 'string' || typeof size !== 'number') return null;
  const duration = (media as Record<string, unknown>).duration;
  return typeof duration === 'number' ? { name, type, size, duration } : { name, type, size };
}

/** The speeds offered, from half to twice the recording's. */
export const SPEEDS: readonly number[] = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
/** How far the back and forward buttons (and Alt + ← / →) move, in seconds. */
export const SKIP_SECONDS = 5;

/** The time to play a block of the transcript from: its first sync point, else the last before it. */
export function timeOfBlock(points: readonly SyncPoint[], start: number, end: number): number | null {
  const first = points.find((p) => p.position >= start && p.position < end);
  return first ? first.time : syncTimeAt(points, start);
}

/**
 * The player's state and actions; `recorded` says whether the document has a recording at all (the
 * page offers to listen only then).
 */
export function createPlayer(syncPoints: () => readonly SyncPoint[], recorded: () => boolean) {
  let media: HTMLMediaElement | undefined;
  const [playing, setPlaying] = createSignal(false);
  const [started, setStarted] = createSignal(false);
  const [time, setTime] = createSignal(0);
  const [duration, setDuration] = createSignal<number | undefined>(undefined);
  const [rate, setRateSignal] = createSignal(1);
  const [volume, setVolumeSignal] = createSignal(1);
  const [follow, setFollow] = createSignal(true);
  const [failed, setFailed] = createSignal(false);
  /** Where a passage being played stops, in seconds. */
  let stopAt: number | null = null;
  let frame = 0;

  /** While playing, the time is read at each frame: a passage stops where it should, not 250 ms later. */
  const readTime = () => {
    if (!media) return;
    setTime(media.currentTime);
    if (stopAt !== null && media.currentTime >= stopAt) {
      media.pause();
      media.currentTime = stopAt;
      setTime(stopAt);
      stopAt = null;
    }
  };
  const tick = () => {
    readTime();
    if (media && !media.paused) frame = requestAnimationFrame(tick);
  };
  const listeners: [string, () => void][] = [
    [
      'play',
      () => {
        setPlaying(true);
        setStarted(true);
        cancelAnimationFrame(frame);
        frame = requestAnimationFrame(tick);
      },
    ],
    [
      'pause',
      () => {
        setPlaying(false);
        if (media) setTime(media.currentTime);
      },
    ],
    ['seeked', () => media && setTime(media.currentTime)],
    // Frames stop in a hidden tab; the media's own time updates still come (and stop a passage).
    ['timeupdate', readTime],
    [
      'loadedmetadata',
      () => media && setDuration(Number.isFinite(media.duration) ? media.duration : undefined),
    ],
    [
      'durationchange',
      () => media && setDuration(Number.isFinite(media.duration) ? media.duration : undefined),
    ],
    ['error', () => setFailed(true)],
  ];
  const detach = () => {
    if (!media) return;
    for (const [type, listener] of listeners) media.removeEventListener(type, listener);
    media = undefined;
  };
  onCleanup(() => {
    cancelAnimationFrame(frame);
    detach();
  });

  const seek = (seconds: number) => {
    if (!media) return;
    const end = duration();
    const clamped = Math.max(0, end === undefined ? seconds : Math.min(seconds, end));
    media.currentTime = clamped;
    setTime(clamped);
  };
  const play = () => {
    if (!media) return;
    media.play().catch(() => setPlaying(false));
  };

  const heard = createMemo(() => (started() ? heardInterval(syncPoints(), time()) : null), null, {
    equals: (a, b) => a?.start === b?.start && a?.end === b?.end,
  });

  return {
    /** Called with the page's `<audio>` or `<video>` element. */
    attach(element: HTMLMediaElement) {
      detach();
      media = element;
      setFailed(false);
      for (const [type, listener] of listeners) element.addEventListener(type, listener);
      element.playbackRate = rate();
      element.volume = volume();
    },
    playing,
    /** Whether the recording has been played since the page opened (the heard passage shows from then). */
    started,
    time,
    duration,
    rate,
    volume,
    follow,
    setFollow,
    failed,
    /** The interval of the text being heard at the current time, in code points. */
    heard,
    toggle() {
      if (!media) return;
      if (media.paused) play();
      else media.pause();
    },
    skip(seconds: number) {
      stopAt = null;
      seek((media?.currentTime ?? time()) + seconds);
    },
    setRate(value: number) {
      setRateSignal(value);
      if (media) media.playbackRate = value;
    },
    setVolume(value: number) {
      setVolumeSignal(value);
      if (media) media.volume = value;
    },
    /** Play from `seconds` on, to the end. */
    playFrom(seconds: number) {
      stopAt = null;
      seek(seconds);
      play();
    },
    /**
     * Play exactly the recording of a passage: from the sync time at or before its start to the one
     * at or after its end. False when no time is known before the passage.
     */
    playPassage(span: Span): boolean {
      const times = passageTimes(syncPoints(), span.start, span.end);
      if (!times) return false;
      seek(times.from);
      stopAt = times.to;
      play();
      return true;
    },
    /** Whether a passage has a time to be played from. */
    canPlayPassage(span: Span): boolean {
      return recorded() && passageTimes(syncPoints(), span.start, span.end) !== null;
    },
  };
}

export type Player = ReturnType<typeof createPlayer>;

/** The player of the page, for the components that offer to listen (none when there is no recording). */
export const PlayerContext = createContext<Player | undefined>(undefined);

export function usePlayer(): Player | undefined {
  return useContext(PlayerContext);
}
