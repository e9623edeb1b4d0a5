/** Branded identifiers: passing a document id where a code id belongs fails to compile. */
export type Brand<T, B extends string> = T & { readonly __brand: B };

export type UserId = Brand<string, 'UserId'>;
export type ProjectId = Brand<string, 'ProjectId'>;
export type DocumentId = Brand<string, 'DocumentId'>;
export type CodeId = Brand<string, 'CodeId'>;
export type CodingId = Brand<string, 'CodingId'>;
export type ParticipantId = Brand<string, 'ParticipantId'>;

/** A new random identifier (UUID v4), usable as a REFI-QDA GUID. */
export function newId<T extends string>(): T {
  return globalThis.crypto.randomUUID() as T;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether a string has the shape of the identifiers this project creates. */
export function isId(value: string): boolean {
  return UUID.test(value);
}
