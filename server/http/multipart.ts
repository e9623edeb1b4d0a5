import busboy from 'busboy';
import type { Context } from 'hono';
import { DomainError, isDomainError } from '../../shared/errors.ts';

/** A file of a multipart form, read whole (never more than the limit), or refused for its size. */
export type UploadedPart =
  | { name: string; bytes: Uint8Array; tooLarge?: undefined }
  | { name: string; bytes?: undefined; tooLarge: true };

export interface UploadLimits {
  /** Largest accepted file, in bytes: a larger one is not kept, only reported. */
  maxFileBytes: number;
  /** Most files in one form. */
  maxFiles: number;
}

/** « 20 Mo »: a size in the units of the messages. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

/** The refusal of one file over the upload limit, naming it. */
export function fileTooLarge(fileName: string, maxBytes: number): DomainError {
  return new DomainError(
    'payload_too_large',
    `Le fichier « ${fileName} » est trop volumineux : la limite est de ${formatMegabytes(maxBytes)} par fichier.`,
    { file: fileName },
  );
}

const cutShort = () =>
  new DomainError(
    'invalid_input',
    'Envoi illisible ou incomplet : le formulaire multipart est mal formé ou a été interrompu.',
  );

/**
 * The files sent in the `file` field of a multipart form, one at a time, as their bytes arrive:
 * the body is read only while the caller asks for the next file, so a request never holds more
 * than one file in memory, and a file over `maxFileBytes` is dropped as it streams (reported
 * `tooLarge`) instead of being buffered before its refusal. Refuses, through the one error path:
 * a body that is not multipart (415, with `hint` saying what to send), a form that is malformed or
 * was cut short — a Content-Length that lies, an interrupted upload — (400), more than `maxFiles`
 * files (413), and a form without a file (400).
 */
export async function* streamUploadedFiles(
  c: Context,
  hint: string,
  limits: UploadLimits,
): AsyncGenerator<UploadedPart, void, undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    throw new DomainError('unsupported_media_type', hint);
  }
  const body = c.req.raw.body;
  const declared = Number(c.req.header('content-length') ?? NaN) || 0;
  const parser = createParser(type, limits);
  if (!body) throw cutShort();
  const form = new ParsedForm();
  form.listen(parser, Math.min(declared, limits.maxFileBytes), limits.maxFiles);
  const reader = body.getReader();
  let bodyDone = false;
  let count = 0;
  try {
    for (;;) {
      // Files received whole come first: those before a break in the form are still given.
      const next = form.ready.shift();
      if (next) {
        count++;
        yield next;
        continue;
      }
      if (form.failure) throw form.failure;
      if (form.closed) break;
      if (bodyDone) {
        await form.changed();
        continue;
      }
      const chunk = await reader.read().catch((error: unknown) => {
        // The route's size limit, counting a chunked body, or the client gone.
        throw isDomainError(error) ? error : cutShort();
      });
      if (chunk.done) {
        bodyDone = true;
        parser.end();
      } else parser.write(chunk.value);
    }
  } finally {
    parser.destroy();
    if (!bodyDone) discardRest(reader);
  }
  if (count === 0) throw new DomainError('invalid_input', 'Aucun fichier reçu (champ « file »).');
}

function createParser(type: string, limits: UploadLimits): busboy.Busboy {
  try {
    return busboy({
      headers: { 'content-type': type },
      // Browsers send file names as raw UTF-8 (« entretien-Hélène.docx »); busboy's default would
      // read them as Latin-1.
      defParamCharset: 'utf8',
      limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 50, fieldSize: 64 * 1024 },
    });
  } catch {
    throw cutShort(); // No boundary: nothing can be read.
  }
}

/** What the parser has made of a form so far: the files received whole, a failure, its end. */
class ParsedForm {
  readonly ready: UploadedPart[] = [];
  failure: DomainError | undefined;
  closed = false;
  private wake: (() => void) | undefined;

