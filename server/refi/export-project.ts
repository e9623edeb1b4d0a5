import type { Coding, DocumentMeta, ProjectState, UserRecord } from '../../shared/model.ts';
import { codeElements, ORIGIN } from './export-codebook.ts';
import { caseElements } from './export-cases.ts';
import { codingsByDocument, sourceElement, type SourceExtras } from './export-sources.ts';
import { endTag, serialiseElement, startTag, XML_DECLARATION, type XmlNode } from './xml.ts';

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
  return [...projectXmlChunks(state, users, withDocx, recordings)].join('');
}

/**
 * `buildProjectXml` in pieces, for an archive that compresses them as they come: what precedes the
 * sources, then each source (its selections and codings) on its own, then the notes. A project of
 * 100,000 codings is thus never held whole, as elements or as text; the pieces joined are the
 * same document, byte for byte.
 */
export function* projectXmlChunks(
  state: Readonly<ProjectState>,
  users: Readonly<Record<string, UserRecord>>,
  withDocx: ReadonlySet<string>,
  recordings: ReadonlyMap<string, string> = new Map(),
): Generator<string> {
  const documents = Object.values(state.documents).sort(byName);
  const codings = codingsByDocument(state);
  const extras: SourceExtras = { notes: [], referenced: referencedUsers(state, documents, codings) };
  const { variables, cases } = caseElements(state, documents);
  const codes = codeElements(state.codes);
  const wrap = (name: string, children: readonly XmlNode[]): XmlNode | undefined =>
    children.length === 0 ? undefined : { name, children };
  const head = [
    wrap('Users', userElements(extras.referenced, users)),
    codes.length === 0 ? undefined : { name: 'CodeBook', children: [{ name: 'Codes', children: codes }] },
    wrap('Variables', variables),
    wrap('Cases', cases),
  ].filter((node): node is XmlNode => node !== undefined);
  const description: XmlNode | undefined =
    state.project.description.trim() === ''
      ? undefined
      : { name: 'Description', text: state.project.description };
  const root: XmlNode = {
    name: 'Project',
    attributes: {
      xmlns: PROJECT_NAMESPACE,
      name: state.project.name,
      origin: ORIGIN,
      creatingUserGUID: state.project.createdBy || undefined,
      creationDateTime: state.project.createdAt || undefined,
    },
  };
  yield XML_DECLARATION;
  // Notes come from the sources only: without sources, nothing else can follow the head.
  if (head.length === 0 && documents.length === 0 && !description) {
    yield serialiseElement(root, 0);
    return;
  }
  yield startTag(root, 0);
  for (const node of head) yield serialiseElement(node, 1);
  if (documents.length > 0) {
    yield startTag({ name: 'Sources' }, 1);
    const files = { withDocx, recordings };
    for (const document of documents) {
      const source = sourceElement(state, document, codings.get(document.id) ?? [], files, extras);
      yield serialiseElement(source, 2);
    }
    yield endTag('Sources', 1);
  }
  if (extras.notes.length > 0) yield serialiseElement({ name: 'Notes', children: extras.notes }, 1);
  if (description) yield serialiseElement(description, 1);
  yield endTag('Project', 0);
}

/**
 * Every account the export names, known before the sources are written (`Users` precedes them):
 * the project's creator and members, and the creators and coders of its documents.
 */
function referencedUsers(
  state: Readonly<ProjectState>,
  documents: readonly DocumentMeta[],
  codings: ReadonlyMap<string, readonly Coding[]>,
): Set<string> {
  const referenced = new Set<string>([state.project.createdBy, ...Object.keys(state.members)]);
  for (const document of documents) {
    referenced.add(document.createdBy);
    for (const coding of codings.get(document.id) ?? []) referenced.add(coding.coderId);
  }
  return referenced;
}

function userElements(
  referenced: ReadonlySet<string>,
  users: Readonly<Record<string, UserRecord>>,
): XmlNode[] {
  return [...referenced]
    .filter((id) => id !== '')
    .sort()
    .map((id): XmlNode => ({
      name: 'User',
      attributes: { guid: id, name: users[id]?.displayName ?? id, id: users[id]?.username },
    }));
}

function byName(a: DocumentMeta, b: DocumentMeta): number {
  return a.name.localeCompare(b.name, 'fr', { numeric: true }) || a.id.localeCompare(b.id);
}
