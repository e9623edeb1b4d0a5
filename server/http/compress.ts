import type { Context, MiddlewareHandler } from 'hono';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import {
  brotliCompress,
  brotliCompressSync,
  constants,
  createBrotliCompress,
  createGzip,
  gzip,
  gzipSync,
} from 'node:zlib';
import { jsonBody } from './json-bytes.ts';

/** Bodies smaller than this are sent as they are: compressing them saves nothing worth the work. */
export const COMPRESSION_THRESHOLD = 1024;

/**
 * Types worth compressing: JSON, text (HTML, CSS, CSV, plain), JavaScript, XML, SVG. Server-sent
 * events are left alone (each event must reach the browser at once), and so are formats that are
 * already compressed (DOCX, XLSX, zip, images, audio).
 */
const COMPRESSIBLE =
  /^\s*(?:text\/(?!event-stream)[\w.+-]+|application\/(?:json|javascript|xml|[\w.+-]+\+(?:json|xml))|image\/svg\+xml)\s*(?:;|$)/i;

type Encoding = 'br' | 'gzip';

/** The encoding the client prefers among brotli and gzip (q-values honoured; brotli on a tie). */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name.trim(), Number.isFinite(value) ? value : 0);
  }
  const weight = (name: Encoding) => q.get(name) ?? q.get('*') ?? 0;
  const br = weight('br');
  const gzip = weight('gzip');
  if (br <= 0 && gzip <= 0) return undefined;
  return br >= gzip ? 'br' : 'gzip';
}

function compressor(encoding: Encoding) {
  // Quality 4 and level 6: most of the gain for a fraction of the cost of the maximum, per request.
  // On the 370 KB document view of a 1,336-coding interview, brotli 4 takes 2.5 ms for 54.9 KB
  // where 5 takes 5.0 ms for 54.1 KB.
  return encoding === 'br'
    ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 4 } })
    : createGzip({ level: 6 });
}

/** Read from `reader` until `limit` bytes or the end; returns what was read and whether it ended. */
async function readAtLeast(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  limit: number,
): Promise<{ head: Uint8Array[]; size: number; done: boolean }> {
  const head: Uint8Array[] = [];
  let size = 0;
  while (size < limit) {
    const { value, done } = await reader.read();
    if (done) return { head, size, done: true };
    head.push(value);
    size += value.byteLength;
  }
  return { head, size, done: false };
}

/** The chunks already read, then the rest of the reader. */
async function* replay(head: readonly Uint8Array[], reader: ReadableStreamDefaultReader<Uint8Array>) {
  yield* head;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    yield value;
  }
}

/** The answer `c.body` (or `c.json`) made last in this request, and what it was made of. */
interface MadeBody {
  res?: Response;
  /** The body, when it was text or bytes (not a stream). */
  data?: string | Uint8Array;
}

/**
 * Make `c.json` give a long answer as UTF-8 bytes (`jsonBody`) rather than as a string, which
 * compressing would read back character by character; the JSON, status and headers are the same.
 * What `c.body` (which `c.json` calls) made last is kept in the returned record, so that a text or
 * bytes answer can be compressed in one call rather than read back as a stream.
 */
function recordBodies(c: Context, threshold: number): MadeBody {
  type Headers = Record<string, string | string[]>;
  // `c.body`'s own arguments and answer (hono types each use apart).
  type Body = (
    data: string | Uint8Array | ReadableStream | null,
    arg?: unknown,
    headers?: Headers,
  ) => Response;
  const body = c.body as unknown as Body;
  const made: MadeBody = {};
  const recorded: Body = (data, arg, headers) => {
    made.res = body(data, arg, headers);
    made.data = typeof data === 'string' || data instanceof Uint8Array ? data : undefined;
    return made.res;
  };
  const json = (object: unknown, arg?: unknown, headers?: Headers) =>
    recorded(jsonBody(object, threshold), arg, { 'Content-Type': 'application/json', ...headers });
  c.body = recorded as unknown as Context['body'];
  c.json = json as unknown as Context['json'];
  return made;
}

const utf8 = new TextEncoder();

const brotliCompressOnce = promisify(brotliCompress);
const gzipOnce = promisify(gzip);

/**
 * Bodies up to this size are compressed on the main thread: brotli 4 takes about 0.06 ms for 4 KB
 * and 0.14 ms for 16 KB there, where a round trip through zlib's thread pool alone costs about
 * 0.12 ms (measured on the benchmark's machine). Larger ones go to the thread pool, so that a long
 * answer (2.5 ms for a 370 KB document view) does not hold up other requests.
 */
