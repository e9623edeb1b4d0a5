/**
 * The codebook as the interface shows it: flattened in tree order, filtered by name, and the moves a
 * keyboard user can make (indent under the previous sibling, outdent next to the parent). Pure
 * functions over readonly data.
 */
import { buildCodeTree, type CodeNode } from '../../../shared/codebook.ts';
import type { Code } from '../../../shared/model.ts';
import { foldForComparison } from '../../../shared/text.ts';

/** A code with the number of codings carrying it in the whole project. */
export type CodeWithCount = Code & { readonly codings: number };

/** A code as stored, without the count the server adds to it. */
export function withoutCount(code: Code & { codings?: number }): Code {
  const { codings: _count, ...rest } = code;
  return rest;
}

export interface FlatCode<C extends Code = CodeWithCount> {
  readonly code: C;
  readonly depth: number;
  /** Names from the root, e.g. « Interopérabilité › Redondance ». */
  readonly path: string;
  /** Whether the code has sub-codes. */
  readonly hasChildren: boolean;
}

/** The codebook in display order (tree order, French collation), each code with its depth. */
export function flattenCodebook<C extends Code>(codes: readonly C[]): FlatCode<C>[] {
  const byId = new Map(codes.map((c) => [c.id as string, c]));
  const out: FlatCode<C>[] = [];
  const walk = (nodes: readonly CodeNode[], depth: number, prefix: string) => {
    for (const node of nodes) {
      const code = byId.get(node.code.id) as C;
      const path = prefix === '' ? code.name : `${prefix} › ${code.name}`;
      out.push({ code, depth, path, hasChildren: node.children.length > 0 });
      walk(node.children, depth + 1, path);
    }
  };
  walk(buildCodeTree(Object.fromEntries(codes.map((c) => [c.id, c]))), 0, '');
  return out;
}

/** Codes whose path contains the query, ignoring accents and case (« ecole » finds « École »). */
export function filterCodes<C extends Code>(list: readonly FlatCode<C>[], query: string): FlatCode<C>[] {
  const wanted = foldForComparison(query.trim());
  if (wanted === '') return [...list];
  return list.filter((item) => foldForComparison(item.path).includes(wanted));
}

/**
 * The tree filtered by name: codes whose own name contains the query (accents and case ignored),
 * with their ancestors so each match stays in its place. `matches` names the codes that matched.
 * @example filterTree(flat, 'sante') keeps « Santé » and its parent « Conditions de vie ».
 */
export function filterTree<C extends Code>(
  list: readonly FlatCode<C>[],
  query: string,
): { items: FlatCode<C>[]; matches: ReadonlySet<string> } {
  const wanted = foldForComparison(query.trim());
  if (wanted === '') return { items: [...list], matches: new Set() };
  const matches = new Set<string>();
  const keep = new Set<string>();
  const parentOf = new Map(list.map((item) => [item.code.id as string, item.code.parentId as string | null]));
  for (const item of list) {
    if (!foldForComparison(item.code.name).includes(wanted)) continue;
    matches.add(item.code.id);
    for (let id: string | null = item.code.id; id !== null && !keep.has(id); id = parentOf.get(id) ?? null) {
      keep.add(id);
    }
  }
  return { items: list.filter((item) => keep.has(item.code.id)), matches };
}

/** Ids of a code and its descendants. */
export function descendantsOf(codes: readonly Code[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const c of codes) {
    if (c.parentId === null) continue;
    const list = children.get(c.parentId) ?? [];
    list.push(c.id);
    children.set(c.parentId, list);
  }
  const out = new Set<string>();
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/** Whether `codeId` may go under `parentId` (null: the top level): never under itself or a descendant. */
export function canMoveUnder(codes: readonly Code[], codeId: string, parentId: string | null): boolean {
  if (parentId === null) return true;
  return !descendantsOf(codes, codeId).has(parentId);
}

/**
 * The parent a keyboard move gives a code, in the displayed order: `indent` puts it under the
 * sibling just above it, `outdent` next to its parent. Undefined when the move is not possible.
 */
export function keyboardMoveTarget<C extends Code>(
  list: readonly FlatCode<C>[],
  codeId: string,
  direction: 'indent' | 'outdent',
): { parentId: string | null } | undefined {
  const index = list.findIndex((item) => item.code.id === codeId);
  const item = list[index];
  if (!item) return undefined;
  if (direction === 'outdent') {
    if (item.code.parentId === null) return undefined;
    const parent = list.find((other) => other.code.id === item.code.parentId);
    return { parentId: parent ? (parent.code.parentId as string | null) : null };
  }
  for (let k = index - 1; k >= 0; k--) {
    const above = list[k] as FlatCode<C>;
    if (above.depth < item.depth) return undefined;
    if (above.depth === item.depth) return { parentId: above.code.id };
  }
  return undefined;
}

/** Number of codings of a code and all its descendants. */
export function subtreeCount(
  codes: readonly CodeWithCount[],
  rootId: string,
): { codes: number; codings: number } {
  const ids = descendantsOf(codes, rootId);
  let codings = 0;
  for (const c of codes) if (ids.has(c.id)) codings += c.codings;
  return { codes: ids.size, codings };
}

/**
 * For every code, the number of codings of the code and all its descendants (the roll-up the
 * review tables show for a parent code), in one pass over the tree.
 */
export function rolledUpCounts(codes: readonly CodeWithCount[]): Map<string, number> {
  const totals = new Map<string, number>();
  const parentOf = new Map(codes.map((c) => [c.id as string, c.parentId as string | null]));
  for (const c of codes) {
    // Each code adds its own codings to itself and every ancestor (a cycle cannot occur).
    const seen = new Set<string>();
    for (let id: string | null = c.id; id !== null && !seen.has(id); id = parentOf.get(id) ?? null) {
      seen.add(id);
      totals.set(id, (totals.get(id) ?? 0) + c.codings);
    }
  }
  return totals;
}
