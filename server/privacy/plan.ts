/**
 * The plan of one erasure, made from a project's state, its whole log and its texts: shared by
 * every store.
 */
import {
  documentsOfLog,
  documentsToErase,
  erasureCounts,
  redactLog,
  replacementsOfLog,
  replacementsToErase,
  type ErasurePlan,
  type ErasureScope,
} from '../../shared/erasure.ts';
import {
  applyProjectEvent,
  emptyProjectState,
  type LoggedProjectEvent,
  type ProjectEvent,
} from '../../shared/events.ts';
import type { ProjectId, UserId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';

export type ErasureReceipt = Extract<ProjectEvent, { type: 'erasure' }>;

export interface PlannedErasure {
  plan: ErasurePlan;
  /** The `from` of the replacement entries erased. */
  erasedFroms: Set<string>;
  /** The log rewritten, ending with the receipt. */
  events: LoggedProjectEvent[];
  receipt: ErasureReceipt;
  /** The rewritten log folded. */
  state: ProjectState;
}

/** Plan an erasure: what goes, the rewritten log with its receipt, and the state it folds to. */
export async function planErasure(
  current: Readonly<ProjectState>,
  log: readonly LoggedProjectEvent[],
  scope: ErasureScope,
  userId: UserId,
  readText: (documentId: string) => Promise<string | undefined>,
): Promise<PlannedErasure> {
  const documentIds = documentsToErase(current, log, scope);
  const participantIds = new Set(scope.kind === 'participant' ? [scope.participantId] : []);
  const erasedTexts: string[] = [];
  const remainingTexts: string[] = [];
  for (const id of documentsOfLog(log).keys()) {
    const text = await readText(id);
    if (text !== undefined) (documentIds.has(id) ? erasedTexts : remainingTexts).push(text);
  }
  const names = [...participantIds].flatMap((id) => {
    const p = current.participants[id];
    return p ? [p.name, p.pseudonym] : [];
  });
  for (const id of documentIds) {
    const name = current.documents[id]?.name;
    if (name) names.push(name);
  }
  const erasedFroms = replacementsToErase(
    replacementsOfLog(current, log),
    { texts: erasedTexts, names },
    remainingTexts,
  );
  const plan: ErasurePlan = {
    scope: scope.kind,
    participantIds,
    documentIds,
    erasesReplacement: (from) => erasedFroms.has(from),
  };
  const { events, changed } = redactLog(log, plan);
  const seq = current.seq + 1;
  const currentReplacements = (current.replacements ?? []).filter((r) => erasedFroms.has(r.from)).length;
  const receipt: ErasureReceipt = {
    type: 'erasure',
    scope: scope.kind,
    participantIds: [...participantIds],
    documentIds: [...documentIds],
    counts: erasureCounts(current, plan, changed, currentReplacements),
    seq,
    txn: seq,
    at: new Date().toISOString(),
    userId,
  };
  events.push(receipt);
  const state = emptyProjectState(current.project.id as ProjectId);
  for (const event of events) applyProjectEvent(state, event);
  return { plan, erasedFroms, events, receipt, state };
}
