import type { ProjectEventBody } from '../../shared/events.ts';
import { newId, type ProjectId, type UserId } from '../../shared/ids.ts';
import type { Project, Role } from '../../shared/model.ts';
import { planCodes } from './plan-codes.ts';
import {
  DocumentPlanner,
  type PlannedRecording,
  type PlannedText,
  type SourceReport,
} from './plan-documents.ts';
import { planMediaSource } from './plan-media.ts';
import { planParticipants } from './plan-participants.ts';
import { flattenCodes } from './read-codes.ts';
import type { RefiProject } from './read-project.ts';
import { NoteReader, type ImportContext } from './source-files.ts';

export { IMPORTED_CODER_LABEL, type SourceReport } from './plan-documents.ts';
export { CHOICES_PREFIX, CHOICES_SEPARATOR } from './plan-participants.ts';
export type { ImportContext } from './source-files.ts';

/** What an import will write, computed entirely in memory before anything is stored. */
export interface ProjectImportPlan {
  readonly project: Project;
  readonly members: Record<string, Role>;
  /** Texts to store before the events, with the original file kept beside each. */
  readonly texts: readonly PlannedText[];
  /** Recordings to store with the texts, where uploaded ones go (`media/recordings.ts`). */
  readonly recordings: readonly PlannedRecording[];
  readonly events: readonly ProjectEventBody[];
  readonly report: ProjectImportReport;
}

export interface ProjectImportReport {
  origin: string;
  documents: number;
  codes: number;
  codings: number;
  participants: number;
  attributes: number;
  memos: number;
  /** Recordings kept with their transcript's document. */
  recordings: number;
  /** The original coders of the file, with the number of their codings (kept as labels). */
  coders: { guid: string; name: string; codings: number }[];
  /** Whom every imported coding is attributed to: the person importing. */
  attributedTo: UserId;
  sources: SourceReport[];
  warnings: string[];
}

/**
 * Turn a REFI-QDA project into Verbatim's events, all checked before anything is stored: the
 * caller becomes lead; codes, documents, participants and codings keep their REFI GUIDs as ids;
 * every text is normalised like any import and every selection is carried through that
 * normalisation. A selection outside its text refuses the whole import. Each transcript of an
 * audio or video source becomes a document with its sync points and, when it can be kept, the
 * recording (see `planMediaSource`).
 * @throws DomainError `unprocessable` (missing or unreadable source file, external source),
 *   `span_out_of_range` (a selection outside its text).
 */
export function planProjectImport(refi: RefiProject, context: ImportContext): ProjectImportPlan {
  const { fileName, userId, now } = context;
  const warnings: string[] = [];
  const notes = new NoteReader(refi, context);
  const project: Project = {
    id: newId<ProjectId>(),
    name: (refi.name || fileName.replace(/\.[^.]+$/, '')).slice(0, 200) || 'Projet importé',
    description: [refi.description.trim(), notes.join(refi.noteRefs)]
      .filter((t) => t !== '')
      .join('\n\n')
      .slice(0, 5000),
    createdAt: now,
    createdBy: userId,
  };
  const people = planParticipants(refi, context, warnings);
  const events: ProjectEventBody[] = [...people.events, ...planCodes(refi, context, notes, warnings)];
  const documents = new DocumentPlanner(refi, context, notes, people.participantOfSource, events, warnings);
  for (const source of refi.textSources) documents.addTextSource(source);
  for (const source of refi.mediaSources) planMediaSource(source, documents, context, warnings);
  for (const coding of documents.codings) events.push({ type: 'coding_created', coding });
  for (const [guid, kind] of refi.otherSources)
    warnings.push(
      `Source ${kind} ${guid} non importée : Verbatim n'importe que les textes et les transcriptions d'enregistrements.`,
    );
  return {
    project,
    members: { [userId]: 'lead' },
    texts: documents.texts,
    recordings: documents.recordings,
    events,
    report: {
      origin: refi.origin,
      documents: documents.texts.length,
      codes: flattenCodes(refi.codes).length,
      codings: documents.codings.length,
      participants: people.participants.length,
      attributes: people.attributes.length,
      memos: notes.count,
      recordings: documents.recordings.length,
      coders: documents.coders.used(),
      attributedTo: userId,
      sources: documents.reports,
      warnings,
    },
  };
}
