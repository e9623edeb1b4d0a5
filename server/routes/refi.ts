import { Hono } from 'hono';
import { Readable } from 'node:stream';
import { codingCount } from '../../shared/coding-index.ts';
import { DomainError } from '../../shared/errors.ts';
import { requireUser } from '../auth/sessions.ts';
import { COLLECT_FROM_CODINGS, collectSoon } from '../collect-garbage.ts';
import { attachment } from '../http/attachment.ts';
import { allowRealNames } from '../http/real-names.ts';
import { projectFor } from '../http/access.ts';
import { uploadedFile } from '../http/multipart.ts';
import type { Env } from '../http/env.ts';
import { uploadSlots } from '../http/upload-slots.ts';
import { buildCodebookXml } from '../refi/export-codebook.ts';
import { projectArchive } from '../refi/export-archive.ts';
import { importProjectArchive, type RecordingOptions } from '../refi/import-project.ts';
import type { Store } from '../storage/store.ts';
import { projectView } from './projects.ts';

/** The archive's chunks, then a collection once the last has been taken (or the download cut). */
async function* collectingAfter(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  try {
    yield* chunks;
  } finally {
    collectSoon();
  }
}

/**
 * REFI-QDA exports of a project: `project.qdpx` (leads, recorded) and `codebook.qdc` (any member).
 * `mediaRoot` is where recordings live (undefined: none, PostgreSQL), so the archive carries them.
 */
export function refiExportRoutes(store: Store, options: { mediaRoot: string | undefined }) {
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/project.qdpx', async (c) => {
      // The whole project, texts and names as they are: a real-name export, for leads, recorded.
      const project = await projectFor(c, store, 'viewer');
      const state = await allowRealNames(c, store, project, 'qdpx', {});
      // Streamed: recordings go from their files into the zip as the client reads it.
      const archive = await projectArchive(store, state, options.mediaRoot);
      c.header('Content-Type', 'application/zip');
      c.header('Content-Disposition', attachment(state.project.name, 'qdpx', 'projet'));
      const large = codingCount(state) >= COLLECT_FROM_CODINGS;
      const sent = large ? collectingAfter(archive) : archive;
      return c.body(Readable.toWeb(Readable.from(sent)) as ReadableStream, 200);
    })
    .get('/codebook.qdc', async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      c.header('Content-Type', 'application/xml; charset=utf-8');
      c.header('Content-Disposition', attachment(state.project.name, 'qdc', 'projet'));
      return c.body(buildCodebookXml(state.codes), 200);
    });
}

/**
 * `POST /projects/import`: a new project from a `.qdpx` (multipart, field « file »); the caller
 * leads it. Its recordings are kept as uploaded ones are (`recordings`: where, and how large).
 */
export function refiImportRoutes(
  store: Store,
  options: { maxProjectBytes: number; recordings: RecordingOptions },
) {
  return new Hono<Env>().use(requireUser(store)).post('/', uploadSlots.guard, async (c) => {
    const file = await uploadedFile(
      c,
      'Envoyez le projet comme fichier (multipart, champ « file »).',
      options.maxProjectBytes,
    );
    if (!/\.(qdpx|zip)$/i.test(file.name)) {
      throw new DomainError(
        'unsupported_media_type',
        `« ${file.name} » : un projet REFI-QDA .qdpx est attendu.`,
      );
    }
    const { state, report } = await importProjectArchive(
      store,
      c.get('user').id,
      file.name,
      file.bytes,
      options.recordings,
    );
    return c.json({ project: projectView(state, 'lead'), report }, 201);
  });
}
