import { buildCodeTree, type CodeNode } from '../../../shared/codebook.ts';
import { foldForComparison } from '../../../shared/text.ts';
import type { CodeWithCount } from './coding-state.ts';

export interface FlatCode {
  readonly code: CodeWithCount;
  readonly depth: number;
  /** Names from the root, e.g. « Interopérabilité › Redondance ». */
  readonly path: string;
}

/** The codebook in display order (tree order, French collation), each code with its depth. */
export function flattenCodebook(codes: readonly CodeWithCount[]): FlatCode[] {
  const byId = new Map(codes.map((c) => [c.id as string, c]));
  const out: FlatCode[] = [];
  const walk = (nodes: readonly CodeNode[], depth: number, prefix: string) => {
    for (const node of nodes) {
      const code = byId.get(node.code.id) as CodeWithCount;
      const path = prefix === '' ? code.name : `${prefix} › ${code.name}`;
      out.push({ code, depth, path });
      walk(node.children, depth + 1, path);
    }
  };
  walk(buildCodeTree(Object.fromEntries(codes.map((c) => [c.id, c]))), 0, '');
  return out;
}

/** Codes whose path contains the query, ignoring accents and case (« ecole » finds « École »). */
export function filterCodes(list: readonly FlatCode[], query: string): FlatCode[] {
  const wanted = foldForComparison(query.trim());
  if (wanted === '') return [...list];
  return list.filter((item) => foldForComparison(item.path).includes(wanted));
}
