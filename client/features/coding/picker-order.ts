import { filterCodes, type FlatCode } from '../codebook/code-tree.ts';

/**
 * The picker's order: recently applied codes first (those that match), then the codebook in tree
 * order. Pure, for the picker and its tests.
 */
export function pickerOrder(codes: readonly FlatCode[], query: string, recent: readonly string[]) {
  const matches = filterCodes(codes, query);
  const byId = new Map(matches.map((m) => [m.code.id as string, m]));
  const first = recent.flatMap((id) => {
    const found = byId.get(id);
    return found ? [found] : [];
  });
  const firstIds = new Set(first.map((f) => f.code.id as string));
  return { recent: first, rest: matches.filter((m) => !firstIds.has(m.code.id)) };
}
