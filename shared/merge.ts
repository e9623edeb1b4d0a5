import { assertUniqueSiblingName } from './codebook.ts';
import { DomainError } from './errors.ts';
import type { ProjectEventBody } from './events.ts';
import type { CodeId } from './ids.ts';
import type { Code, Coding, ProjectState } from './model.ts';
import { overlayState } from './overlay.ts';

/** The key under which two codings are the same passage coded alike by the same coder. */
function spanKey(c: Coding, codeId: string): string {
  return `${c.documentId}|${codeId}|${c.coderId}|${c.start}|${c.end}`;
}

/**
 * Events that merge code `sourceId` into `targetId`: its codings move to the target (a coding that
 * would duplicate one the target already has on the same span by the same coder is removed), its
 * sub-codes move under the target, and the source code is deleted.
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
  const existing = new Set(
    Object.values(state.codings)
      .filter((c) => c.codeId === targetId)
      .map((c) => spanKey(c, targetId)),
  );
  for (const coding of Object.values(state.codings)) {
    if (coding.codeId !== sourceId) continue;
    const key = spanKey(coding, targetId);
    if (existing.has(key)) events.push({ type: 'coding_deleted', coding });
    else {
      existing.add(key);
      events.push({ type: 'coding_updated', before: coding, after: { ...coding, codeId: targetId } });
    }
  }
  for (const child of Object.values(state.codes)) {
    if (child.parentId !== sourceId) continue;
    assertUniqueSiblingName(scratch.codes, child.name, targetId, child.id);
    const after = { ...child, parentId: targetId, version: child.version + 1 };
    scratch.codes[child.id] = after;
    events.push({ type: 'code_updated', before: child, after });
  }
  events.push({ type: 'codes_deleted', codes: [source], codings: [] });
  return events;
}
