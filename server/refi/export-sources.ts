import type { Coding, DocumentMeta, MediaMeta, ProjectState } from '../../shared/model.ts';
import { derivedGuid } from './guid.ts';
import type { XmlNode } from './xml.ts';

/** What the sources' elements add to the rest of the project: notes, and the users they name. */
export interface SourceExtras {
  /** Document and coding memos, as `Note`s for the project's `Notes`. */
  readonly notes: XmlNode[];
  /** Accounts to list in `Users`. */
  readonly referenced: Set<string>;
}

/** Each document's codings, by document id. */
export function codingsByDocument(state: Readonly<ProjectState>): ReadonlyMap<string, readonly Coding[]> {
  const byDocument = new Map<string, Coding[]>();
  for (const coding of Object.values(state.codings)) {
    const list = byDocument.get(coding.documentId) ?? [];
    list.push(coding);
    byDocument.set(coding.documentId, list);
  }
  return byDocument;
}

/**
 * A document's source. A document with a recording in the archive (`recordings`: document id →
 * the recording's file name in `sources/`) is an AudioSource or a VideoSource (see
 * `mediaSourceElement`); any other is a TextSource: its stored text in `sources/<guid>.txt` (so
 * positions hold), its original `.docx`, when it was one, as `richTextPath`, its codings as
 * selections, its memo as a note.
 */
export function sourceElement(
  state: Readonly<ProjectState>,
  document: DocumentMeta,
  codings: readonly Coding[],
  files: { readonly withDocx: ReadonlySet<string>; readonly recordings: ReadonlyMap<string, string> },
  extras: SourceExtras,
): XmlNode {
  extras.referenced.add(document.createdBy);
  const richTextPath = files.withDocx.has(document.id) ? `internal://${document.id}.docx` : undefined;
  const recording = files.recordings.get(document.id);
  if (recording !== undefined && document.media) {
    const transcript = { richTextPath, codings };
    return mediaSourceElement(state, document, document.media, recording, transcript, extras);
  }
  return {
    name: 'TextSource',
    attributes: {
      guid: document.id,
      name: document.name,
      richTextPath,
      plainTextPath: `internal://${document.id}.txt`,
      creatingUser: document.createdBy,
      creationDateTime: document.createdAt,
    },
    children: [...selectionElements(document, codings, extras), documentNoteRef(state, document, extras)],
  };
}

/**
 * A document with its recording: an AudioSource (audio/*) or a VideoSource (video/*) named after
 * the recording, `path` its file in `sources/`, holding one Transcript — the document's text, as a
 * TextSource's — with a SyncPoint per sync point (`position` in code points, `timeStamp` in
 * milliseconds) and one TranscriptSelection per group of codings. The schema gives a transcript
 * selection no positions of its own, only the sync points it runs between, so each end of a
 * coding that is not a sync point gets one of its own with a position and no time.
 */
function mediaSourceElement(
  state: Readonly<ProjectState>,
  document: DocumentMeta,
  media: MediaMeta,
  recording: string,
  transcript: { readonly richTextPath: string | undefined; readonly codings: readonly Coding[] },
  extras: SourceExtras,
): XmlNode {
  const groups = codingGroups(document, transcript.codings);
  const times = new Map((document.syncPoints ?? []).map((p) => [p.position, p.time]));
  const positions = [...new Set([...times.keys(), ...groups.flatMap((g) => [g.first.start, g.first.end])])];
  const pointGuid = (position: number) => derivedGuid('sync-point', document.id, String(position));
  const points = positions
    .sort((a, b) => a - b)
    .map((position): XmlNode => {
      const time = times.get(position);
      return {
        name: 'SyncPoint',
        attributes: {
          guid: pointGuid(position),
          timeStamp: time === undefined ? undefined : String(Math.round(time * 1000)),
          position: String(position),
        },
      };
    });
  const selections = groups.map((entry): XmlNode => ({
    name: 'TranscriptSelection',
    attributes: {
      guid: entry.guid,
      fromSyncPoint: pointGuid(entry.first.start),
      toSyncPoint: pointGuid(entry.first.end),
      creatingUser: entry.first.coderId,
      creationDateTime: entry.first.createdAt,
    },
    children: groupChildren(document, entry, extras),
  }));
  const stamp = { creatingUser: document.createdBy, creationDateTime: document.createdAt };
  return {
    name: media.type.startsWith('video/') ? 'VideoSource' : 'AudioSource',
    attributes: { guid: document.id, name: media.name, path: `internal://${recording}`, ...stamp },
    children: [
      {
        name: 'Transcript',
        attributes: {
          guid: derivedGuid('transcript', document.id),
          name: document.name,
          richTextPath: transcript.richTextPath,
          plainTextPath: `internal://${document.id}.txt`,
          ...stamp,
        },
        children: [...points, ...selections],
      },
      documentNoteRef(state, document, extras),
    ],
  };
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'audio/wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/flac': 'flac',
  'audio/ogg': 'ogg',
  'audio/ogg; codecs=opus': 'opus',
  'audio/webm': 'weba',
  'video/webm': 'webm',
  'video/mp4': 'mp4',
};

