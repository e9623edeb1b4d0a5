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

/** What the player shows, as signals. */
function createPlayerSignals() {
  const [playing, setPlaying] = createSignal(false);
  const [started, setStarted] = createSignal(false);
  const [time, setTime] = createSignal(0);
  const [duration, setDuration] = createSignal<number | undefined>(undefined);
  const [rate, setRate] = createSignal(1);
  const [volume, setVolume] = createSignal(1);
  const [follow, setFollow] = createSignal(true);
  const [failed, setFailed] = createSignal(false);
  return {
    playing,
    setPlaying,
    started,
    setStarted,
    time,
    setTime,
    duration,
    setDuration,
    rate,
    setRate,
    volume,
    setVolume,
    follow,
    setFollow,
    failed,
    setFailed,
  };
}

type PlayerSignals = ReturnType<typeof createPlayerSignals>;

/** The element played, where a passage being played stops (in seconds), the pending frame. */
interface Playback {
  media: HTMLMediaElement | undefined;
  stopAt: number | null;
  frame: number;
}

/** The media element's events, each with what it changes in the signals. */
function mediaListeners(playback: Playback, s: PlayerSignals): [string, () => void][] {
  /** While playing, the time is read at each frame: a passage stops where it should, not 250 ms later. */
  const readTime = () => {
    const media = playback.media;
    if (!media) return;
    s.setTime(media.currentTime);
    if (playback.stopAt !== null && media.currentTime >= playback.stopAt) {
      media.pause();
      media.currentTime = playback.stopAt;
      s.setTime(playback.stopAt);
      playback.stopAt = null;
    }
  };
  const tick = () => {
    readTime();
    if (playback.media && !playback.media.paused) playback.frame = requestAnimationFrame(tick);
  };
  const readDuration = () =>
    playback.media &&
    s.setDuration(Number.isFinite(playback.media.duration) ? playback.media.duration : undefined);
  return [
    [
      'play',
      () => {
        s.setPlaying(true);
        s.setStarted(true);
        cancelAnimationFrame(playback.frame);
        playback.frame = requestAnimationFrame(tick);
      },
    ],
    [
      'pause',
      () => {
        s.setPlaying(false);
        if (playback.media) s.setTime(playback.media.currentTime);
      },
    ],
    ['seeked', () => playback.media && s.setTime(playback.media.currentTime)],
    // Frames stop in a hidden tab; the media's own time updates still come (and stop a passage).
    ['timeupdate', readTime],
    ['loadedmetadata', readDuration],
    ['durationchange', readDuration],
    ['error', () => s.setFailed(true)],
  ];
}

/** What the page asks of the player: play, pause, skip, speed, volume, play from a time or a passage. */
function createTransport(
  playback: Playback,
  s: PlayerSignals,
  syncPoints: () => readonly SyncPoint[],
  recorded: () => boolean,
) {
  const seek = (seconds: number) => {
    if (!playback.media) return;
    const end = s.duration();
    const clamped = Math.max(0, end === undefined ? seconds : Math.min(seconds, end));
    playback.media.currentTime = clamped;
    s.setTime(clamped);
  };
  const play = () => {
    if (!playback.media) return;
    playback.media.play().catch(() => s.setPlaying(false));
  };
  return {
    toggle() {
      if (!playback.media) return;
      if (playback.media.paused) play();
      else playback.media.pause();
    },
    skip(seconds: number) {
      playback.stopAt = null;
      seek((playback.media?.currentTime ?? s.time()) + seconds);
    },
    setRate(value: number) {
      s.setRate(value);
      if (playback.media) playback.media.playbackRate = value;
    },
    setVolume(value: number) {
      s.setVolume(value);
      if (playback.media) playback.media.volume = value;
    },
    /** Play from `seconds` on, to the end. */
    playFrom(seconds: number) {
      playback.stopAt = null;
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
      playback.stopAt = times.to;
      play();
      return true;
    },
    /** Whether a passage has a time to be played from. */
    canPlayPassage(span: Span): boolean {
      return recorded() && passageTimes(syncPoints(), span.start, span.end) !== null;
    },
  };
}

/**
 * The player's state and actions; `recorded` says whether the document has a recording at all (the
 * page offers to listen only then).
 */
export function createPlayer(syncPoints: () => readonly SyncPoint[], recorded: () => boolean) {
  const s = createPlayerSignals();
  const playback: Playback = { media: undefined, stopAt: null, frame: 0 };
  const listeners = mediaListeners(playback, s);
  const detach = () => {
    if (!playback.media) return;
    for (const [type, listener] of listeners) playback.media.removeEventListener(type, listener);
    playback.media = undefined;
  };
  onCleanup(() => {
    cancelAnimationFrame(playback.frame);
    detach();
  });

  const heard = createMemo(() => (s.started() ? heardInterval(syncPoints(), s.time()) : null), null, {
    equals: (a, b) => a?.start === b?.start && a?.end === b?.end,
  });

  return {
    /** Called with the page's `<audio>` or `<video>` element. */
    attach(element: HTMLMediaElement) {
      detach();
      playback.media = element;
      s.setFailed(false);
      for (const [type, listener] of listeners) element.addEventListener(type, listener);
      element.playbackRate = s.rate();
      element.volume = s.volume();
    },
    playing: s.playing,
    /** Whether the recording has been played since the page opened (the heard passage shows from then). */
    started: s.started,
    time: s.time,
    duration: s.duration,
    rate: s.rate,
    volume: s.volume,
    follow: s.follow,
    setFollow: s.setFollow,
    failed: s.failed,
    /** The interval of the text being heard at the current time, in code points. */
    heard,
    ...createTransport(playback, s, syncPoints, recorded),
  };
}

export type Player = ReturnType<typeof createPlayer>;

/** The player of the page, for the components that offer to listen (none when there is no recording). */
export const PlayerContext = createContext<Player | undefined>(undefined);

export function usePlayer(): Player | undefined {
  return useContext(PlayerContext);
}
