/**
 * Serialising a big state without stalling the server: a project of 100,000 codings is about
 * 40 MB of JSON, which `JSON.stringify` would build in one block of several hundred milliseconds
 * while every request waits. Here the state is first frozen at an instant (cheaply: see
 * `frozenView`), then written a slice at a time, the event loop running requests in between.
 */

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A view of `state` as it is now, that later changes do not show through: its top-level records
 * are copied (a copy of references, not of values). Valid for states whose reducers replace the
 * values of their records rather than change them in place, as `applyProjectEvent` and
 * `applyInstanceEvent` do; records nested deeper must not be changed in place either.
 */
export function frozenView<State extends object>(state: State): State {
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(state)) view[key] = isPlainObject(value) ? { ...value } : value;
  return view as State;
}

/** About how many characters each piece of `stringifyInPieces` holds. */
const PIECE_CHARS = 1 << 20;

/**
 * `JSON.stringify(value)`, built in slices of about `sliceMs` milliseconds with the event loop
 * let run between them, as pieces of about a megabyte, in order, to be written or compressed one
 * after the other: joining the 40 MB of a big project into one string, then turning that string
 * into bytes, would each stall every request for a hundred milliseconds or more. Objects and
 * arrays are walked entry by entry down to `depth` levels; deeper values are stringified whole.
 * `undefined` entries are left out of objects and written `null` in arrays, as JSON.stringify does.
 */
export async function stringifyInPieces(value: unknown, sliceMs = 4, depth = 3): Promise<string[]> {
  const pieces: string[] = [];
  let parts: string[] = [];
  let partsLength = 0;
  const push = (...more: string[]) => {
    for (const part of more) {
      parts.push(part);
      partsLength += part.length;
    }
    if (partsLength < PIECE_CHARS) return;
    pieces.push(parts.join(''));
    parts = [];
    partsLength = 0;
  };
  let sliceStart = performance.now();
  const breathe = async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
  const walk = async (current: unknown, level: number): Promise<void> => {
    if (level < depth && Array.isArray(current)) {
      push('[');
      for (let i = 0; i < current.length; i++) {
        if (i > 0) push(',');
        const item: unknown = current[i];
        // As JSON.stringify: what JSON cannot hold stands as null in an array.
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') push('null');
        else await walk(item, level + 1);
        await breathe();
      }
      push(']');
      return;
    }
    if (level >= depth || !isPlainObject(current)) {
      push(JSON.stringify(current) ?? 'null');
      return;
    }
    push('{');
    let first = true;
    for (const key of Object.keys(current)) {
      const entry = current[key];
      if (entry === undefined || typeof entry === 'function' || typeof entry === 'symbol') continue;
      push(first ? '' : ',', JSON.stringify(key), ':');
      first = false;
      await walk(entry, level + 1);
      await breathe();
    }
    push('}');
  };
  await walk(value, 0);
  if (parts.length > 0) pieces.push(parts.join(''));
  return pieces;
}
