import type { ProjectState } from './model.ts';

/** What a view made by `overlayRecord` lays over its base: the entries set and those deleted. */
export interface OverlayParts<V> {
  readonly base: Readonly<Record<string, V>>;
  /** Entries set in the view (new, or replacing one of the base's). */
  readonly added: ReadonlyMap<string, V>;
  /** Keys deleted in the view (never also in `added`). */
  readonly removed: ReadonlySet<string>;
}

const overlays = new WeakMap<object, OverlayParts<unknown>>();

/**
 * The parts of `record` when it is a view made by `overlayState`, else undefined: an index kept
 * beside a real record (see coding-index.ts) answers for a view from its base's index and these
 * parts, rather than by walking the view (every key of the base, through the proxy).
 */
export function overlayOf<V>(record: Readonly<Record<string, V>>): OverlayParts<V> | undefined {
  return overlays.get(record) as OverlayParts<V> | undefined;
}

/**
 * A copy-on-write view of a record: reads fall through to `base`, writes and deletions stay in the
 * view. It lets a decision try several events on a project without copying 100,000 codings.
 */
function overlayRecord<V>(base: Readonly<Record<string, V>>): Record<string, V> {
  const added = new Map<string, V>();
  const removed = new Set<string>();
  const has = (key: string) => added.has(key) || (!removed.has(key) && Object.hasOwn(base, key));
  const view = new Proxy({} as Record<string, V>, {
    get: (_t, key) =>
      typeof key !== 'string'
        ? undefined
        : added.has(key)
          ? added.get(key)
          : removed.has(key)
            ? undefined
            : base[key],
    set: (_t, key, value: V) => {
      if (typeof key !== 'string') return false;
      added.set(key, value);
      removed.delete(key);
      return true;
    },
    deleteProperty: (_t, key) => {
      if (typeof key !== 'string') return false;
      added.delete(key);
      removed.add(key);
      return true;
    },
    has: (_t, key) => typeof key === 'string' && has(key),
    ownKeys: () => [...Object.keys(base).filter((k) => !removed.has(k) && !added.has(k)), ...added.keys()],
    getOwnPropertyDescriptor: (_t, key) =>
      typeof key === 'string' && has(key)
        ? {
            value: added.has(key) ? added.get(key) : base[key],
            writable: true,
            enumerable: true,
            configurable: true,
          }
        : undefined,
  });
  overlays.set(view, { base, added, removed });
  return view;
}

/**
 * A scratch project state layered over a real one: events can be folded into it (with
 * `applyProjectEvent`) to check what a sequence of changes would do, leaving the real state as it is.
 */
export function overlayState(state: Readonly<ProjectState>): ProjectState {
  return {
    ...state,
    members: overlayRecord(state.members),
    documents: overlayRecord(state.documents),
    codes: overlayRecord(state.codes),
    codings: overlayRecord(state.codings),
    participants: overlayRecord(state.participants),
    attributes: [...state.attributes],
    history: overlayRecord(state.history),
  };
}
