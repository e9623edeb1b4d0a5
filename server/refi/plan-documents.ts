import type { ProjectEventBody } from '../../shared/events.ts';
import { newId, type CodeId, type CodingId, type DocumentId, type ParticipantId } from '../../shared/ids.ts';
import type { Coding, DocumentMeta, MediaMeta } from '../../shared/model.ts';
import { orderSyncPoints, type SyncPoint } from '../../shared/sync-points.ts';
import { detectTurns } from '../../shared/turns.ts';
import { choosePositionUnit, PositionMapper, type PositionUnit } from './positions.ts';
import { refiRefusal } from './read-codes.ts';
import type { RefiCoding, RefiProject, RefiStamp, RefiTextSource } from './read-project.ts';
import { sourceText, type ImportContext, type NoteReader, type OriginalFile } from './source-files.ts';
import { UniqueNames } from './unique-names.ts';

/** The first line of the memo of an imported coding: who coded it in the original project. */
export const IMPORTED_CODER_LABEL = "Codeur d'origine : ";

export interface SourceReport {
  readonly name: string;
  readonly positionUnit: PositionUnit;
  /** Why that unit was chosen (see `choosePositionUnit`). */
  readonly reason: string;
  readonly selections: number;
  readonly codings: number;
  /** Selections whose ends fell inside a character composed by normalisation, moved outwards. */
  readonly inexact: number;
  /** Sync points kept (a transcript's, tying its text to its recording's times). */
  readonly syncPoints: number;
  /** Whether the recording was kept with the text. */
  readonly recording: boolean;
}

/** A text to store before the events, with the original file kept beside it. */
export interface PlannedText {
  readonly documentId: DocumentId;
  readonly text: string;
  readonly original?: OriginalFile;
}

/** A recording to store once the document exists, where an uploaded one would be. */
export interface PlannedRecording {
  readonly documentId: DocumentId;
  readonly media: MediaMeta;
  readonly bytes: Uint8Array;
}

/** What a transcript brings besides its text: times, a recording, the source cases refer to. */
export interface TranscriptExtras {
  /** As the file counts them: positions in the tool's unit over the raw text, times in seconds. */
  readonly syncPoints: readonly SyncPoint[];
  readonly recording: { readonly media: MediaMeta; readonly bytes: Uint8Array } | undefined;
  /** The GUID cases name the document by: its media source's. */
  readonly caseGuid: string;
}

/**
 * The coders of an imported project. Every coding is attributed to the person importing: no
 * account is created, and none is matched by GUID or name (a file can claim any GUID, any name).
 * The original coder's name is kept on each coding as a label, so the work of each original coder
 * stays distinct and can still be compared.
 */
export class CoderDirectory {
  private readonly seen = new Map<string, { guid: string; name: string; codings: number }>();

  constructor(private readonly refi: RefiProject) {}

  /** The original coder of a coding, by REFI user GUID (none: unknown), counted once more. */
  label(guid: string | undefined): { key: string; name: string } | undefined {
    if (guid === undefined) return undefined;
    const name = (this.refi.users.get(guid)?.name || `Codeur ${guid.slice(0, 8)}`).slice(0, 120);
    const entry = this.seen.get(guid) ?? { guid, name, codings: 0 };
    entry.codings++;
    this.seen.set(guid, entry);
    return { key: guid, name };
  }

  /** The original coders met, in order of appearance. */
  used(): { guid: string; name: string; codings: number }[] {
    return [...this.seen.values()];
  }
}

/** The document codings are added to, its text's positions, and the source's name for warnings. */
interface CodingTarget {
  readonly document: DocumentMeta;
  readonly mapper: PositionMapper;
  readonly label: string;
}

/**
 * Documents and their codings, source by source: each text normalised like any import, each
 * selection carried through that normalisation (a selection outside its text refuses the whole
 * import), duplicate codings (same code, passage and original coder) merged with a warning.
 * `document_added` events are appended as sources are planned; codings are kept for the end.
 */
export class DocumentPlanner {
  readonly texts: PlannedText[] = [];
  readonly codings: Coding[] = [];
  readonly reports: SourceReport[] = [];
  readonly recordings: PlannedRecording[] = [];
  readonly coders: CoderDirectory;
  private readonly documentNames = new UniqueNames();
  private readonly documentIds = new Set<string>();
  private readonly codingIds = new Set<string>();
  private readonly codingKeys = new Set<string>();

  constructor(
    private readonly refi: RefiProject,
    private readonly context: ImportContext,
    private readonly notes: NoteReader,
    private readonly participantOfSource: ReadonlyMap<string, ParticipantId>,
    private readonly events: ProjectEventBody[],
    private readonly warnings: string[],
  ) {
    this.coders = new CoderDirectory(refi);
  }

