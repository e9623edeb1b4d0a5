/**
 * Look for strings in every byte of a folder: each file read as UTF-8, UTF-16 (both byte orders)
 * and Latin-1, and the same inside zip and gzip files, for the string as it is, lower-cased,
 * decomposed (NFD) and JSON-escaped (`\u00e9`). For tests that check an erasure left nothing.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';

export interface Hit {
  file: string;
  needle: string;
}

function forms(needle: string): string[] {
  const escaped = (s: string) =>
    JSON.stringify(s)
      .slice(1, -1)
      .replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const base = [needle, needle.normalize('NFD')];
  return [...new Set([...base, ...base.map(escaped), ...base.map((s) => JSON.stringify(s).slice(1, -1))])];
}

function readings(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes);
  const swapped = Buffer.from(buffer.subarray(0, buffer.length - (buffer.length % 2))).swap16();
  return [
    buffer.toString('utf8'),
    buffer.toString('utf16le'),
    buffer.subarray(1).toString('utf16le'),
    swapped.toString('utf16le'),
    buffer.toString('latin1'),
  ].map((s) => s.toLowerCase());
}

function search(name: string, bytes: Uint8Array, needles: readonly string[], hits: Hit[]): void {
  if (bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
    try {
      for (const [entry, content] of Object.entries(unzipSync(bytes)))
        search(`${name}!${entry}`, content, needles, hits);
    } catch {
      // Not a zip after all: searched as bytes below.
    }
  }
  if (bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      search(`${name}!gunzip`, gunzipSync(bytes), needles, hits);
    } catch {
      // Not gzip after all.
    }
  }
  const texts = readings(bytes);
  for (const needle of needles) {
    if (forms(needle).some((form) => texts.some((t) => t.includes(form.toLowerCase()))))
      hits.push({ file: name, needle });
  }
}

/** Every place of `dir` (recursively, inside archives too) where one of `needles` is found. */
export async function findInFolder(dir: string, needles: readonly string[]): Promise<Hit[]> {
  const hits: Hit[] = [];
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile())
        search(relative(dir, path), new Uint8Array(await readFile(path)), needles, hits);
    }
  };
  await walk(dir);
  return hits;
}

/** Where one of `needles` is found in `bytes` (inside a gzip or zip they hold, too), named `name`. */
export function findInBytes(name: string, bytes: Uint8Array, needles: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  search(name, bytes, needles, hits);
  return hits;
}
