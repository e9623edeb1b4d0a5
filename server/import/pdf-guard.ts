import { createInflate, type Inflate } from 'node:zlib';
import { unprocessable } from './extracted.ts';

/** Limits that keep a PDF bomb (a small file whose streams inflate to gigabytes) from exhausting memory. */
export interface PdfLimits {
  /** Bytes all the Flate-compressed streams of the file may inflate to, together. */
  readonly maxTotalDecoded: number;
  /** Largest inflate ratio of a stream that decodes past `RATIO_FLOOR`. */
  readonly maxRatio: number;
  /** Most pages read. */
  readonly maxPages: number;
  /** Most time spent reading the text, in milliseconds. */
  readonly maxMilliseconds: number;
}

/** The same bounds as a .docx or .qdpx unpacked (zip-guard.ts), and room for a long transcript. */
export const DEFAULT_PDF_LIMITS: PdfLimits = {
  maxTotalDecoded: 200 * 1024 * 1024,
  maxRatio: 200,
  maxPages: 2000,
  maxMilliseconds: 30_000,
};

/** Streams that inflate to less than this cannot hurt whatever their ratio (fonts, page contents). */
const RATIO_FLOOR = 1024 * 1024;

const latin1 = new TextDecoder('latin1');

interface PdfStream {
  start: number;
  end: number;
  /** How many times the stream is Flate-compressed (a filter chain may repeat FlateDecode). */
  flateLayers: number;
}

/**
 * The streams of a PDF, found in its bytes: each `stream` keyword after a dictionary, up to its
 * `endstream`, with the number of FlateDecode filters of that dictionary. Streams cannot sit inside
 * object streams, so a scan of the file finds them all, whatever its cross-reference table says.
 */
export function findPdfStreams(bytes: Uint8Array): PdfStream[] {
  const text = latin1.decode(bytes);
  const streams: PdfStream[] = [];
  const keyword = /(>>\s*)stream\r?\n/g;
  let match: RegExpExecArray | null;
  while ((match = keyword.exec(text)) !== null) {
    const start = match.index + match[0].length;
    const end = text.indexOf('endstream', start);
    if (end < 0) break;
    const objectStart = text.lastIndexOf(' obj', match.index);
    const dictionary = text.slice(Math.max(objectStart, match.index - 4096, 0), match.index);
    streams.push({ start, end, flateLayers: (dictionary.match(/\/FlateDecode\b/g) ?? []).length });
    keyword.lastIndex = end + 'endstream'.length;
  }
  return streams;
}

/**
 * Inflate `data` through `layers` zlib inflaters on the thread pool, counting the bytes out and
 * keeping none; stops once `budget` is passed. A damaged stream counts what came out before the
 * damage (pdf.js reads as much).
 */
function inflatedSize(data: Uint8Array, layers: number, budget: number): Promise<number> {
  return new Promise((resolve) => {
    const chain: Inflate[] = Array.from({ length: layers }, () => createInflate());
    let size = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      for (const stage of chain) stage.destroy();
      resolve(size);
    };
    chain.forEach((stage, i) => {
      stage.on('error', finish);
      const next = chain[i + 1];
      if (next) stage.pipe(next);
    });
    const last = chain[chain.length - 1] as Inflate;
    last.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > budget) finish();
    });
    last.on('end', finish);
    (chain[0] as Inflate).end(data);
  });
}

/**
 * Check what the Flate streams of a PDF inflate to before pdf.js reads it: in all, no more than
 * `maxTotalDecoded`, and no large stream inflating more than `maxRatio` times (a bomb). Nothing is
 * kept: the check holds one zlib buffer at a time, and runs off the event loop.
 * @throws DomainError `unprocessable` naming the file.
 */
export async function checkPdfStreams(
  fileName: string,
  bytes: Uint8Array,
  limits: PdfLimits = DEFAULT_PDF_LIMITS,
): Promise<void> {
  let total = 0;
  for (const stream of findPdfStreams(bytes)) {
    if (stream.flateLayers === 0) continue;
    if (stream.flateLayers > 2) {
      throw unprocessable(
        fileName,
        'est refusé : un de ses flux est compressé plusieurs fois (bombe de décompression ?).',
      );
    }
    const data = bytes.subarray(stream.start, stream.end);
    // Inflating stops at the first bound passed: the stream's ratio, or what is left of the total.
    const streamCap = Math.max(RATIO_FLOOR, data.length * limits.maxRatio);
    const size = await inflatedSize(
      data,
      stream.flateLayers,
      Math.min(streamCap, limits.maxTotalDecoded - total),
    );
    total += size;
    if (size > streamCap) {
      throw unprocessable(fileName, 'est refusé : il est anormalement compressé (bombe de décompression ?).');
    }
    if (total > limits.maxTotalDecoded) {
      throw unprocessable(
        fileName,
        `est refusé : il dépasserait ${Math.round(limits.maxTotalDecoded / 2 ** 20)} Mo une fois décompressé.`,
      );
    }
  }
}
