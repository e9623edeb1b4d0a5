/** Zip archives that lie, for the tests of the zip guard and of the upload routes. */
import { zipSync } from 'fflate';

/**
 * A zip of `files` whose central directory declares `declaredSize` bytes for the entry `name`
 * (the data stays as it is): a bomb the guard must refuse from the directory alone when the size
 * is huge, or an entry that would inflate past its declared size when it is small.
 */
export function withDeclaredSize(
  files: Record<string, Uint8Array>,
  name: string,
  declaredSize: number,
): Uint8Array {
  const zip = zipSync(files);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let found = false;
  for (let i = zip.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) !== 0x02014b50) continue; // central directory header
    const nameLength = view.getUint16(i + 28, true);
    if (new TextDecoder().decode(zip.subarray(i + 46, i + 46 + nameLength)) === name) {
      view.setUint32(i + 24, declaredSize, true); // uncompressed size
      found = true;
    }
  }
  if (!found) throw new Error(`withDeclaredSize: no entry ${name}`);
  return zip;
}

/** A zip holding `megabytes` MiB of zeros in `name`: deflated, a few kilobytes (ratio about 1000). */
export function zerosZip(name: string, megabytes: number): Uint8Array {
  return zipSync({ [name]: new Uint8Array(megabytes * 1024 * 1024) }, { level: 9 });
}
