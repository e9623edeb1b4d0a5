/**
 * The typed HTTP client. Every call goes through `hc<AppType>`, so a renamed route or field breaks
 * the build; `unwrap` turns any non-2xx answer into a thrown {@link ApiError}.
 */
import { hc, type ClientResponse } from 'hono/client';
import type { AppType } from '../../server/app.ts';

export const api = hc<AppType>(globalThis.location?.origin ?? 'http://localhost', {
  init: { credentials: 'same-origin' },
}).api;

/** A refused request: the HTTP status and the server's `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole error body, for routes that say more (an upload lists its files' errors). */
    readonly body: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Whether a response body is the server's `{ error: { code, message } }`. */
export function isErrorBody(value: unknown): value is { error: { code: string; message: string } } {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** The body a successful (2xx) answer carries. */
type SuccessBody<R> =
  R extends ClientResponse<infer T, infer S, infer _F> ? (S extends 200 | 201 ? T : never) : never;

/**
 * Await a request and return its JSON body; a non-2xx answer becomes an {@link ApiError}, a 204
 * yields `undefined`.
 */
export async function unwrap<R extends ClientResponse<unknown, number, string>>(
  pending: Promise<R>,
): Promise<SuccessBody<R>> {
  const res = await pending;
  if (res.status === 204) return undefined as SuccessBody<R>;
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  if (!res.ok) {
    if (isErrorBody(body)) throw new ApiError(res.status, body.error.code, body.error.message, body);
    throw new ApiError(
      res.status,
      'http_error',
      typeof body === 'string' && body !== '' ? body : res.statusText,
    );
  }
  return body as SuccessBody<R>;
}
