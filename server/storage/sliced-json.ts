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

/**
 * `JSON.stringify(value)`, built in slices of about `sliceMs` milliseconds with the event loop
 * let run between them. Objects and arrays are walked entry by entry down to `depth` levels;
 * deeper values are stringified whole. `undefined` entries are left out of objects and written
 * `null` in arrays, as JSON.stringify does.
 */
export async function stringifyInSlices(value: unknown, sliceMs = 4, depth = 3): Promise<string> {
  const parts: string[] = [];
  let sliceStart = performance.now();
  const breathe = async () => {
    if (performance.now() - sliceStart < sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
  const walk = async (current: unknown, level: number): Promise<void> => {
    if (level < depth && Array.isArray(current)) {
      parts.push('[');
      for (let i = 0; i < current.length; i++) {
        if (i > 0) parts.push(',');
        const item: unknown = current[i];
        // As JSON.stringify: what JSON cannot hold stands as null in an array.
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') parts.push('null');
        else await walk(item, level + 1);
        await breathe();
      }
      parts.push(']');
      return;
    }
    if (level >= depth || !isPlainObject(current)) {
      parts.push(JSON.stringify(current) ?? 'null');
      return;
    }
    parts.push('{');
    let first = true;
    for (const key of Object.keys(current)) {
      const entry = current[key];
      if (entry === undefined || typeof entry === 'function' || typeof entry === 'symbol') continue;
      parts.push(first ? '' : ',', JSON.stringify(key), ':');
      first = false;
      await walk(entry, level + 1);
      await breathe();
    }
    parts.push('}');
  };
  await walk(value, 0);
  return parts.join('');
}
