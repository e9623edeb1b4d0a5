import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { DomainError } from '../../../shared/errors.ts';
import type { DomainErrorCode } from '../../../shared/errors.ts';
import { CodePointIndex } from '../../../shared/offsets.ts';
import type { Turn } from '../../../shared/turns.ts';

/** The bytes of a file of fixtures/import (built by fixtures/import/make-fixtures.mjs). */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../../fixtures/import/${name}`, import.meta.url)));
}

/**
 * The code-point span of the only occurrence of `phrase` in `text`, checked both ways: counted
 * naively over the text's code points, and sliced back through CodePointIndex.
 */
export function spanOf(text: string, phrase: string): { start: number; end: number } {
  const at = text.indexOf(phrase);
  expect(at, `« ${phrase} » is in the text`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(phrase, at + 1), `« ${phrase} » occurs once`).toBe(-1);
  const start = [...text.slice(0, at)].length;
  const end = start + [...phrase].length;
  expect(new CodePointIndex(text).slice(start, end)).toBe(phrase);
  return { start, end };
}

/** The text of a turn, sliced in code points. */
export function turnText(text: string, turn: Turn): string {
  return new CodePointIndex(text).slice(turn.start, turn.end);
}

/** Expect `promise` to reject with a DomainError of `code` whose message and details name `file`. */
export async function expectRefusal(
  promise: Promise<unknown>,
  code: DomainErrorCode,
  file: string,
  message?: RegExp,
): Promise<DomainError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  const domainError = error as DomainError;
  expect(domainError.code).toBe(code);
  expect(domainError.message).toContain(`« ${file} »`);
  expect(domainError.details).toEqual({ file });
  if (message) expect(domainError.message).toMatch(message);
  return domainError;
}
