import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { ZodType, core } from 'zod';
import { DomainError } from '../../shared/errors.ts';

/** The message of the first issue, naming the field (or, in a query string, the parameter). */
function describe(target: keyof ValidationTargets, issue: core.$ZodIssue | undefined): string {
  if (!issue) return 'Requête invalide.';
  if (target === 'query') {
    if (issue.code === 'unrecognized_keys')
      return `Paramètre inconnu : ${issue.keys.map((k) => `« ${k} »`).join(', ')}.`;
    if (issue.path.length > 0) return `Paramètre « ${String(issue.path[0])} » : ${issue.message}`;
  }
  const path = issue.path.join('.');
  return path ? `${path} : ${issue.message}` : issue.message;
}

/**
 * Validate a request part with a shared schema. A failure becomes `invalid_input` (400) whose
 * message names the field (for a query string, the parameter), through the one error path.
 */
export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(
  target: Target,
  schema: Schema,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw invalidInput(result.error, target);
  });
}

/** A schema's refusal as `invalid_input`, its message naming the first field at fault. */
export function invalidInput(error: core.$ZodError, target: keyof ValidationTargets = 'json'): DomainError {
  return new DomainError('invalid_input', describe(target, error.issues[0]), {
    issues: error.issues.slice(0, 5),
  });
}
