import { strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { open, type FileHandle } from 'node:fs/promises';
import type { ProjectId } from '../../shared/ids.ts';
import type { DocumentMeta, ProjectState } from '../../shared/model.ts';
import { recordingPath } from '../media/recordings.ts';
import type { Store } from '../storage/store.ts';
import { projectXmlChunks } from './export-project.ts';
import { recordingFileName } from './export-sources.ts';

/** A recording to stream into the archive: its entry's name and its file, already open. */
interface OpenRecording {
  readonly entry: string;
  readonly file: FileHandle;
}

/**
 * What a zip without ZIP64 extensions (fflate writes none) can hold: 4 GiB of offsets, less room
 * for the entries' headers and the central directory.
 */
const ZIP_BUDGET = 2 ** 32 - 64 * 2 ** 20;

/** A file of `sources/` to deflate into the archive, read when its turn comes. */
interface SourceFile {
  readonly entry: string;
  readonly bytes: () => Promise<Uint8Array>;
}

/**
 * The `.qdpx` of a project, as a stream of zip bytes: `project.qde` and, in `sources/`, each
 * document's stored text (UTF-8, no byte-order mark), its original `.docx` when it was imported
 * from one, and its recording when it has one and `mediaRoot` holds its file. Everything is
 * written as the client reads: the project XML one source at a time (`projectXmlChunks`), each
 * text read when its entry comes (and once before anything is sent, so that a text the store
 * cannot give back is refused plainly rather than cutting the download), recordings streamed
 * from their files as stored entries (already compressed audio or video gains nothing from
 * deflate). Originals and recordings are opened first (a document whose recording is missing is
 * exported without it, as a TextSource). A recording
 * that would take the archive past what a zip can address (4 GiB) is left out, its document
 * exported as a TextSource.
 */
export async function projectArchive(
  store: Store,
  state: Readonly<ProjectState>,
  mediaRoot?: string,
): Promise<AsyncGenerator<Uint8Array>> {
  const projectId = state.project.id as ProjectId;
  const files: SourceFile[] = [];
  const withDocx = new Set<string>();
  const names = new Map<string, string>();
  const recordings: OpenRecording[] = [];
  // Only a recording asks whether the archive still has room: texts are counted only then.
  const budgeted = mediaRoot !== undefined && Object.values(state.documents).some((d) => d.media);
  let size = 0;
  try {
    for (const document of Object.values(state.documents)) {
      // Read before the first byte is sent: a missing or unreadable text is refused with its own
      // error, not met halfway through a download it would cut. Read again (from the text cache,
      // as a rule) when its entry comes.
      const text = await store.readText(projectId, document.id);
      if (budgeted) size += Buffer.byteLength(text, 'utf8');
      files.push({
        entry: `sources/${document.id}.txt`,
        bytes: async () => strToU8(await store.readText(projectId, document.id)),
      });
      if (document.format === 'docx') {
        const original = await store.readOriginal(projectId, document.id, 'docx');
        if (original) {
          files.push({ entry: `sources/${document.id}.docx`, bytes: () => Promise.resolve(original) });
          withDocx.add(document.id);
          size += original.length;
        }
      }
      const recording = await openRecording(mediaRoot, projectId, document);
      if (!recording) continue;
      if (size + recording.size > ZIP_BUDGET) {
        await recording.file.close();
        continue;
      }
      size += recording.size;
      recordings.push({ entry: `sources/${recording.name}`, file: recording.file });
      names.set(document.id, recording.name);
    }
    const users = (await store.readInstance()).users;
    return zipEntries(projectXmlChunks(state, users, withDocx, names), files, recordings);
  } catch (error) {
    await Promise.all(recordings.map(({ file }) => file.close().catch(() => undefined)));
    throw error;
  }
}

/**
 * A document's recording, open for reading, with its size and its file name in the archive; none
 * without one or without its file.
 */
async function openRecording(
  mediaRoot: string | undefined,
  projectId: ProjectId,
  document: DocumentMeta,
): Promise<{ file: FileHandle; size: number; name: string } | undefined> {
  if (mediaRoot === undefined || !document.media) return undefined;
  const path = recordingPath(mediaRoot, projectId, document.id, document.media.id);
  const file = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!file) return undefined;
  try {
    return { file, size: (await file.stat()).size, name: recordingFileName(document.media) };
  } catch (error) {
    await file.close();
    throw error;
  }
}

/**
 * Zip `project.qde` from its pieces, then `files` (deflated), then `recordings` (stored), yielding
 * the archive's bytes as they are made. Every recording's file is closed at the end, or when the
 * reader stops early.
 */
async function* zipEntries(
  projectXml: Iterable<string>,
  files: readonly SourceFile[],
  recordings: readonly OpenRecording[],
): AsyncGenerator<Uint8Array> {
  const ready: Uint8Array[] = [];
  let failure: Error | undefined;
  const zip = new Zip((error, chunk) => {
    if (error) failure = error;
    else ready.push(chunk);
  });
  const made = () => {
    if (failure) throw failure;
    return ready.splice(0);
  };
  try {
    const project = new ZipDeflate('project.qde', { level: 6 });
    zip.add(project);
    for (const piece of projectXml) {
      project.push(strToU8(piece));
      yield* made();
    }
    project.push(new Uint8Array(0), true);
    yield* made();
    for (const { entry: name, bytes } of files) {
      const entry = new ZipDeflate(name, { level: 6 });
      zip.add(entry);
      entry.push(await bytes(), true);
      yield* made();
    }
    for (const { entry: name, file } of recordings) {
      const entry = new ZipPassThrough(name);
      zip.add(entry);
      for await (const chunk of file.createReadStream({ autoClose: false })) {
        entry.push(chunk as Buffer);
        yield* made();
      }
      entry.push(new Uint8Array(0), true);
      yield* made();
    }
    zip.end();
    yield* made();
  } finally {
    await Promise.all(recordings.map(({ file }) => file.close().catch(() => undefined)));
  }
}
