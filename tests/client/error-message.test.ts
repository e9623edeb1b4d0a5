/** How a refused character is told to the user: the field and the character, in their language. */
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../client/api/client.ts';
import { errorMessage, setLocale } from '../../client/i18n/index.ts';
import { NewCode } from '../../shared/schemas.ts';

/** The error the client gets for `body` refused by the server's schema (server/http/validate.ts). */
function refusal(body: unknown): ApiError {
  const result = NewCode.safeParse(body);
  if (result.success) throw new Error('refusal: the body was accepted');
  const issue = result.error.issues[0];
  const message = `${issue?.path.join('.')} : ${issue?.message}`;
  const wire = JSON.parse(
    JSON.stringify({ error: { code: 'invalid_input', message, details: { issues: result.error.issues } } }),
  ) as { error: { code: string; message: string } };
  return new ApiError(400, wire.error.code, wire.error.message, wire);
}

afterEach(() => setLocale('fr'));

describe('errorMessage for a refused character', () => {
  it('gives the server’s French message in French', () => {
    setLocale('fr');
    expect(errorMessage(refusal({ name: 'Coûts\u200b' }))).toBe(
      'name : Ce champ contient un caractère invisible (U+200B).',
    );
  });

  it('names the field and the character in English', () => {
    setLocale('en');
    expect(errorMessage(refusal({ name: 'Coûts\u200b' }))).toBe(
      'name: contains an invisible character (U+200B).',
    );
    expect(errorMessage(refusal({ name: 'Coûts', description: 'a\u0000b' }))).toBe(
      'description: contains a control character (U+0000).',
    );
    expect(errorMessage(refusal({ name: 'Coûts \ud83d' }))).toBe(
      'name: contains an invalid character (half of a surrogate pair, U+D83D).',
    );
  });

  it('falls back to the generic English message for other invalid input', () => {
    setLocale('en');
    expect(errorMessage(refusal({ name: '' }))).toBe('The data entered is not valid.');
  });
});
