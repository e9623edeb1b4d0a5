import { Hono } from 'hono';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { assertRole } from '../../shared/access.ts';
import { DomainError } from '../../shared/errors.ts';
import type { DocumentId, ProjectId, UserId } from '../../shared/ids.ts';
import type { DocumentMeta, MediaMeta, ProjectState } from '../../shared/model.ts';
import { requireUser } from '../auth/sessions.ts';
import { idParam, projectFor } from '../http/access.ts';
import type { Env } from '../http/env.ts';
import { receiveRecording, recordingPath, removeRecording } from '../media/recordings.ts';
import type { Store } from '../storage/store.ts';

export interface MediaOptions {
  /** Where recordings live (see media/recordings.ts); undefined: recordings are not available. */
  readonly root: string | undefined;
  readonly maxBytes: number;
}

function documentOf(state: Readonly<ProjectState>, documentId: DocumentId): DocumentMeta {
  const document = state.documents[documentId];
  if (!document) throw new DomainError('not_found', 'Document introuvable.', { documentId });
  return document;
}

const noRecording = () => new DomainError('not_found', "Ce document n'a pas d'enregistrement.");

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` against a file of `size` bytes; undefined when unsatisfiable. */
function byteRange(header: string, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return undefined;
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  return start <= end && start < size ? { start, end } : undefined;
}

/**
 * A document's recording: attached (replaced) and removed by leads as undoable changes of the
 * document, streamed to any member with HTTP ranges, so that a player seeks in a two-hour
 * recording without downloading it.
 */
export function mediaRoutes(store: Store, options: MediaOptions) {
  const root = () => {
    if (options.root === undefined) {
      throw new DomainError(
        'storage_unavailable',
        'Les enregistrements ne sont pas disponibles sur ce serveur : avec PostgreSQL, ils sont gardés dans un dossier partagé par toutes les instances, que VERBATIM_MEDIA_DIR doit désigner.',
      );
    }
    return options.root;
  };
  /** Record the document's new recording (or none) as one change; undo brings the previous back. */
  const setMedia = (id: ProjectId, userId: UserId, documentId: DocumentId, media: MediaMeta | null) =>
    store.changeProject(id, userId, (s) => {
      assertRole(s, userId, 'lead');
      const before = documentOf(s, documentId);
      if (media === null && !before.media) throw noRecording();
      const { media: _old, ...rest } = before;
      const after: DocumentMeta = media ? { ...rest, media } : rest;
      return { events: [{ type: 'document_updated', before, after }], result: after };
    });
  return new Hono<Env>()
    .use(requireUser(store))
    .post('/', async (c) => {
      const { id, state } = await projectFor(c, store, 'lead');
      const documentId = idParam<DocumentId>(c, 'documentId', 'Document');
      documentOf(state, documentId);
      const userId = c.get('user').id;
      const media = await receiveRecording(c, root(), id, documentId, options.maxBytes);
      try {
        const document = await setMedia(id, userId, documentId, media);
        return c.json({ media: document.media ?? null }, 201);
      } catch (error) {
        await removeRecording(root(), id, documentId, media.id);
        throw error;
      }
    })
    .get('/', async (c) => {
      const { id, state } = await projectFor(c, store, 'viewer');
      const documentId = idParam<DocumentId>(c, 'documentId', 'Document');
      const media = documentOf(state, documentId).media;
      if (!media) throw noRecording();
      const path = recordingPath(root(), id, documentId, media.id);
      const size = (await stat(path).catch(() => undefined))?.size;
      if (size === undefined) throw noRecording();
      c.header('Accept-Ranges', 'bytes');
      c.header('Content-Type', media.type);
      c.header('Cache-Control', 'private, no-store');
      const asked = c.req.header('range');
      if (asked === undefined) {
        c.header('Content-Length', String(size));
        return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream, 200);
      }
      const range = byteRange(asked, size);
      if (!range) {
        c.header('Content-Range', `bytes */${size}`);
        return c.body(null, 416);
      }
      c.header('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
      c.header('Content-Length', String(range.end - range.start + 1));
      return c.body(
        Readable.toWeb(createReadStream(path, { start: range.start, end: range.end })) as ReadableStream,
        206,
      );
    })
    .delete('/', async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const documentId = idParam<DocumentId>(c, 'documentId', 'Document');
      // The file stays while the removal can be undone; erasing the document removes it.
      await setMedia(id, c.get('user').id, documentId, null);
      return c.body(null, 204);
    });
}
