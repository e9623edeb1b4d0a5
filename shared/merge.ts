import { assertUniqueSiblingName, putCode } from './codebook.ts';
import { DomainError } from './errors.ts';
import type { ProjectEventBody } from './events.ts';
import { codingsOfCodes } from './coding-index.ts';
import type { CodeId } from './ids.ts';
import type { Code, Coding, ProjectState } from './model.ts';
import { overlayState } from './overlay.ts';

/** The key under which codings may become one: same document, same coder, same standing. */
function groupKey(c: Coding): string {
  return `${c.documentId}|${c.coderId}|${c.consensus ? 'consensus' : ''}`;
}

/** What a merge does to one coding: moved (and maybe widened), or absorbed into another. */
type Fate = { kind: 'keep'; after: Coding } | { kind: 'absorbed' };

/**
 * One coding out of overlapping ones of the same coder: spans `[start, end)` joined, texts joined
 * from the pieces each one covers (overlapping codings cover their union), memos kept one after
 * the other. `keeper` keeps its id, author and date.
 */
function joinCodings(keeper: Coding, cluster: readonly Coding[], codeId: CodeId): Coding {
  const sorted = [...cluster].sort((a, b) => a.start - b.start || b.end - a.end);
  const first = sorted[0] ?? keeper;
  const text = Array.from(first.text);
  let end = first.end;
  for (const c of sorted.slice(1)) {
    if (c.end <= end) continue;
    text.push(...Array.from(c.text).slice(end - c.start));
    end = c.end;
  }
  const memos = [...new Set(cluster.map((c) => c.memo.trim()).filter((m) => m !== ''))];
  return { ...keeper, codeId, start: first.start, end, text: text.join(''), memo: memos.join('\n\n') };
}

/**
 * The fate of `codings`, the source's and the target's, in a merge: per document and coder, codings
 * that overlap once they share the target code become one coding over their union (a target coding
 * is kept rather than a moved one); the others simply move. Codings of the target alone are left as
 * they are.
 */
function planCodings(codings: readonly Coding[], sourceId: CodeId, targetId: CodeId): Map<string, Fate> {
  const groups = new Map<string, Coding[]>();
  for (const coding of codings) {
    const key = groupKey(coding);
    const group = groups.get(key);
    if (group) group.push(coding);
    else groups.set(key, [coding]);
  }
  const fates = new Map<string, Fate>();
  for (const group of groups.values()) {
    group.sort((a, b) => a.start - b.start || a.end - b.end);
    let cluster: Coding[] = [];
    let clusterEnd = -1;
    const settle = () => {
      if (!cluster.some((c) => c.codeId === sourceId)) return;
      const keeper = cluster.find((c) => c.codeId === targetId) ?? (cluster[0] as Coding);
      const after =
        cluster.length === 1 ? { ...keeper, codeId: targetId } : joinCodings(keeper, cluster, targetId);
      for (const c of cluster) if (c !== keeper) fates.set(c.id, { kind: 'absorbed' });
      fates.set(keeper.id, { kind: 'keep', after });
    };
    for (const coding of group) {
      if (coding.start >= clusterEnd) {
        settle();
        cluster = [];
      }
      cluster.push(coding);
      clusterEnd = Math.max(clusterEnd, coding.end);
    }
    settle();
  }
  return fates;
}

function sameCoding(a: Coding, b: Coding): boolean {
  return a.codeId === b.codeId && a.start === b.start && a.end === b.end && a.memo === b.memo;
}

/**
 * Events that merge code `sourceId` into `targetId`: its codings move to the target, where
 * overlapping codings of one passage by the same coder become one coding over their union (an
 * identical one is simply removed), its sub-codes move under the target, and the source code is
 * deleted.
 * @throws DomainError `not_found`, `conflict` (merging a code into itself or its own sub-code),
 *   `duplicate_name` (a sub-code name already used under the target).
 */
export function planMerge(
  state: Readonly<ProjectState>,
  sourceId: CodeId,
  targetId: CodeId,
): ProjectEventBody[] {
  const source = state.codes[sourceId];
  const target = state.codes[targetId];
  if (!source || !target) throw new DomainError('not_found', 'Code introuvable.');
  if (sourceId === targetId)
    throw new DomainError('conflict', 'Un code ne peut pas être fusionné avec lui-même.');
  for (let c: Code | undefined = target; c; c = c.parentId ? state.codes[c.parentId] : undefined) {
    if (c.id === sourceId)
      throw new DomainError('conflict', 'Un code ne peut pas être fusionné dans un de ses sous-codes.');
  }
  const scratch = overlayState(state);
  const events: ProjectEventBody[] = [];
  // The codings of the two codes, read once from the index.
  const codings = codingsOfCodes(state, [sourceId, targetId]);
  const fates = planCodings(codings, sourceId, targetId);
  for (const coding of codings) {
    const fate = fates.get(coding.id);
    if (!fate) continue;
    if (fate.kind === 'absorbed') events.push({ type: 'coding_deleted', coding });
    else if (!sameCoding(coding, fate.after))
      events.push({ type: 'coding_updated', before: coding, after: fate.after });
  }
  for (const child of Object.values(state.codes)) {
    if (child.parentId !== sourceId) continue;
    assertUniqueSiblingName(scratch.codes, child.name, targetId, child.id);
    const after = { ...child, parentId: targetId, version: child.version + 1 };
    putCode(scratch.codes, after);
    events.push({ type: 'code_updated', before: child, after });
  }
  events.push({ type: 'codes_deleted', codes: [source], codings: [] });
  return events;
}
