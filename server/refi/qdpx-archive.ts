import { unzipSync } from 'fflate';
import {
  checkZipDirectory,
  DEFAULT_ZIP_LIMITS,
  readZipEntries,
  type ZipLimits,
} from '../import/zip-guard.ts';
import { refiRefusal } from './read-codes.ts';

/** A `.qdpx` unpacked: the project XML (bytes, decoded as it is parsed) and the files of its sources folder. */
export interface QdpxArchive {
  readonly projectXml: Uint8Array;
  /** Files of `sources/` (any case), by lower-cased name without the folder. */
  readonly sources: ReadonlyMap<string, Uint8Array>;
}

/** Limits for a project archive: fewer entries than a Word file may hold is plenty. */
export const QDPX_LIMITS: ZipLimits = { ...DEFAULT_ZIP_LIMITS, maxEntries: 1000 };

/**
 * Open a `.qdpx`: check the zip's directory against bounded limits (entries, total size, ratio)
 * and every entry's name (the zip guard refuses a path escaping the archive) before inflating
 * anything, then read `project.qde` (any case, at the root) and the flat `sources/` or `Sources/`
 * folder.
 * @throws DomainError `unprocessable` naming the file when it is not a zip, is refused by the
 *   limits, holds a path escaping the archive, or has no `project.qde`.
 */
export function readQdpxArchive(
  fileName: string,
  bytes: Uint8Array,
  limits: ZipLimits = QDPX_LIMITS,
): QdpxArchive {
  checkZipDirectory(fileName, bytes, limits);
  const names: string[] = [];
  unzipSync(bytes, {
    filter: (entry) => {
      names.push(entry.name);
      return false;
    },
  });
  const isProject = (name: string) => name.toLowerCase() === 'project.qde';
  const sourceName = (name: string) => /^sources\/([^/]+)$/i.exec(name)?.[1];
  if (!names.some(isProject)) {
    throw refiRefusal(
      fileName,
      "ce n'est pas un projet REFI-QDA : l'archive ne contient pas de project.qde.",
    );
  }
  const entries = readZipEntries(
    fileName,
    bytes,
    (name) => isProject(name) || sourceName(name) !== undefined,
    limits,
  );
  let projectXml: Uint8Array | undefined;
  const sources = new Map<string, Uint8Array>();
  for (const [name, data] of entries) {
    if (isProject(name)) projectXml = data;
    else sources.set((sourceName(name) as string).toLowerCase(), data);
  }
  return { projectXml: projectXml as Uint8Array, sources };
}
