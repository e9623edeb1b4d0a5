import { siblingNamed, buildCodeTree, nextCodePosition, putCode, type CodeNode } from './codebook.ts';
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
  const placing: Placing = {
    codes: { ...state.codes },
    // Codes keep the order of the rows, after any imported before.
    firstPosition: nextCodePosition(state.codes),
    created: [],
    existing: 0,
    errors,
    userId,
    now,
  };
  let pending = readCodeRows(header, rows, nameCol, errors);
  // Resolve parents in passes: a row waits until its parent exists.
  for (let progress = true; progress && pending.length > 0;) {
    progress = false;
    const waiting: CodeRow[] = [];
    for (const r of pending) {
      if (placeRow(r, placing)) progress = true;
      else waiting.push(r);
    }
    pending = waiting;
  }
  for (const r of pending)
    errors.push({ row: r.rowNo, message: `Le parent « ${r.parent} » est introuvable.` });
  errors.sort((a, b) => a.row - b.row);
  const created = placing.created;
  return {
    events: created.map((code) => ({ type: 'code_created', code })),
    report: { created: created.length, existing: placing.existing, errors },
    codes: created,
  };
}

/** A row of the codebook table, its cells trimmed; `rowNo` counts the header as row 1. */
interface CodeRow {
  readonly rowNo: number;
  readonly name: string;
  readonly parent: string;
  readonly color: string;
  readonly description: string;
}

/** The codebook as the import builds it, row after row. */
interface Placing {
  /** The codebook so far: the project's codes and those created. */
  readonly codes: Record<string, Code>;
  readonly firstPosition: number;
  readonly created: Code[];
  existing: number;
  readonly errors: { row: number; message: string }[];
  readonly userId: UserId;
  readonly now: string;
}

/** The rows that name a code; one with unsafe text, or with cells but no name, is reported. */
function readCodeRows(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  nameCol: number,
  errors: { row: number; message: string }[],
): CodeRow[] {
  const parentCol = column(header, PARENT_HEADERS);
  const colorCol = column(header, COLOR_HEADERS);
  const descriptionCol = column(header, DESCRIPTION_HEADERS);
  return rows
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
}

/**
 * Place one row in the codebook: a code created, one found already there, or an error. Returns
 * false, leaving everything as it was, when its parent does not exist (yet).
 */
function placeRow(r: CodeRow, placing: Placing): boolean {
  const { codes, errors } = placing;
  let parentId: CodeId | null = null;
  if (r.parent !== '') {
    const parents = Object.values(codes).filter(
      (c) => foldForComparison(c.name) === foldForComparison(r.parent),
    );
    if (parents.length === 0) return false;
    if (parents.length > 1) {
      errors.push({
        row: r.rowNo,
        message: `Le parent « ${r.parent} » est ambigu : plusieurs codes portent ce nom.`,
      });
      return true;
    }
    parentId = (parents[0] as Code).id;
  }
  if (r.color !== '' && !/^#[0-9a-fA-F]{6}$/.test(r.color)) {
    errors.push({ row: r.rowNo, message: `Couleur « ${r.color} » invalide (attendu : #rrggbb).` });
    return true;
  }
  const name = r.name.slice(0, 200);
  // Already there under that parent (the codebook imported again, or a row repeated): kept as is.
  if (siblingNamed(codes, name, parentId)) {
    placing.existing++;
    return true;
  }
  const code: Code = {
    id: newId<CodeId>(),
    name,
    parentId,
    color: (r.color || (CODE_COLORS[Object.keys(codes).length % CODE_COLORS.length] as string)).toLowerCase(),
    description: r.description,
    createdAt: placing.now,
    createdBy: placing.userId,
    version: 1,
    position: placing.firstPosition + r.rowNo,
  };
  putCode(codes, code);
  placing.created.push(code);
  return true;
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
