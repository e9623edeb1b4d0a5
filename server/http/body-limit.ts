import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DomainError } from '../../shared/errors.ts';

const tooLarge = () => new DomainError('payload_too_large', 'La requête est trop volumineuse.');

/** Whether a request declares its length (and no chunked transfer, which would override it). */
function declaredLength(c: Parameters<MiddlewareHandler>[0]): number | undefined {
  const declared = c.req.header('content-length');
  if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return undefined;
  return Number(declared);
}

/**
 * The limit of a JSON route: a GET or HEAD has no body to limit; a declared length over `maxSize`
 * is refused before anything is read; a body without one (chunked) is gathered by hono's
 * bodyLimit, counted, and refused past `maxSize`. The request's `body` is not touched unless the
 * body is chunked: on Node, asking for it turns the request into a web stream (a `ReadableStream`
 * over the socket and a full `Request`), which every coding written would pay for, where reading
 * the JSON directly from the socket costs a buffer.
 */
export function jsonLimit(maxSize: number): MiddlewareHandler {
  const chunked = bodyLimit({
    maxSize,
    onError: () => {
      throw tooLarge();
    },
  });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const declared = declaredLength(c);
    if (declared === undefined) return chunked(c, next);
    if (declared > maxSize) throw tooLarge();
    return next();
  };
}

/**
 * The limit of an upload route: a declared length over `maxSize` is refused before anything is
 * read; a body without one (chunked) is counted as it streams and cut at `maxSize` — never
 * buffered here, unlike hono's bodyLimit, which gathers a chunked body whole before passing it on.
 */
export function streamingLimit(maxSize: number): MiddlewareHandler {
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = declaredLength(c);
    if (declared !== undefined) {
      if (declared > maxSize) throw tooLarge();
      return next();
    }
    let size = 0;
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.length;
          if (size > maxSize) controller.error(tooLarge());
          else controller.enqueue(chunk);
        },
      }),
    );
    c.req.raw = new Request(c.req.raw, { body: counted, duplex: 'half' } as RequestInit);
    return next();
  };
}