/** The name of a recording's file in the archive's `sources/`: its id, and the extension of its type. */
export function recordingFileName(media: MediaMeta): string {
  const fromName = /\.([a-z0-9]{1,5})$/i.exec(media.name)?.[1]?.toLowerCase();
  return `${media.id}.${EXTENSIONS[media.type] ?? fromName ?? 'bin'}`;
}

/** The reference to a document's memo, its note added to the project's notes; none when blank. */
function documentNoteRef(
  state: Readonly<ProjectState>,
  document: DocumentMeta,
  extras: SourceExtras,
): XmlNode | undefined {
  if (document.memo.trim() === '') return undefined;
  const guid = derivedGuid('document-memo', state.project.id, document.id);
  extras.notes.push(
    noteElement(guid, `Mémo : ${document.name}`, document.memo, document.createdBy, document.createdAt),
  );
  return { name: 'NoteRef', attributes: { targetGUID: guid } };
}

/** Codings with the same span and memo, sorted, each group with the GUID of its selection. */
export function codingGroups(
  document: DocumentMeta,
  codings: readonly Coding[],
): { guid: string; first: Coding; group: Coding[] }[] {
  const groups = new Map<string, Coding[]>();
  for (const coding of [...codings].sort(
    (a, b) =>
      a.start - b.start ||
      a.end - b.end ||
      a.createdAt.localeCompare(b.createdAt) ||
      a.id.localeCompare(b.id),
  )) {
    const key = JSON.stringify([coding.start, coding.end, coding.memo]);
    const group = groups.get(key) ?? [];
    group.push(coding);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as Coding;
    const guid = derivedGuid('selection', document.id, String(first.start), String(first.end), first.memo);
    return { guid, first, group };
  });
}

/**
 * A selection's children: one Coding per code and coder, and the reference to the memo the
 * group shares (its note added to the project's notes).
 */
export function groupChildren(
  document: DocumentMeta,
  { guid, first, group }: { guid: string; first: Coding; group: readonly Coding[] },
  extras: SourceExtras,
): XmlNode[] {
  let noteRef: XmlNode | undefined;
  if (first.memo.trim() !== '') {
    const noteGuid = derivedGuid('coding-memo', guid);
    extras.notes.push(
      noteElement(
        noteGuid,
        `Mémo : ${document.name} [${first.start}, ${first.end})`,
        first.memo,
        first.coderId,
        first.createdAt,
      ),
    );
    noteRef = { name: 'NoteRef', attributes: { targetGUID: noteGuid } };
  }
  for (const coding of group) extras.referenced.add(coding.coderId);
  return [
    ...group.map((coding): XmlNode => ({
      name: 'Coding',
      attributes: { guid: coding.id, creatingUser: coding.coderId, creationDateTime: coding.createdAt },
      children: [{ name: 'CodeRef', attributes: { targetGUID: coding.codeId } }],
    })),
    ...(noteRef ? [noteRef] : []),
  ];
}

/** Codings grouped by span and memo into selections, each with one Coding per code and coder. */
function selectionElements(
  document: DocumentMeta,
  codings: readonly Coding[],
  extras: SourceExtras,
): XmlNode[] {
  return codingGroups(document, codings).map((entry): XmlNode => ({
    name: 'PlainTextSelection',
    attributes: {
      guid: entry.guid,
      startPosition: String(entry.first.start),
      endPosition: String(entry.first.end),
      creatingUser: entry.first.coderId,
      creationDateTime: entry.first.createdAt,
    },
    children: groupChildren(document, entry, extras),
  }));
}

function noteElement(guid: string, name: string, text: string, userId: string, at: string): XmlNode {
  return {
    name: 'Note',
    attributes: { guid, name, creatingUser: userId, creationDateTime: at },
    children: [{ name: 'PlainTextContent', text }],
  };
}
