import { unzipSync } from 'fflate';
import { unprocessable } from './extracted.ts';

/** Limits that keep a zip bomb from exhausting memory. */
export interface ZipLimits {
  readonly maxEntries: number;
  readonly maxTotalUncompressed: number;
  readonly maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 2000,
  maxTotalUncompressed: 200 * 1024 * 1024,
  maxRatio: 200,
};

/**
 * Whether a zip entry name tries to leave the archive's folder: `..`, an absolute path, a drive, a
 * NUL. Verbatim never unpacks an archive to disk, but a file that holds such a name was made to
 * attack whatever does, and no Word, OpenDocument or REFI-QDA tool writes one.
 */
export function isUnsafeEntryName(name: string): boolean {
  const path = name.replace(/\\/g, '/');
  return (
    path.startsWith('/') ||
    /^[a-zA-Z]:/.test(path) ||
    path.split('/').some((part) => part === '..') ||
    path.includes('\u0000')
  );
}

/** Entries smaller than this cannot hurt whatever their ratio (tiny XML parts compress very well). */
const RATIO_FLOOR = 1024 * 1024;

/**
 * Read the wanted entries of a zip (DOCX, ODT) after checking its central directory against
 * `limits` — the number of entries, the total declared uncompressed size and each large entry's
 * compression ratio — and every entry's name (none may leave the archive's folder). Nothing is
 * inflated before the whole directory has passed, and each entry is inflated into a buffer of its
 * declared size, so a size that lies truncates the entry instead of growing without bound.
 * @throws DomainError `unprocessable` naming the file when it is not a zip or is refused.
 */
export function readZipEntries(
  fileName: string,
  bytes: Uint8Array,
  wanted: (name: string) => boolean,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Map<string, Uint8Array> {
  checkZipDirectory(fileName, bytes, limits);
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (entry) => wanted(entry.name) });
  } catch {
    throw unprocessable(fileName, "est endommagé : l'archive ne peut pas être décompressée.");
  }
  return new Map(Object.entries(files));
}

/**
 * Walk the central directory only (the filter refuses every entry, so nothing is inflated): the
 * limits, and entry names that would leave the archive's folder (zip slip).
 */
export function checkZipDirectory(fileName: string, bytes: Uint8Array, limits: ZipLimits): void {
  let entries = 0;
  let total = 0;
  let refusal: string | undefined;
  try {
    unzipSync(bytes, {
      filter: (entry) => {
        entries++;
        total += entry.originalSize;
        const ratio = entry.originalSize / Math.max(entry.size, 1);
        if (entries > limits.maxEntries) refusal = `contient plus de ${limits.maxEntries} éléments.`;
        else if (isUnsafeEntryName(entry.name))
          refusal = `contient un chemin qui sort de l'archive (« ${entry.name} »).`;
        else if (total > limits.maxTotalUncompressed)
          refusal = `dépasserait ${Math.round(limits.maxTotalUncompressed / 2 ** 20)} Mo une fois décompressé.`;
        else if (entry.originalSize > RATIO_FLOOR && ratio > limits.maxRatio)
          refusal = 'est anormalement compressé (bombe de décompression ?).';
        if (refusal) throw new Error('refused');
        return false;
      },
    });
  } catch {
    if (refusal) throw unprocessable(fileName, `est refusé : il ${refusal}`);
    throw unprocessable(fileName, "est endommagé ou tronqué : ce n'est pas une archive valide.");
  }
  if (entries === 0) throw unprocessable(fileName, 'est une archive vide.');
}
