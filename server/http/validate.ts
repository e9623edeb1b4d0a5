import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType } from 'zod';
import type { $ZodError } from 'zod/v4/core';
import { DomainError } from '../../shared/errors.ts';

/**
 * Validate a request part with a shared schema. A failure becomes `invalid_input` (400) whose
 * message names the field, through the one error path.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw invalidInput(result.error);
  });
}

/** A schema's refusal as `invalid_input`, its message naming the first field at fault. */
export function invalidInput(error: $ZodError): DomainError {
  const issue = error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const message = issue ? (path ? `${path} : ${issue.message}` : issue.message) : 'Requête invalide.';
  return new DomainError('invalid_input', message, { issues: error.issues.slice(0, 5) });
}