export const SYNC_COMPRESSION_LIMIT = 16 * 1024;

const brotliOptions = (size: number) => ({
  params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: size },
});
const gzipOptions = { level: 6 };

/** `bytes` compressed on the main thread, as `compressor` would. */
function compressHere(bytes: Uint8Array, encoding: Encoding): Buffer {
  return encoding === 'br'
    ? brotliCompressSync(bytes, brotliOptions(bytes.byteLength))
    : gzipSync(bytes, gzipOptions);
}

/** `bytes` compressed in zlib's thread pool, as `compressor` would. */
function compressInPool(bytes: Uint8Array, encoding: Encoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotliCompressOnce(bytes, brotliOptions(bytes.byteLength))
    : gzipOnce(bytes, gzipOptions);
}

/** `bytes` compressed in one call: on the main thread up to `SYNC_COMPRESSION_LIMIT`, else in the pool. */
async function compressOnce(bytes: Uint8Array, encoding: Encoding): Promise<Uint8Array<ArrayBuffer>> {
  const compressed =
    bytes.byteLength <= SYNC_COMPRESSION_LIMIT
      ? compressHere(bytes, encoding)
      : await compressInPool(bytes, encoding);
  return new Uint8Array(compressed.buffer as ArrayBuffer, compressed.byteOffset, compressed.byteLength);
}

/** The headers of an answer sent with `encoding`: no length (it changes), and a weak ETag. */
function encodedHeaders(original: Headers, encoding: Encoding): Headers {
  const headers = new Headers(original);
  headers.delete('Content-Length');
  headers.set('Content-Encoding', encoding);
  const etag = headers.get('ETag');
  if (etag && !etag.startsWith('W/')) headers.set('ETag', `W/${etag}`);
  return headers;
}

/**
 * Compresses JSON, HTML, JavaScript, CSS and other text responses of `threshold` bytes or more
 * with brotli or gzip, as the client's Accept-Encoding asks (Node's zlib; Hono's own middleware
 * knows no brotli). A body of unknown length is read up to the threshold first, so short answers
 * stay as they are and long or streamed ones are compressed as they go.
 */
export function compressResponses(threshold = COMPRESSION_THRESHOLD): MiddlewareHandler {
  return async (c, next) => {
    const made = recordBodies(c, threshold);
    await next();
    const res = c.res;
    // The body is asked for last: on Node, asking turns the answer into a web stream.
    if (c.req.method === 'HEAD' || res.status === 204 || res.status === 206) return;
    if (res.headers.has('Content-Encoding') || !COMPRESSIBLE.test(res.headers.get('Content-Type') ?? ''))
      return;
    if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get('Cache-Control') ?? '')) return;
    const vary = res.headers.get('Vary');
    if (!vary || !/accept-encoding/i.test(vary)) {
      res.headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
    }
    const length = res.headers.get('Content-Length');
    if (length !== null && Number(length) < threshold) return;
    const encoding = negotiateEncoding(c.req.header('Accept-Encoding'));
    if (!encoding) return;
    if (made.res === res && made.data !== undefined) {
      // Text or bytes made by `c.body` or `c.json`: compressed whole, and sent with its length.
      const bytes = typeof made.data === 'string' ? utf8.encode(made.data) : made.data;
      if (bytes.byteLength < threshold) return;
      const compressed = await compressOnce(bytes, encoding);
      const headers = encodedHeaders(res.headers, encoding);
      headers.set('Content-Length', String(compressed.byteLength));
      c.res = undefined;
      c.res = new Response(compressed, { status: res.status, headers });
      return;
    }
    if (!res.body) return;
    const reader = res.body.getReader();
    const { head, done, size } = await readAtLeast(reader, threshold);
    if (done && length === null && size < threshold) {
      // Bytes, not a stream, sent as they are; and set in place of the answer read, whose headers
      // are all here already (hono's setter would otherwise read the new body once more to merge them).
      c.res = undefined;
      c.res = new Response(Buffer.concat(head), { status: res.status, headers: new Headers(res.headers) });
      return;
    }
    const headers = encodedHeaders(res.headers, encoding);
    const compressed = Readable.from(replay(head, reader)).pipe(compressor(encoding));
    c.res = new Response(Readable.toWeb(compressed) as unknown as ReadableStream<Uint8Array>, {
      status: res.status,
      headers,
    });
  };
}
