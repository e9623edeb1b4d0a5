import { createHash } from 'node:crypto';

const GUID = /^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$/;

/**
 * Read a REFI-QDA GUID as tools write it — either case, with or without braces — into the form
 * Verbatim uses for ids (lower case, no braces). Returns undefined for anything else, including
 * a brace on one side only.
 * @example parseGuid('{A182CD3A-D83C-4D8C-BC80-26D9103EC6D6}') === 'a182cd3a-d83c-4d8c-bc80-26d9103ec6d6'
 */
export function parseGuid(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (trimmed.startsWith('{') !== trimmed.endsWith('}')) return undefined;
  const match = GUID.exec(trimmed);
  return match ? (match[1] as string).toLowerCase() : undefined;
}

/**
 * A GUID derived from a name, for things that have no id of their own in Verbatim (a variable,
 * a selection grouping codings, a memo turned into a note): the same parts always give the same
 * GUID, so exporting a project twice gives the same GUIDs. Built like a UUID version 5 (SHA-1 of
 * the parts, version and variant bits set).
 * @example derivedGuid('variable', projectId, 'Âge') === derivedGuid('variable', projectId, 'Âge')
 */
export function derivedGuid(...parts: readonly string[]): string {
  const hash = createHash('sha1').update(parts.join('\u0000'), 'utf8').digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
