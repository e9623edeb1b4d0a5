import { strToU8, Zip, ZipDeflate, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../server/import/index.ts';
import { expectRefusal } from './fixtures.ts';

/** A zip holding `megabytes` MiB of zeros in `name`, deflated chunk by chunk (never whole in memory). */
function zerosZip(name: string, megabytes: number): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, chunk) => {
    if (error) throw error;
    parts.push(chunk);
  });
  const entry = new ZipDeflate(name, { level: 9 });
  zip.add(entry);
  const chunk = new Uint8Array(1024 * 1024);
  for (let i = 0; i < megabytes; i++) entry.push(chunk, i === megabytes - 1);
  zip.end();
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * A zip of `copies` entries that all hold the same `megabytes` MiB of zeros: the one deflated stream
 * of a real zip is repeated under new names, so a 210 Mo bomb costs one small deflate to build.
 */
function repeatedZerosZip(copies: number, megabytes: number): Uint8Array {
  const one = zipSync({ a: new Uint8Array(megabytes * 1024 * 1024) });
  const view = new DataView(one.buffer, one.byteOffset, one.byteLength);
  const header = one.subarray(4, 26); // version … uncompressed size, as the local header has them
  const dataStart = 30 + view.getUint16(26, true) + view.getUint16(28, true);
  const data = one.subarray(dataStart, dataStart + view.getUint32(18, true));
  const local: number[] = [];
  const central: number[] = [];
  const u16 = (n: number): number[] => [n & 0xff, n >>> 8];
  const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
  for (let i = 0; i < copies; i++) {
    const name = [...strToU8(`word/part${i}.xml`)];
    const offset = local.length;
    local.push(...u32(0x04034b50), ...header, ...u16(name.length), ...u16(0), ...name, ...data);
    central.push(...u32(0x02014b50), ...u16(20), ...header, ...u16(name.length), ...u16(0), ...u16(0));
    central.push(...u16(0), ...u16(0), ...u32(0), ...u32(offset), ...name);
  }
  const end = [...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(copies), ...u16(copies)];
  end.push(...u32(central.length), ...u32(local.length), ...u16(0));
  return new Uint8Array([...local, ...central, ...end]);
}

describe('zip guard (before mammoth or the ODT reader inflate anything)', () => {
  it('refuses a .docx that would inflate past 200 Mo', async () => {
    const bomb = repeatedZerosZip(210, 1); // 1 MiB entries stay under the ratio check
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expectRefusal(importFile('bombe.docx', bomb), 'unprocessable', 'bombe.docx', /200 Mo/);
  });

  it('refuses an entry compressed more than 200 to 1 (zip bomb)', async () => {
    await expectRefusal(
      importFile('bombe.odt', zerosZip('content.xml', 20)),
      'unprocessable',
      'bombe.odt',
      /bombe/,
    );
  });

  it('refuses an archive of more than 2000 entries', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 2001 }, (_, i) => [`word/p${i}.xml`, strToU8('<a/>')]),
    );
    await expectRefusal(
      importFile('nombreux.docx', zipSync(files)),
      'unprocessable',
      'nombreux.docx',
      /2000/,
    );
  });

  it('inflates an entry no further than its declared size, so a lying size cannot grow it', async () => {
    const zip = zerosZip('word/document.xml', 2);
    // Patch the central directory to declare 10 bytes instead of 2 MiB.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let i = zip.length - 22; i >= 0; i--) {
      if (view.getUint32(i, true) === 0x02014b50) {
        view.setUint32(i + 24, 10, true);
        break;
      }
    }
    await expectRefusal(importFile('menteur.docx', zip), 'unprocessable', 'menteur.docx');
  });
});
