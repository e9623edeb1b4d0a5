import type { DocumentMeta, ProjectState, UserRecord } from '../../shared/model.ts';
import { codeElements, ORIGIN } from './export-codebook.ts';
import { caseElements } from './export-cases.ts';
import { sourceElements, type SourceExtras } from './export-sources.ts';
import { serialiseXml, type XmlNode } from './xml.ts';

export const PROJECT_NAMESPACE = 'urn:QDA-XML:project:1.0';

/**
 * A project as REFI-QDA (Project.xsd), element order as the schema's sequences require and no
 * empty wrapper. GUIDs are Verbatim's own ids (UUIDs) where a thing has one, and otherwise derived
 * from the project's ids (`derivedGuid`), so exporting the same project twice gives the same GUIDs.
 *
 * - Users: every account the export names (members, coders, authors).
 * - CodeBook: the code tree. Variables: the participants' attributes (`choice` as Text, its
 *   choices in the description). Cases: one per participant, named by pseudonym, with its values
 *   and its documents.
 * - Sources: one TextSource per document, its stored text in `sources/<guid>.txt` (so positions
 *   hold) and its original `.docx`, when it was one, as `richTextPath`. Codings with the same
 *   span and memo share one PlainTextSelection ([start, end) in code points), with one Coding
 *   per code and coder. A document whose recording is in the archive (`recordings`: document id
 *   → file name in `sources/`) is an AudioSource or VideoSource whose Transcript holds its text,
 *   its sync points and its codings (see `export-sources.ts`).
 * - Notes: document memos (referenced by their source) and coding memos (by their selection).
 */
export function buildProjectXml(
  state: Readonly<ProjectState>,
  users: Readonly<Record<string, UserRecord>>,
  withDocx: ReadonlySet<string>,
  recordings: ReadonlyMap<string, string> = new Map(),
): string {
  const extras: SourceExtras = {
    notes: [],
    referenced: new Set<string>([state.project.createdBy, ...Object.keys(state.members)]),
  };
  const documents = Object.values(state.documents).sort(byName);
  const sources = sourceElements(state, documents, { withDocx, recordings }, extras);
  const { variables, cases } = caseElements(state, documents);
  const codes = codeElements(state.codes);
  const userElements = [...extras.referenced]
    .filter((id) => id !== '')
    .sort()
    .map((id): XmlNode => ({
      name: 'User',
      attributes: { guid: id, name: users[id]?.displayName ?? id, id: users[id]?.username },
    }));
  const wrap = (name: string, children: readonly XmlNode[]): XmlNode | undefined =>
    children.length === 0 ? undefined : { name, children };
  return serialiseXml({
    name: 'Project',
    attributes: {
      xmlns: PROJECT_NAMESPACE,
      name: state.project.name,
      origin: ORIGIN,
      creatingUserGUID: state.project.createdBy || undefined,
      creationDateTime: state.project.createdAt || undefined,
    },
    children: [
      wrap('Users', userElements),
      codes.length === 0 ? undefined : { name: 'CodeBook', children: [{ name: 'Codes', children: codes }] },
      wrap('Variables', variables),
      wrap('Cases', cases),
      wrap('Sources', sources),
      wrap('Notes', extras.notes),
      state.project.description.trim() === ''
        ? undefined
        : { name: 'Description', text: state.project.description },
    ],
  });
}

function byName(a: DocumentMeta, b: DocumentMeta): number {
  return a.name.localeCompare(b.name, 'fr', { numeric: true }) || a.id.localeCompare(b.id);
}
