import { assertRole } from '../../shared/access.ts';
import { nextCodePosition } from '../../shared/codebook.ts';
import type { CodebookImportReport } from '../../shared/codebook-import.ts';
import type { ProjectEventBody } from '../../shared/events.ts';
import { newId, type CodeId, type ProjectId, type UserId } from '../../shared/ids.ts';
import { CODE_COLORS, type Code, type ProjectState } from '../../shared/model.ts';
import { foldForComparison } from '../../shared/text.ts';
import type { Store } from '../storage/store.ts';
import { readCodes, refiRefusal, type RefiCode } from './read-codes.ts';
import { childNamed, parseXml } from './xml.ts';

/**
 * Read a REFI-QDA codebook (`.qdc`). Any `urn:QDA-XML:codebook:*` namespace is accepted, and so is
 * Taguette's empty `<Sets/>` (sets are not read).
 * @throws DomainError `unprocessable` naming the file when it is not a REFI-QDA codebook.
 */
export function readCodebookXml(fileName: string, xml: string | Uint8Array): RefiCode[] {
  const root = parseXml(fileName, xml);
  if (root.name !== 'CodeBook' || !/^urn:QDA-XML:codebook:/i.test(root.namespace ?? '')) {
    throw refiRefusal(
      fileName,
      "ce n'est pas un codebook REFI-QDA (élément racine <CodeBook> dans l'espace de noms urn:QDA-XML:codebook).",
    );
  }
  const codes = childNamed(root, 'Codes');
  return codes ? readCodes(fileName, codes) : [];
}

/**
 * Plan the merge of a REFI-QDA codebook into a project's codebook, as the CSV import does: a code
 * whose name (without case or accents) already exists under the same parent is kept as it is and
 * its children are merged under it; any other is created, keeping its GUID as id when the project
 * does not use it yet.
 */
export function planQdcImport(
  state: Readonly<ProjectState>,
  codes: readonly RefiCode[],
  userId: UserId,
  now: string,
): { events: ProjectEventBody[]; report: CodebookImportReport } {
  const all: Record<string, Code> = { ...state.codes };
  const events: ProjectEventBody[] = [];
  let existing = 0;
  // Codes keep the file's order, after any imported before.
  let position = nextCodePosition(state.codes);
  const visit = (nodes: readonly RefiCode[], parentId: CodeId | null) => {
    for (const node of nodes) {
      const name = (node.name || 'Code sans nom').slice(0, 200);
      const same = Object.values(all).find(
        (c) => c.parentId === parentId && foldForComparison(c.name) === foldForComparison(name),
      );
      if (same) {
        existing++;
        visit(node.children, same.id);
        continue;
      }
      const code: Code = {
        id: all[node.guid] ? newId<CodeId>() : (node.guid as CodeId),
        name,
        parentId,
        color: node.color ?? (CODE_COLORS[Object.keys(all).length % CODE_COLORS.length] as string),
        description: node.description.slice(0, 20_000),
        createdAt: now,
        createdBy: userId,
        version: 1,
        position: position++,
      };
      all[code.id] = code;
      events.push({ type: 'code_created', code });
      visit(node.children, code.id);
    }
  };
  visit(codes, null);
  return { events, report: { created: events.length, existing, errors: [] } };
}

/**
 * Import a `.qdc` into a project's codebook (lead only), in one change.
 * @throws DomainError `unprocessable` for a file that is not a REFI-QDA codebook or has no code.
 */
export async function importQdcCodebook(
  store: Store,
  projectId: ProjectId,
  userId: UserId,
  fileName: string,
  bytes: Uint8Array,
): Promise<CodebookImportReport> {
  const codes = readCodebookXml(fileName, bytes);
  if (codes.length === 0) throw refiRefusal(fileName, 'il ne contient aucun code.');
  const now = new Date().toISOString();
  return store.changeProject(projectId, userId, (state) => {
    assertRole(state, userId, 'lead');
    const plan = planQdcImport(state, codes, userId, now);
    return { events: plan.events, result: plan.report };
  });
}