  /**
   * Plan one text source, or one transcript of a media source with its sync points and recording;
   * a source with no text is left aside with a warning.
   */
  addTextSource(source: RefiTextSource, transcript?: TranscriptExtras): void {
    const label = source.name || source.guid;
    const raw = sourceText(source, this.context);
    const rawPoints = transcript?.syncPoints ?? [];
    const spans = [...source.selections, ...rawPoints.map((p) => ({ start: p.position, end: p.position }))];
    const choice = choosePositionUnit(raw.text, spans, this.refi.origin);
    const mapper = new PositionMapper(raw.text, choice.unit);
    const codingCount = source.codings.length + source.selections.reduce((n, s) => n + s.codings.length, 0);
    if (mapper.text.trim() === '') {
      this.warnings.push(
        `La source « ${label} » ne contient aucun texte : elle n'est pas importée${codingCount > 0 ? ` (ni ses ${codingCount} codages)` : ''}.`,
      );
      return;
    }
    const documentId = (this.documentIds.has(source.guid) ? newId<DocumentId>() : source.guid) as DocumentId;
    this.documentIds.add(documentId);
    const syncPoints = this.mapSyncPoints(rawPoints, mapper, label);
    const recording = transcript?.recording;
    const document: DocumentMeta = {
      id: documentId,
      name: this.documentNames.take(source.name || `Source ${source.guid.slice(0, 8)}`, 255),
      length: mapper.index.length,
      memo: this.notes.join(source.noteRefs).slice(0, 100_000),
      createdAt: source.creationDateTime ?? this.context.now,
      createdBy: this.context.userId,
      format: raw.original?.format ?? 'txt',
      encoding: raw.encoding,
      turns: detectTurns(mapper.text),
      ...(syncPoints.length > 0 ? { syncPoints } : {}),
      participantId: this.participantOfSource.get(transcript?.caseGuid ?? source.guid) ?? null,
      ...(recording ? { media: recording.media } : {}),
    };
    this.events.push({ type: 'document_added', document });
    this.texts.push({ documentId, text: mapper.text, ...(raw.original ? { original: raw.original } : {}) });
    if (recording) this.recordings.push({ documentId, ...recording });
    const made = this.codings.length;
    const inexact = this.addCodings(source, { document, mapper, label });
    this.reports.push({
      name: document.name,
      positionUnit: choice.unit,
      reason: choice.reason,
      selections: source.selections.length,
      codings: this.codings.length - made,
      inexact,
      syncPoints: syncPoints.length,
      recording: recording !== undefined,
    });
  }

  /** Sync points carried onto the stored text, in order; one outside the text is dropped, said so. */
  private mapSyncPoints(points: readonly SyncPoint[], mapper: PositionMapper, label: string): SyncPoint[] {
    const mapped: SyncPoint[] = [];
    for (const point of points) {
      const span = mapper.map(point.position, point.position);
      if (span) mapped.push({ position: span.start, time: point.time });
      else
        this.warnings.push(
          `Point de synchronisation ignoré dans « ${label} » : sa position ${point.position} sort du texte.`,
        );
    }
    return orderSyncPoints(mapped);
  }

  /** The codings of a source and of its selections; returns how many selections moved outwards. */
  private addCodings(source: RefiTextSource, target: CodingTarget): number {
    const { mapper, label } = target;
    let inexact = 0;
    for (const coding of source.codings)
      this.addCoding(target, coding, 0, target.document.length, source, '');
    for (const selection of source.selections) {
      const span = mapper.map(selection.start, selection.end);
      if (!span) {
        throw refiRefusal(
          this.context.fileName,
          `la sélection ${selection.guid} de « ${label} » [${selection.start}, ${selection.end}) sort du texte (longueur ${mapper.rawLength} en ${mapper.unit === 'utf-16' ? 'unités UTF-16' : 'points de code'}).`,
          {
            source: source.guid,
            selection: selection.guid,
            start: selection.start,
            end: selection.end,
            length: mapper.rawLength,
          },
        );
      }
      if (!span.exact) inexact++;
      if (span.start === span.end) {
        if (selection.codings.length > 0)
          this.warnings.push(`Sélection vide ignorée dans « ${label} » (${selection.guid}).`);
        continue;
      }
      const memo = this.notes.join(selection.noteRefs);
      for (const coding of selection.codings)
        this.addCoding(target, coding, span.start, span.end, selection, memo);
    }
    return inexact;
  }

  private addCoding(
    { document, mapper, label }: CodingTarget,
    refiCoding: RefiCoding,
    start: number,
    end: number,
    owner: RefiStamp,
    memo: string,
  ): void {
    const original = this.coders.label(refiCoding.creatingUser ?? owner.creatingUser);
    const key = `${document.id}|${refiCoding.codeGuid}|${original?.key ?? ''}|${start}|${end}`;
    if (this.codingKeys.has(key)) {
      this.warnings.push(`Codage en double ignoré dans « ${label} » (même code, même passage, même codeur).`);
      return;
    }
    this.codingKeys.add(key);
    const id = this.codingIds.has(refiCoding.guid) ? newId<CodingId>() : (refiCoding.guid as CodingId);
    this.codingIds.add(id);
    const codingMemo = [
      original ? `${IMPORTED_CODER_LABEL}${original.name}` : '',
      memo,
      this.notes.join(refiCoding.noteRefs),
    ]
      .filter((t) => t !== '')
      .join('\n\n');
    this.codings.push({
      id,
      documentId: document.id,
      codeId: refiCoding.codeGuid as CodeId,
      start,
      end,
      text: mapper.index.slice(start, end),
      coderId: this.context.userId,
      createdAt: refiCoding.creationDateTime ?? owner.creationDateTime ?? this.context.now,
      memo: codingMemo.slice(0, 100_000),
    });
  }
}
