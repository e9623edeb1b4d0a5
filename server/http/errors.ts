import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { DomainError, type DomainErrorCode } from '../../shared/errors.ts';

const STATUS: Record<DomainErrorCode, ContentfulStatusCode> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  cross_site: 403,
  not_found: 404,
  conflict: 409,
  already_set_up: 409,
  duplicate_name: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  span_out_of_range: 422,
  cycle: 422,
  unprocessable: 422,
  storage_unavailable: 503,
  project_damaged: 503,
  too_many_requests: 429,
};

export function statusOf(code: DomainErrorCode): ContentfulStatusCode {
  return STATUS[code];
}

/** The body of every error response. */
export function errorBody(code: string, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(details && Object.keys(details).length > 0 ? { details } : {}) } };
}

/** The one error path: domain errors keep their code, anything else is a logged 500. */
export function handleError(error: Error, c: Context): Response {
  if (error instanceof DomainError) {
    if (error.code === 'too_many_requests') c.header('Retry-After', String(error.details.retryAfter ?? 60));
    return c.json(errorBody(error.code, error.message, { ...error.details }), statusOf(error.code));
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    const code = status === 413 ? 'payload_too_large' : status === 404 ? 'not_found' : 'http_error';
    const message = status === 413 ? 'La requête est trop volumineuse.' : error.message || 'Requête refusée.';
    return c.json(errorBody(code, message), status as ContentfulStatusCode);
  }
  console.error('Erreur interne :', error);
  return c.json(errorBody('internal_error', 'Erreur interne du serveur.'), 500);
}