  /** Resolves at the parser's next news (a file received whole, a failure, the end). */
  changed(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  private notify(): void {
    this.wake?.();
    this.wake = undefined;
  }

  /** Follow the parser's events; each file of the `file` field is held in `bufferBytes` at first. */
  listen(parser: busboy.Busboy, bufferBytes: number, maxFiles: number): void {
    parser.on('file', (field, stream, info) => {
      if (field !== 'file') {
        stream.resume();
        return;
      }
      const file = new FileBytes(bufferBytes);
      // A form cut inside this file fails the parser too, which reports it: nothing more to do here.
      stream.on('error', () => file.drop());
      stream.on('data', (chunk: Buffer) => file.add(chunk));
      stream.on('limit', () => file.drop());
      stream.on('end', () => {
        this.ready.push(
          stream.truncated
            ? { name: info.filename ?? '', tooLarge: true }
            : { name: info.filename ?? '', bytes: file.bytes() },
        );
        file.drop();
        this.notify();
      });
    });
    parser.on('filesLimit', () => {
      this.failure ??= new DomainError(
        'payload_too_large',
        `Trop de fichiers dans un envoi : ${maxFiles} au plus à la fois.`,
      );
    });
    parser.on('error', () => {
      this.failure ??= cutShort();
      this.notify();
    });
    parser.on('close', () => {
      this.closed = true;
      this.notify();
    });
  }
}

/**
 * The bytes of one file as they arrive. With a declared body length, they are copied into one
 * buffer of that size (at most the file limit), so a file is held once rather than as chunks and
 * then again joined; otherwise (a chunked body, or a file past the declared size) as chunks.
 */
class FileBytes {
  private buffer: Buffer | undefined;
  private chunks: Buffer[] = [];
  private size = 0;

  constructor(private readonly capacity: number) {}

  add(chunk: Buffer): void {
    if (this.chunks.length === 0 && this.size + chunk.length <= this.capacity) {
      this.buffer ??= Buffer.allocUnsafe(this.capacity);
      chunk.copy(this.buffer, this.size);
    } else {
      if (this.buffer) this.chunks.push(this.buffer.subarray(0, this.size));
      this.buffer = undefined;
      this.chunks.push(chunk);
    }
    this.size += chunk.length;
  }

  bytes(): Uint8Array {
    if (this.chunks.length > 0) return new Uint8Array(Buffer.concat(this.chunks));
    if (!this.buffer) return new Uint8Array(0);
    // A small file of a large form: keep a copy of its size, not the whole buffer.
    const bytes = this.buffer.subarray(0, this.size);
    return new Uint8Array(this.size < this.capacity / 2 ? Buffer.from(bytes) : bytes);
  }

  drop(): void {
    this.buffer = undefined;
    this.chunks = [];
  }
}

/** Past this, the unread rest of a refused body is not read any further: the connection is closed. */
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/**
 * Read and drop, in the background, what the client still sends after a refusal, so that it can
 * read the answer instead of seeing its connection reset mid-upload; past 64 Mo, or 10 s, the
 * connection is closed. Nothing read here is kept.
 */
function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  let discarded = 0;
  const stop = setTimeout(() => void reader.cancel().catch(() => undefined), 10_000);
  stop.unref();
  void (async () => {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      discarded += chunk.value.length;
      if (discarded > MAX_DISCARDED_BYTES) {
        await reader.cancel();
        break;
      }
    }
  })()
    .catch(() => undefined)
    .finally(() => clearTimeout(stop));
}

/**
 * The one file of a multipart form (the first, if several were sent), as `streamUploadedFiles`
 * reads it; a file over `maxBytes` is refused with 413 naming it.
 */
export async function uploadedFile(
  c: Context,
  hint: string,
  maxBytes: number,
): Promise<{ name: string; bytes: Uint8Array }> {
  for await (const part of streamUploadedFiles(c, hint, { maxFileBytes: maxBytes, maxFiles: 1 })) {
    if (part.tooLarge) throw fileTooLarge(part.name, maxBytes);
    return part;
  }
  throw new DomainError('invalid_input', 'Aucun fichier reçu (champ « file »).');
}
