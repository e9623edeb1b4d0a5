import { DomainError } from './errors.ts';
import type { CodeId } from './ids.ts';
import type { Code } from './model.ts';
import { foldForComparison } from './text.ts';

export type CodeMap = Readonly<Record<string, Code>>;

/**
 * A code with its children, in the order the codebook shows them: an imported codebook's own order
 * (`position`) first, then by name (French collation).
 */
export interface CodeNode {
  readonly code: Code;
  readonly children: CodeNode[];
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** Build the codebook tree from a flat map. Codes whose parent is missing become roots. */
export function buildCodeTree(codes: CodeMap): CodeNode[] {
  const nodes = new Map<string, CodeNode>();
  for (const code of Object.values(codes)) nodes.set(code.id, { code, children: [] });
  const roots: CodeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.code.parentId === null ? undefined : nodes.get(node.code.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: CodeNode[]): void => {
    list.sort((a, b) => compareCodes(a.code, b.code));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

/** The codebook's order of two sibling codes: imported position first, then name. */
function compareCodes(a: Code, b: Code): number {
  if (a.position !== undefined && b.position !== undefined && a.position !== b.position)
    return a.position - b.position;
  if (a.position !== undefined && b.position === undefined) return -1;
  if (a.position === undefined && b.position !== undefined) return 1;
  return collator.compare(a.name, b.name);
}

/** The first position after every code's, for the codes an import adds (0 for a new codebook). */
export function nextCodePosition(codes: CodeMap): number {
  let next = 0;
  for (const code of Object.values(codes))
    if (code.position !== undefined) next = Math.max(next, code.position + 1);
  return next;
}

/** Ids of a code and all its descendants, the code itself first. */
export function subtreeIds(codes: CodeMap, rootId: CodeId): CodeId[] {
  const children = new Map<string, CodeId[]>();
  for (const c of Object.values(codes)) {
    if (c.parentId !== null) {
      const list = children.get(c.parentId) ?? [];
      list.push(c.id);
      children.set(c.parentId, list);
    }
  }
  const out: CodeId[] = [];
  const stack: CodeId[] = [rootId];
  while (stack.length > 0) {
    const id = stack.pop() as CodeId;
    out.push(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/**
 * Check that `codeId` may be placed under `parentId`: the parent exists and is not the code itself
 * nor one of its descendants.
 * @throws DomainError `not_found` or `cycle`
 */
export function assertValidParent(codes: CodeMap, codeId: CodeId | null, parentId: CodeId | null): void {
  if (parentId === null) return;
  if (!codes[parentId]) throw new DomainError('not_found', "Le code parent n'existe pas.", { parentId });
  if (codeId === null) return;
  let cursor: CodeId | null = parentId;
  while (cursor !== null) {
    if (cursor === codeId) {
      throw new DomainError(
        'cycle',
        'Un code ne peut pas être placé sous lui-même ou sous un de ses sous-codes.',
        {
          codeId,
          parentId,
        },
      );
    }
    cursor = codes[cursor]?.parentId ?? null;
  }
}

/**
 * Each code's name folded for comparison, once per code object: a check then compares strings
 * rather than normalising every sibling's name again (at 200 codes, a few microseconds instead of a
 * few hundred). Safe because codes are replaced, never changed in place (`applyProjectEvent`, the
 * merge's and undo's scratch states): a renamed code is a new object.
 */
const foldedNames = new WeakMap<Code, string>();

function foldedName(code: Code): string {
  let folded = foldedNames.get(code);
  if (folded === undefined) {
    folded = foldForComparison(code.name);
    foldedNames.set(code, folded);
  }
  return folded;
}

/**
 * The codes of a record by parent and folded name, so that checking a name costs one lookup
 * rather than a walk of the whole codebook (at each creation, renaming or move). Built at the
 * first check of a record, then kept up to date by `putCode` and `removeCode`, through which every
 * change to a checked record goes: the project's events (`applyProjectEvent`), a merge's scratch
 * state, an import's copy of the codebook. It lives in a WeakMap keyed by the record, so it goes
 * with the record; a record that is never checked never has one.
 */
const siblingIndexes = new WeakMap<object, Map<string, CodeId[]>>();

/** A parent and a folded name as one key: ids hold no line break. */
const siblingKey = (parentId: CodeId | null, folded: string) => `${parentId ?? ''}\n${folded}`;

function siblingIndex(codes: CodeMap): Map<string, CodeId[]> {
  let index = siblingIndexes.get(codes);
  if (!index) {
    index = new Map();
    for (const code of Object.values(codes)) addSibling(index, code);
    siblingIndexes.set(codes, index);
  }
  return index;
}

function addSibling(index: Map<string, CodeId[]>, code: Code): void {
  const key = siblingKey(code.parentId, foldedName(code));
  const ids = index.get(key);
  if (ids) ids.push(code.id);
  else index.set(key, [code.id]);
}

function removeSibling(index: Map<string, CodeId[]>, code: Code): void {
  const key = siblingKey(code.parentId, foldedName(code));
  const ids = index.get(key) ?? [];
  const at = ids.indexOf(code.id);
  if (at >= 0) ids.splice(at, 1);
  if (ids.length === 0) index.delete(key);
}

/** Put `code` in `codes` (new, or replacing the code of its id), keeping the record's index. */
export function putCode(codes: Record<string, Code>, code: Code): void {
  const index = siblingIndexes.get(codes);
  if (index) {
    const before = codes[code.id];
    if (before) removeSibling(index, before);
    addSibling(index, code);
  }
  codes[code.id] = code;
}

/** Remove the code `codeId` from `codes`, keeping the record's index. */
export function removeCode(codes: Record<string, Code>, codeId: string): void {
  const before = codes[codeId];
  const index = siblingIndexes.get(codes);
  if (index && before) removeSibling(index, before);
  delete codes[codeId];
}

/**
 * The code under `parentId` (null: at the root) whose name is `name` compared without case,
 * accents or surrounding spaces, other than `exceptId`; undefined if there is none.
 */
export function siblingNamed(
  codes: CodeMap,
  name: string,
  parentId: CodeId | null,
  exceptId: CodeId | null = null,
): Code | undefined {
  const ids = siblingIndex(codes).get(siblingKey(parentId, foldForComparison(name.trim()))) ?? [];
  const id = ids.find((i) => i !== exceptId);
  return id === undefined ? undefined : codes[id];
}

/**
 * Check that no sibling under `parentId` already has this name (compared without case or accents:
 * « Coûts » and « couts » would be confusing side by side).
 * @throws DomainError `duplicate_name`
 */
export function assertUniqueSiblingName(
  codes: CodeMap,
  name: string,
  parentId: CodeId | null,
  exceptId: CodeId | null,
): void {
  const existing = siblingNamed(codes, name, parentId, exceptId);
  if (existing)
    throw new DomainError(
      'duplicate_name',
      `Un code « ${existing.name} » existe déjà à cet endroit du codebook.`,
      { existingId: existing.id },
    );
}

/** The path of a code from the root, e.g. ["Interopérabilité", "Redondance de saisie"]. */
export function codePath(codes: CodeMap, codeId: CodeId): string[] {
  const path: string[] = [];
  let cursor: CodeId | null = codeId;
  const seen = new Set<string>();
  while (cursor !== null && !seen.has(cursor)) {
    seen.add(cursor);
    const code: Code | undefined = codes[cursor];
    if (!code) break;
    path.unshift(code.name);
    cursor = code.parentId;
  }
  return path;
}
