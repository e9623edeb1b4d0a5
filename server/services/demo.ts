import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertRole } from '../../shared/access.ts';
import { planCodebookImport } from '../../shared/codebook-import.ts';
import { DomainError } from '../../shared/errors.ts';
import { newId, type CodeId, type CodingId, type ProjectId, type UserId } from '../../shared/ids.ts';
import type { Coding, Project, ProjectState } from '../../shared/model.ts';
import { planParticipantImport } from '../../shared/participants.ts';
import { foldForComparison } from '../../shared/text.ts';
import { parseCsvTable } from '../import/csv-table.ts';
import { importFile } from '../import/index.ts';
import type { Store } from '../storage/store.ts';
import { addDocument } from './documents.ts';

export const DEMO_DIR = fileURLToPath(new URL('../../fixtures/demo/', import.meta.url));
const TRANSCRIPT_EXTENSIONS = new Set(['.txt', '.docx', '.odt', '.vtt', '.srt', '.pdf']);

/**
 * Create the « Étude démo » project from `fixtures/demo/`: its interviews in several formats, the
 * participants table, the starter codebook, and a few example codings (`codings.csv`: file, code,
 * passage), all made by `userId`, who becomes the project's lead.
 */
export async function createDemoProject(
  store: Store,
  userId: UserId,
  dir = DEMO_DIR,
): Promise<Readonly<ProjectState>> {
  const files = (await readdir(dir))
    .filter((f) => TRANSCRIPT_EXTENSIONS.has(extname(f).toLowerCase()))
    .sort();
  if (files.length === 0) throw new DomainError('not_found', `Aucun entretien de démonstration dans ${dir}.`);
  const project: Project = {
    id: newId<ProjectId>(),
    name: 'Étude démo',
    description:
      'Quatre entretiens fictifs sur les outils numériques du spectacle vivant (billetterie, planification, RH, communication).',
    createdAt: new Date().toISOString(),
    createdBy: userId,
    demo: true,
  };
  await store.createProject(project, { [userId]: 'lead' }, userId);
  const id = project.id;
  for (const file of files) {
    const imported = await importFile(file, new Uint8Array(await readFile(join(dir, file))));
    await addDocument(store, id, userId, file, imported, imported.original);
  }
  const now = new Date().toISOString();
  const participants = parseCsvTable(
    'participants.csv',
    new Uint8Array(await readFile(join(dir, 'participants.csv'))),
  );
  const codebook = parseCsvTable('codebook.csv', new Uint8Array(await readFile(join(dir, 'codebook.csv'))));
  await store.changeProject(id, userId, (s) => {
    assertRole(s, userId, 'lead');
    return {
      events: planParticipantImport(s, participants.header, participants.rows, userId, now).events,
      result: null,
    };
  });
  await store.changeProject(id, userId, (s) => {
    assertRole(s, userId, 'lead');
    return {
      events: planCodebookImport(s, codebook.header, codebook.rows, userId, now).events,
      result: null,
    };
  });
  const codingsFile = await readFile(join(dir, 'codings.csv')).catch(() => undefined);
  if (codingsFile) await addDemoCodings(store, id, userId, new Uint8Array(codingsFile));
  return (await store.readProject(id)) as Readonly<ProjectState>;
}

/** Example codings: each row names a file, a code and a passage quoted exactly from the text. */
async function addDemoCodings(store: Store, id: ProjectId, userId: UserId, bytes: Uint8Array): Promise<void> {
  const { rows } = parseCsvTable('codings.csv', bytes);
  const state = (await store.readProject(id)) as Readonly<ProjectState>;
  const codings: Coding[] = [];
  for (const [file, codeName, passage] of rows) {
    const document = Object.values(state.documents).find((d) => d.name === file);
    const code = Object.values(state.codes).find(
      (c) => foldForComparison(c.name) === foldForComparison(codeName ?? ''),
    );
    if (!document || !code || !passage)
      throw new Error(`codings.csv : ligne introuvable (${file}, ${codeName}).`);
    const index = await store.readTextIndex(id, document.id);
    const at = index.text.indexOf(passage);
    if (at < 0) throw new Error(`codings.csv : passage absent de ${file} : « ${passage} »`);
    const start = index.toCodePoint(at);
    codings.push({
      id: newId<CodingId>(),
      documentId: document.id,
      codeId: code.id as CodeId,
      start,
      end: index.toCodePoint(at + passage.length),
      text: passage,
      coderId: userId,
      createdAt: new Date().toISOString(),
      memo: '',
    });
  }
  await store.changeProject(id, userId, () => ({
    events: codings.map((coding) => ({ type: 'coding_created' as const, coding })),
    result: null,
  }));
}
