import { assertUniqueSiblingName, buildCodeTree, nextCodePosition, type CodeNode } from './codebook.ts';
import { isDomainError } from './errors.ts';
import type { ProjectEventBody } from './events.ts';
import { newId, type CodeId, type UserId } from './ids.ts';
import { CODE_COLORS, type Code, type ProjectState } from './model.ts';
import { unsafeCellsReason } from './safe-text.ts';
import { foldForComparison } from './text.ts';

const NAME_HEADERS = ['code', 'nom', 'name', 'theme', 'thème'];
const PARENT_HEADERS = ['parent', 'code parent', 'parent code'];
const COLOR_HEADERS = ['couleur', 'color', 'colour'];
const DESCRIPTION_HEADERS = ['description', 'definition', 'définition', 'memo'];

function column(header: readonly string[], names: readonly string[]): number {
  const folded = names.map(foldForComparison);
  return header.findIndex((h) => folded.includes(foldForComparison(h.trim())));
}

export interface CodebookImportReport {
  created: number;
  existing: number;
  errors: { row: number; message: string }[];
}

/**
 * Plan the import of a codebook table `code,parent,couleur,description` (French or English headers).
 * Parents are named by their code name, in the table or in the codebook already; rows may come in
 * any order. A code that already exists under the same parent is left as it is. Rows with an
 * unknown or ambiguous parent, or a malformed colour, are reported and skipped.
 */
export function planCodebookImport(
  state: Readonly<ProjectState>,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  userId: UserId,
  now: string,
): { events: ProjectEventBody[]; report: CodebookImportReport; codes: Code[] } {
  const nameCol = column(header, NAME_HEADERS);
  const parentCol = column(header, PARENT_HEADERS);
  const colorCol = column(header, COLOR_HEADERS);
  const descriptionCol = column(header, DESCRIPTION_HEADERS);
  const errors: { row: number; message: string }[] = [];
  if (nameCol < 0) {
    return {
      events: [],
      codes: [],
      report: {
        created: 0,
        existing: 0,
        errors: [{ row: 1, message: "L'en-tête doit avoir une colonne « code » (ou « nom », « name »)." }],
      },
    };
  }
  const codes: Record<string, Code> = { ...state.codes };
  // Codes keep the order of the rows, after any imported before.
  const firstPosition = nextCodePosition(state.codes);
  const created: Code[] = [];
  let existing = 0;
  let pending = rows
    .map((row, i) => ({
      rowNo: i + 2,
      name: (row[nameCol] ?? '').trim(),
      parent: parentCol >= 0 ? (row[parentCol] ?? '').trim() : '',
      color: colorCol >= 0 ? (row[colorCol] ?? '').trim() : '',
      description: descriptionCol >= 0 ? (row[descriptionCol] ?? '').trim() : '',
    }))
    .filter((r) => {
      const unsafe = unsafeCellsReason([
        { column: 'code', value: r.name, kind: 'name' },
        { column: 'parent', value: r.parent, kind: 'name' },
        { column: 'description', value: r.description, kind: 'text' },
      ]);
      if (unsafe) {
        errors.push({ row: r.rowNo, message: unsafe });
        return false;
      }
      if (r.name !== '') return true;
      if (r.parent !== '' || r.color !== '' || r.description !== '')
        errors.push({ row: r.rowNo, message: 'Nom de code manquant.' });
      return false;
    });
  const byName = (name: string) =>
    Object.values(codes).filter((c) => foldForComparison(c.name) === foldForComparison(name));
  // Resolve parents in passes: a row waits until its parent exists.
  for (let progress = true; progress && pending.length > 0;) {
    progress = false;
    const waiting: typeof pending = [];
    for (const r of pending) {
      let parentId: CodeId | null = null;
      if (r.parent !== '') {
        const parents = byName(r.parent);
        if (parents.length === 0) {
          waiting.push(r);
          continue;
        }
        if (parents.length > 1) {
          errors.push({
            row: r.rowNo,
            message: `Le parent « ${r.parent} » est ambigu : plusieurs codes portent ce nom.`,
          });
          progress = true;
          continue;
        }
        parentId = (parents[0] as Code).id;
      }
      progress = true;
      if (r.color !== '' && !/^#[0-9a-fA-F]{6}$/.test(r.color)) {
        errors.push({ row: r.rowNo, message: `Couleur « ${r.color} » invalide (attendu : #rrggbb).` });
        continue;
      }
      const same = Object.values(codes).find(
        (c) => c.parentId === parentId && foldForComparison(c.name) === foldForComparison(r.name),
      );
      if (same) {
        existing++;
        continue;
      }
      try {
        assertUniqueSiblingName(codes, r.name, parentId, null);
      } catch (error) {
        if (!isDomainError(error)) throw error;
        errors.push({ row: r.rowNo, message: error.message });
        continue;
      }
      const code: Code = {
        id: newId<CodeId>(),
        name: r.name.slice(0, 200),
        parentId,
        color: (
          r.color || (CODE_COLORS[Object.keys(codes).length % CODE_COLORS.length] as string)
        ).toLowerCase(),
        description: r.description,
        createdAt: now,
        createdBy: userId,
        version: 1,
        position: firstPosition + r.rowNo,
      };
      codes[code.id] = code;
      created.push(code);
    }
    pending = waiting;
  }
  for (const r of pending)
    errors.push({ row: r.rowNo, message: `Le parent « ${r.parent} » est introuvable.` });
  errors.sort((a, b) => a.row - b.row);
  return {
    events: created.map((code) => ({ type: 'code_created', code })),
    report: { created: created.length, existing, errors },
    codes: created,
  };
}

/** The codebook as rows `code, parent, couleur, description`, parents before their children. */
export function codebookRows(codes: Readonly<Record<string, Code>>): string[][] {
  const rows: string[][] = [['code', 'parent', 'couleur', 'description']];
  const walk = (nodes: readonly CodeNode[], parent: string) => {
    for (const node of nodes) {
      rows.push([node.code.name, parent, node.code.color, node.code.description]);
      walk(node.children, node.code.name);
    }
  };
  walk(buildCodeTree(codes), '');
  return rows;
}
