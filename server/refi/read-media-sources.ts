import { nameOf, noteRefsOf, readCoding, refiRefusal, requireGuid, stamp, textOf } from './read-codes.ts';
import type { RefiCoding, RefiStamp } from './read-project.ts';
import { childrenNamed, type XmlElement } from './xml.ts';

/**
 * Audio and video sources (`AudioSource`, `VideoSource`): the recording's path, and its
 * transcripts, each with its text, its sync points and its selections. A transcript selection
 * runs from the position of one sync point to that of another; a sync point ties a position of
 * the transcript (in characters) to a time of the recording (`timeStamp`, in milliseconds), and
 * either may be missing.
 */
export interface RefiMediaSource extends RefiStamp {
  readonly guid: string;
  readonly kind: 'AudioSource' | 'VideoSource';
  readonly name: string;
  /** Where the recording is: `internal://<file>` in the archive, or outside it. */
  readonly path: string | undefined;
  readonly transcripts: readonly RefiTranscript[];
  /** Codings of the whole source. */
  readonly codings: readonly RefiCoding[];
  readonly noteRefs: readonly string[];
  /** Selections of the recording by time (`AudioSelection`, `VideoSelection`), not read. */
  readonly timeSelections: number;
}

export interface RefiTranscript extends RefiStamp {
  readonly guid: string;
  readonly name: string;
  readonly content: string | undefined;
  readonly plainTextPath: string | undefined;
  readonly richTextPath: string | undefined;
  readonly syncPoints: readonly RefiSyncPoint[];
  readonly selections: readonly RefiTranscriptSelection[];
  readonly noteRefs: readonly string[];
}

export interface RefiSyncPoint {
  readonly guid: string;
  /** In the tool's unit over the transcript's text, as written; undefined when absent. */
  readonly position: number | undefined;
  /** Milliseconds from the start of the recording; undefined when absent. */
  readonly timeStamp: number | undefined;
}

export interface RefiTranscriptSelection extends RefiStamp {
  readonly guid: string;
  /** GUIDs of the sync points it runs from and to, when given. */
  readonly fromSyncPoint: string | undefined;
  readonly toSyncPoint: string | undefined;
  readonly codings: readonly RefiCoding[];
  readonly noteRefs: readonly string[];
}

export const MEDIA_SOURCES = ['AudioSource', 'VideoSource'] as const;

/** An optional `xsd:integer` attribute (a position, a time stamp). */
function optionalInteger(fileName: string, element: XmlElement, attribute: string): number | undefined {
  const raw = element.attributes[attribute];
  if (raw === undefined) return undefined;
  if (!/^[+-]?\d{1,15}$/.test(raw.trim())) {
    throw refiRefusal(
      fileName,
      `le point de synchronisation ${element.attributes.guid ?? ''} a un attribut ${attribute} invalide (« ${raw} »).`,
    );
  }
  return Number(raw.trim());
}

function optionalReference(fileName: string, element: XmlElement, attribute: string): string | undefined {
  return element.attributes[attribute] === undefined ? undefined : requireGuid(fileName, element, attribute);
}

function readTranscript(fileName: string, element: XmlElement): RefiTranscript {
  return {
    ...textOf(fileName, element),
    syncPoints: childrenNamed(element, 'SyncPoint').map((point) => ({
      guid: requireGuid(fileName, point),
      position: optionalInteger(fileName, point, 'position'),
      timeStamp: optionalInteger(fileName, point, 'timeStamp'),
    })),
    selections: childrenNamed(element, 'TranscriptSelection').map((selection) => ({
      guid: requireGuid(fileName, selection),
      fromSyncPoint: optionalReference(fileName, selection, 'fromSyncPoint'),
      toSyncPoint: optionalReference(fileName, selection, 'toSyncPoint'),
      codings: childrenNamed(selection, 'Coding').map((coding) => readCoding(fileName, coding)),
      noteRefs: noteRefsOf(fileName, selection),
      ...stamp(fileName, selection),
    })),
    noteRefs: noteRefsOf(fileName, element),
    ...stamp(fileName, element),
  };
}

/** Read an `AudioSource` or a `VideoSource`. */
export function readMediaSource(fileName: string, element: XmlElement): RefiMediaSource {
  return {
    guid: requireGuid(fileName, element),
    kind: element.name === 'VideoSource' ? 'VideoSource' : 'AudioSource',
    name: nameOf(fileName, element),
    path: element.attributes.path,
    transcripts: childrenNamed(element, 'Transcript').map((transcript) =>
      readTranscript(fileName, transcript),
    ),
    codings: childrenNamed(element, 'Coding').map((coding) => readCoding(fileName, coding)),
    noteRefs: noteRefsOf(fileName, element),
    timeSelections: element.children.filter((c) => c.name === 'AudioSelection' || c.name === 'VideoSelection')
      .length,
    ...stamp(fileName, element),
  };
}

/**
 * Check a media source's references: codes of its codings, notes, and the sync points its
 * transcript selections run between (each must be one of the same transcript's).
 */
export function checkMediaReferences(
  fileName: string,
  source: RefiMediaSource,
  check: {
    readonly notes: (refs: readonly string[], from: string) => void;
    readonly codings: (codings: readonly RefiCoding[], from: string) => void;
  },
): void {
  const from = `La source « ${source.name || source.guid} »`;
  check.notes(source.noteRefs, from);
  check.codings(source.codings, from);
  for (const transcript of source.transcripts) {
    check.notes(transcript.noteRefs, from);
    const points = new Set(transcript.syncPoints.map((p) => p.guid));
    for (const selection of transcript.selections) {
      check.notes(selection.noteRefs, from);
      check.codings(selection.codings, from);
      for (const ref of [selection.fromSyncPoint, selection.toSyncPoint]) {
        if (ref !== undefined && !points.has(ref)) {
          throw refiRefusal(
            fileName,
            `${from} renvoie au point de synchronisation ${ref}, que sa transcription ne définit pas.`,
            { reference: ref },
          );
        }
      }
    }
  }
}
