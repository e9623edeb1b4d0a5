import { z } from 'zod';
import { isId } from '../../shared/ids.ts';

/** One open document: a user id and the id of the document they have open (or none). */
export interface PresenceEntry {
  userId: string;
  documentId: string | null;
}

/**
 * What instances say to each other about presence (server/live/presence.ts), as JSON holding ids
 * only — never a name or a text, so no personal data leaves by this path:
 *
 * - `here`: the instance `i` has these entries open in project `p`, all of them: part `k` of `n`
 *   (a project's list is cut into parts to stay under the bus's size limit; an empty part 0 of 1
 *   says nobody is left). Each part replaces what that instance said before for that part.
 * - `ask`: instance `i` has just started listening and asks every other to announce everything.
 */
export type PresenceMessage =
  | {
      kind: 'here';
      instance: string;
      projectId: string;
      part: number;
      parts: number;
      entries: PresenceEntry[];
    }
  | { kind: 'ask'; instance: string };

const Id = z.string().refine(isId);
const Instance = z.string().regex(/^[0-9a-z]{1,40}$/);
const Here = z.strictObject({
  i: Instance,
  p: Id,
  k: z.number().int().min(0).max(999),
  n: z.number().int().min(1).max(1000),
  e: z.array(z.tuple([Id, Id.nullable()])).max(1000),
});
const Ask = z.strictObject({ i: Instance, ask: z.literal(1) });

/** The message in `payload`, or undefined when it is not one (it is then ignored). */
export function decodePresence(payload: string): PresenceMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return undefined;
  }
  const ask = Ask.safeParse(json);
  if (ask.success) return { kind: 'ask', instance: ask.data.i };
  const here = Here.safeParse(json);
  if (!here.success || here.data.k >= here.data.n) return undefined;
  const { i, p, k, n, e } = here.data;
  return {
    kind: 'here',
    instance: i,
    projectId: p,
    part: k,
    parts: n,
    entries: e.map(([userId, documentId]) => ({ userId, documentId })),
  };
}

/** The `ask` of `instance`. */
export function encodePresenceAsk(instance: string): string {
  return JSON.stringify({ i: instance, ask: 1 });
}

const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/**
 * The `here` messages announcing `entries` of `projectId` for `instance`, each at most `maxBytes`
 * of UTF-8: as few parts as fit, at least one (an empty one when nobody is left).
 */
export function encodePresenceHere(
  instance: string,
  projectId: string,
  entries: readonly PresenceEntry[],
  maxBytes: number,
): string[] {
  // The envelope with the widest part numbers it may carry; each entry then adds its own bytes.
  const envelope = utf8Bytes(JSON.stringify({ i: instance, p: projectId, k: 999, n: 1000, e: [] }));
  const groups: [string, string | null][][] = [[]];
  let size = envelope;
  for (const { userId, documentId } of entries) {
    const entry: [string, string | null] = [userId, documentId];
    const bytes = utf8Bytes(JSON.stringify(entry)) + 1;
    if (envelope + bytes > maxBytes)
      throw new Error(`encodePresenceHere: an entry exceeds ${maxBytes} bytes`);
    let group = groups[groups.length - 1] as [string, string | null][];
    if (size + bytes > maxBytes) {
      groups.push((group = []));
      size = envelope;
    }
    group.push(entry);
    size += bytes;
  }
  if (groups.length > 1000) throw new Error('encodePresenceHere: more than 1000 parts');
  return groups.map((e, k) => JSON.stringify({ i: instance, p: projectId, k, n: groups.length, e }));
}
