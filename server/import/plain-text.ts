import iconv from 'iconv-lite';
import type { Extracted } from './extracted.ts';
import { unprocessable } from './extracted.ts';

/** The encodings a plain-text file is recognised in. */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

/**
 * Decode a plain-text file (.txt, .md, and subtitles). A byte-order mark decides (UTF-8, UTF-16 LE
 * or BE); without one, bytes that are valid UTF-8 are UTF-8, and anything else is taken for
 * Windows-1252, the encoding of text files saved by older Windows software in France. Markdown is
 * read further by markdown.ts.
 */
export function decodePlainText(fileName: string, bytes: Uint8Array): Extracted & { encoding: TextEncoding } {
  const [b0, b1, b2] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) {
    return { text: decodeUtf8(fileName, bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (b0 === 0xff && b1 === 0xfe) {
    return { text: decodeUtf16(fileName, bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  }
  if (b0 === 0xfe && b1 === 0xff) {
    return { text: decodeUtf16(fileName, bytes.subarray(2), 'utf-16be'), encoding: 'utf-16be' };
  }
  let text: string;
  let encoding: TextEncoding;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    encoding = 'utf-8';
  } catch {
    text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'windows-1252');
    encoding = 'windows-1252';
  }
  refuseBinary(fileName, text);
  return { text, encoding };
}

function decodeUtf8(fileName: string, bytes: Uint8Array): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    refuseBinary(fileName, text);
    return text;
  } catch (error) {
    if (error instanceof TypeError) {
      throw unprocessable(fileName, "commence comme de l'UTF-8 mais contient des octets invalides.");
    }
    throw error;
  }
}

function decodeUtf16(fileName: string, bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): string {
  if (bytes.length % 2 !== 0) {
    throw unprocessable(fileName, 'est tronqué : un texte UTF-16 a un nombre pair d’octets.');
  }
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
  refuseBinary(fileName, text);
  return text;
}

/** A NUL character never occurs in a transcript: the file is binary, or UTF-16 without a BOM. */
function refuseBinary(fileName: string, text: string): void {
  if (text.includes('\0')) {
    throw unprocessable(
      fileName,
      "n'est pas un texte lisible (fichier binaire, ou UTF-16 sans indicateur d'ordre des octets).",
    );
  }
}
