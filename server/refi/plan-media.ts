import { isDomainError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { MediaMeta } from '../../shared/model.ts';
import type { SyncPoint } from '../../shared/sync-points.ts';
import { recogniseRecording } from '../media/recordings.ts';
import type { DocumentPlanner } from './plan-documents.ts';
import type { RefiMediaSource, RefiSyncPoint, RefiTranscript } from './read-media-sources.ts';
import type { RefiSelection, RefiTextSource } from './read-project.ts';
import { findInternalFile, type ImportContext } from './source-files.ts';

const KIND_NAMES = { AudioSource: 'audio', VideoSource: 'vidéo' } as const;

/**
 * An audio or video source as documents: each transcript becomes a document with its text, its
 * codings (a transcript selection covers the text between the positions of its two sync points),
 * its timed sync points, and the recording when the archive holds one that is audio or video and
 * the storage keeps recordings. Whatever is left aside is said in a warning; the first transcript
 * takes the source's GUID, its notes and its codings of the whole source.
 */
export function planMediaSource(
  source: RefiMediaSource,
  planner: DocumentPlanner,
  context: ImportContext,
  warnings: string[],
): void {
  const label = source.name || source.guid;
  const kind = KIND_NAMES[source.kind];
  if (source.transcripts.length === 0) {
    warnings.push(
      `La source ${kind} « ${label} » n'a pas de transcription : elle n'est pas importée (un document Verbatim est un texte).`,
    );
    return;
  }
  if (source.timeSelections > 0) {
    const s = source.timeSelections > 1 ? 's' : '';
    warnings.push(
      `${source.timeSelections} sélection${s} de l'enregistrement « ${label} » (par le temps) non importée${s} : seules les sélections de sa transcription le sont.`,
    );
  }
  const recording = sourceRecording(source, context, warnings);
  source.transcripts.forEach((transcript, n) => {
    const first = n === 0;
    planner.addTextSource(transcriptAsSource(source, transcript, first, warnings), {
      syncPoints: timedPoints(transcript.syncPoints),
      // Each document has its own copy: a recording belongs to one document.
      recording:
        recording && (first ? recording : { ...recording, media: { ...recording.media, id: newId() } }),
      caseGuid: source.guid,
    });
  });
}

/** A transcript in the shape of a text source: its selections from sync point to sync point. */
function transcriptAsSource(
  source: RefiMediaSource,
  transcript: RefiTranscript,
  first: boolean,
  warnings: string[],
): RefiTextSource {
  const positions = new Map(transcript.syncPoints.map((p) => [p.guid, p.position]));
  const selections: RefiSelection[] = [];
  for (const selection of transcript.selections) {
    const start = selection.fromSyncPoint === undefined ? undefined : positions.get(selection.fromSyncPoint);
    const end = selection.toSyncPoint === undefined ? undefined : positions.get(selection.toSyncPoint);
    if (start === undefined || end === undefined) {
      warnings.push(
        `Sélection ${selection.guid} de « ${transcript.name || source.name || transcript.guid} » ignorée : il lui manque un point de synchronisation avec une position.`,
      );
      continue;
    }
    selections.push({ ...selection, start, end });
  }
  return {
    guid: first ? source.guid : transcript.guid,
    name: transcript.name || source.name,
    content: transcript.content,
    plainTextPath: transcript.plainTextPath,
    richTextPath: transcript.richTextPath,
    selections,
    codings: first ? source.codings : [],
    noteRefs: [...(first ? source.noteRefs : []), ...transcript.noteRefs],
    creatingUser: transcript.creatingUser ?? source.creatingUser,
    creationDateTime: transcript.creationDateTime ?? source.creationDateTime,
  };
}

/** Sync points with both a position and a time (milliseconds → seconds); the others only anchor selections. */
function timedPoints(points: readonly RefiSyncPoint[]): SyncPoint[] {
  return points.flatMap((p) =>
    p.position === undefined || p.timeStamp === undefined
      ? []
      : [{ position: p.position, time: p.timeStamp / 1000 }],
  );
}

/**
 * The source's recording, recognised from its bytes and bounded as an upload is; undefined, with
 * a warning saying why, when it cannot be kept: storage without recordings (PostgreSQL), a file
 * outside the archive or missing from it, bytes that are no recording, a file over the limit.
 */
function sourceRecording(
  source: RefiMediaSource,
  context: ImportContext,
  warnings: string[],
): { media: MediaMeta; bytes: Uint8Array } | undefined {
  const label = source.name || source.guid;
  const path = source.path?.trim();
  if (!path) return undefined;
  const without = 'sa transcription est importée sans lui';
  const withoutSentence = 'Sa transcription est importée sans lui.';
  if (!context.recordings) {
    warnings.push(
      `L'enregistrement de « ${label} » n'est pas importé : ce serveur ne garde pas d’enregistrements (avec PostgreSQL, VERBATIM_MEDIA_DIR doit désigner leur dossier) ; ${without}.`,
    );
    return undefined;
  }
  if (!/^internal:\/\//i.test(path)) {
    warnings.push(`L'enregistrement de « ${label} » est hors de l'archive (« ${path} ») : ${without}.`);
    return undefined;
  }
  const bytes = findInternalFile(path, context);
  if (!bytes) {
    warnings.push(
      `L'enregistrement de « ${label} » (« ${path} ») est absent du dossier sources : ${without}.`,
    );
    return undefined;
  }
  const fileName = path.replace(/^internal:\/\/\/?/i, '');
  try {
    return { media: recogniseRecording(source.name || fileName, bytes, context.recordings.maxBytes), bytes };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    warnings.push(`L'enregistrement de « ${label} » n'est pas importé : ${error.message} ${withoutSentence}`);
    return undefined;
  }
}
