import { DomainError, isDomainError } from '../../shared/errors.ts';
import type { UserId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import { collectGarbage } from '../collect-garbage.ts';
import { writeRecording } from '../media/recordings.ts';
import type { Store } from '../storage/store.ts';
import { planProjectImport, type ProjectImportReport } from './plan-project-import.ts';
import { readQdpxArchive } from './qdpx-archive.ts';
import { readProjectXml } from './read-project.ts';

/** Where recordings go (undefined: the storage keeps none, PostgreSQL) and how large they may be. */
export interface RecordingOptions {
  readonly root: string | undefined;
  readonly maxBytes: number;
}

/**
 * From this size of project XML (a large study's is about 50 MB), a full garbage collection runs
 * after each phase of the import (parsed, planned, texts written, events written), each of which
 * leaves most of what the one before made as garbage. Below it, V8's own pace is kept.
 */
export const COLLECT_FROM_XML_BYTES = 8 << 20;

/** What runs between the phases of an import whose project XML is `xmlBytes` long. */
export function collectorFor(xmlBytes: number): () => number {
  return xmlBytes >= COLLECT_FROM_XML_BYTES ? collectGarbage : () => 0;
}

/**
 * Create a project from a `.qdpx`, all or nothing. Everything is read, checked and planned in
 * memory first (archive, XML, references, texts, positions, recordings recognised); only then is
 * the project created, its texts and recordings written and its events appended in one batch; no
 * account is ever created. If a write fails after the project exists, the project is removed again
 * (its folder, recordings included).
 */
export async function importProjectArchive(
  store: Store,
  userId: UserId,
  fileName: string,
  bytes: Uint8Array,
  media: RecordingOptions = { root: undefined, maxBytes: 0 },
): Promise<{ state: Readonly<ProjectState>; report: ProjectImportReport }> {
  // Apart, so that the project XML's bytes (50 MB for a large study) can go once it is read.
  const { projectXml, sources } = readQdpxArchive(fileName, bytes);
  const collect = collectorFor(projectXml.byteLength);
  const refi = readProjectXml(fileName, projectXml);
  collect();
  const plan = planProjectImport(refi, {
    fileName,
    userId,
    now: new Date().toISOString(),
    sources,
    recordings: media.root === undefined ? undefined : { maxBytes: media.maxBytes },
  });
  collect();
  await store.createProject(plan.project, plan.members, userId);
  const id = plan.project.id;
  try {
    for (const { documentId, text, original } of plan.texts) {
      await store.putText(id, documentId, text);
      if (original) await store.putOriginal(id, documentId, original.format, original.bytes);
    }
    // Only planned when there is a root (see `recordings` above), so that they join the project's
    // own folder, reached by erasure, deletion and backups like an uploaded recording.
    for (const recording of plan.recordings)
      await writeRecording(media.root as string, id, recording.documentId, recording.media, recording.bytes);
    collect();
    await store.changeProject(id, userId, () => ({ events: plan.events, result: null }));
    collect();
  } catch (error) {
    await store.deleteProject(id).catch(() => undefined);
    if (isDomainError(error)) throw error;
    throw new DomainError(
      'storage_unavailable',
      `« ${fileName} » n'a pas pu être enregistré sur le disque.`,
      {
        file: fileName,
        cause: String(error),
      },
    );
  }
  return { state: (await store.readProject(id)) as Readonly<ProjectState>, report: plan.report };
}
