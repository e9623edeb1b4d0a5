/**
 * What a coder keeps between visits, in this browser: pinned codes (keys 1–9), recently applied
 * codes (first in the picker), and whether selections snap to whole words.
 */
import { createSignal, type Accessor } from 'solid-js';

export const MAX_PINS = 9;
export const MAX_RECENT = 5;

/** The list with `id` pinned or unpinned; a tenth pin is refused (the list is returned unchanged). */
export function togglePin(pins: readonly string[], id: string): string[] {
  if (pins.includes(id)) return pins.filter((p) => p !== id);
  return pins.length >= MAX_PINS ? [...pins] : [...pins, id];
}

/** The list with `id` moved to the front, at most `max` long. */
export function pushRecent(recent: readonly string[], id: string, max = MAX_RECENT): string[] {
  return [id, ...recent.filter((r) => r !== id)].slice(0, max);
}

function read<T>(key: string, fallback: T, valid: (value: unknown) => value is T): T {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    if (raw === null || raw === undefined) return fallback;
    const parsed: unknown = JSON.parse(raw);
    return valid(parsed) ? parsed : fallback;
  } catch {
    // Storage disabled or a value from an older version: start afresh.
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(value));
  } catch {
    // Not persisted (private mode, quota): the choice still holds for this visit.
  }
}

const isStringList = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string');
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';

/** A string list persisted under `key`. */
function persistedList(key: string): [Accessor<string[]>, (next: string[]) => void] {
  const [value, setValue] = createSignal(read(key, [], isStringList));
  return [
    value,
    (next) => {
      setValue(next);
      write(key, next);
    },
  ];
}

/** Pins and recent codes of one project, and the word-snapping switch. */
export function createCodePrefs(projectId: string) {
  const [pins, setPins] = persistedList(`verbatim.pins.${projectId}`);
  const [recent, setRecent] = persistedList(`verbatim.recent.${projectId}`);
  const [snap, setSnapSignal] = createSignal(read('verbatim.snapToWords', true, isBoolean));
  return {
    pins,
    recent,
    snap,
    togglePin: (id: string) => setPins(togglePin(pins(), id)),
    noteUsed: (id: string) => setRecent(pushRecent(recent(), id)),
    setSnap: (on: boolean) => {
      setSnapSignal(on);
      write('verbatim.snapToWords', on);
    },
  };
}

export type CodePrefs = ReturnType<typeof createCodePrefs>;
