/**
 * The one error type of the domain. `code` is a stable snake_case identifier sent on the wire;
 * the server maps each code to an HTTP status, the client to a message in the user's language.
 */
export type DomainErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'already_set_up'
  | 'duplicate_name'
  | 'span_out_of_range'
  | 'cycle'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'cross_site'
  | 'storage_unavailable'
  | 'project_damaged'
  | 'too_many_requests';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: DomainErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
