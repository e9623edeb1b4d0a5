import type { Context } from 'hono';
import { DomainError, isDomainError } from '../../shared/errors.ts';

/**
 * The files sent in the `file` field of a multipart form. Refuses, through the one error path:
 * a body that is not multipart (415, with `hint` saying what to send), a form that is malformed
 * or was cut short — a Content-Length that lies, an interrupted upload — (400), and a form
 * without a file (400).
 */
export async function uploadedFiles(c: Context, hint: string): Promise<File[]> {
  if (!(c.req.header('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
    throw new DomainError('unsupported_media_type', hint);
  }
  const body = await c.req.parseBody({ all: true }).catch((error: unknown) => {
    if (isDomainError(error)) throw error;
    throw new DomainError(
      'invalid_input',
      'Envoi illisible ou incomplet : le formulaire multipart est mal formé ou a été interrompu.',
    );
  });
  const parts = body.file === undefined ? [] : Array.isArray(body.file) ? body.file : [body.file];
  const files = parts.filter((p): p is File => typeof p !== 'string');
  if (files.length === 0) throw new DomainError('invalid_input', 'Aucun fichier reçu (champ « file »).');
  return files;
}

/** The one file of a multipart form (the first, if several were sent): see `uploadedFiles`. */
export async function uploadedFile(c: Context, hint: string): Promise<File> {
  return (await uploadedFiles(c, hint))[0] as File;
}
