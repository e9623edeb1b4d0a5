import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { jsonLimit, streamingLimit } from './http/body-limit.ts';
import { compressResponses } from './http/compress.ts';
import { errorBody, handleError } from './http/errors.ts';
import type { Env } from './http/env.ts';
import { refuseCrossSite, securityHeaders } from './http/security.ts';
import { authRoutes } from './routes/auth.ts';
import { codeRoutes } from './routes/codes.ts';
import { codingRoutes } from './routes/codings.ts';
import { documentRoutes } from './routes/documents.ts';
import { erasureRoutes } from './routes/erasure.ts';
import { auditRoutes } from './routes/audit.ts';
import { mediaRoutes } from './routes/media.ts';
import { journalRoutes } from './routes/journal.ts';
import { memoRoutes } from './routes/memos.ts';
import { eventRoutes } from './routes/events.ts';
import { historyRoutes } from './routes/history.ts';
import { LiveFeeds } from './live/feeds.ts';
import { Presence } from './live/presence.ts';
import { searchRoutes } from './routes/search.ts';
import { SearchService } from './search/service.ts';
import { memberRoutes } from './routes/members.ts';
import { attributeRoutes, participantRoutes, settingsRoutes } from './routes/participants.ts';
import { projectRoutes } from './routes/projects.ts';
import { documentReplacementRoutes, exportRoutes, replacementRoutes } from './routes/exports.ts';
import { refiExportRoutes, refiImportRoutes } from './routes/refi.ts';
import { retrieveRoutes } from './routes/retrieve.ts';
import { statsRoutes } from './routes/stats.ts';
import { userRoutes } from './routes/users.ts';
import type { Store } from './storage/store.ts';
import { serverTiming } from './http/server-timing.ts';

export interface AppOptions {
  maxUploadBytes: number;
  /** The search indexes (given by the caller to flush them at shutdown). */
  search?: SearchService;
  /** Who has what open (given by the caller to say goodbye to the other instances at shutdown). */
  presence?: Presence;
  /** Folder of the built client; when absent, only the API is served. */
  clientDir?: string | undefined;
  /**
   * VERBATIM_TRUST_PROXY: the server is reached through a reverse proxy, whose `X-Forwarded-For`
   * and `X-Forwarded-Proto` give the client's address (for throttling) and scheme (for the
   * cookie's `Secure`). Off by default: anyone could write those headers.
   */
  trustProxy?: boolean | undefined;
  /** Where recordings live (`<root>/<project>/recordings/…`); undefined: none can be attached. */
  mediaRoot?: string | undefined;
  /** Largest recording, in bytes (VERBATIM_MAX_MEDIA_MB, 2 Go by default). */
  maxMediaBytes?: number | undefined;
  /** VERBATIM_SERVER_TIMING: answer with a `Server-Timing` header (http/server-timing.ts). */
  serverTiming?: boolean | undefined;
}

const JSON_LIMIT = 2 * 1024 * 1024;
/** VERBATIM_MAX_MEDIA_MB's default: a two-hour recording in a lossless format fits. */
export const DEFAULT_MAX_MEDIA_BYTES = 2048 * 1024 * 1024;
/** Room for the multipart boundaries and headers around a file of the largest accepted size. */
const FORM_OVERHEAD = 64 * 1024;

/** The built client: its assets cached for good, every other GET answered with the single page. */
function serveClient(app: Hono, root: string): void {
  app.use('/assets/*', async (c, next) => {
    await next();
    if (c.res.status === 200) c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable');
  });
  // The build writes a brotli and a gzip copy beside each asset (vite.config.ts): served as is.
  app.use('*', serveStatic({ root, precompressed: true }));
  // Client-side routes: every other GET gets the single page.
  app.get('*', async (c) => {
    try {
      const html = await readFile(join(root, 'index.html'), 'utf8');
      c.header('Cache-Control', 'no-cache');
      return c.html(html, 200);
    } catch {
      return c.text("L'interface n'est pas construite : lancez « npm run build ».", 503);
    }
  });
}

/** The HTTP application over a store: the API under /api, the built client everywhere else. */
export function createApp(store: Store, options: AppOptions) {
  const presence = options.presence ?? new Presence({ bus: store.presenceBus });
  const feeds = new LiveFeeds(store);
  const trustProxy = options.trustProxy ?? false;
  const search = options.search ?? new SearchService(store);
  // A form of several transcripts may be large, but it is read one file at a time (multipart.ts).
  const documentsLimit = Math.max(options.maxUploadBytes * 10, 50 * 1024 * 1024);
  // A whole project (.qdpx) is read at once, to unzip it: five files' worth, or 50 Mo at least.
  const maxProjectBytes = Math.max(options.maxUploadBytes * 5, 50 * 1024 * 1024);
  const maxMediaBytes = options.maxMediaBytes ?? DEFAULT_MAX_MEDIA_BYTES;
  const jsonBodyLimit = jsonLimit(JSON_LIMIT);
  const api = new Hono<Env>()
    .use('/projects/:projectId/documents', async (c, next) => {
      // A text sent as JSON is bound by the JSON limit, like any other JSON body.
      const json = (c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json');
      return (json ? jsonBodyLimit : streamingLimit(documentsLimit))(c, next);
    })
    .use('/projects/:projectId/participants/import', streamingLimit(options.maxUploadBytes + FORM_OVERHEAD))
    .use('/projects/import', streamingLimit(maxProjectBytes + FORM_OVERHEAD))
    .use('/projects/:projectId/documents/:documentId/media', streamingLimit(maxMediaBytes + FORM_OVERHEAD))
    .use('*', async (c, next) => {
      if (/\/projects\/[^/]+\/(documents|participants\/import)\/?$/.test(c.req.path)) return next();
      if (/\/projects\/import\/?$/.test(c.req.path)) return next();
      if (/\/projects\/[^/]+\/documents\/[^/]+\/media\/?$/.test(c.req.path)) return next();
      return jsonBodyLimit(c, next);
    })
    .route('/auth', authRoutes(store, { feeds, trustProxy }))
    .route('/users', userRoutes(store, feeds))
    .route('/projects', projectRoutes(store))
    .route(
      '/projects/import',
      refiImportRoutes(store, {
        maxProjectBytes,
        recordings: { root: options.mediaRoot, maxBytes: maxMediaBytes },
      }),
    )
    .route('/projects/:projectId/exports', refiExportRoutes(store, { mediaRoot: options.mediaRoot }))
    .route('/projects/:projectId/exports', exportRoutes(store))
    .route('/projects/:projectId/replacements', replacementRoutes(store))
    .route('/projects/:projectId/documents/:documentId/replacements', documentReplacementRoutes(store))
    .route('/projects/:projectId/members', memberRoutes(store))
    .route(
      '/projects/:projectId/documents/:documentId/media',
      mediaRoutes(store, { root: options.mediaRoot, maxBytes: maxMediaBytes }),
    )
    .route('/projects/:projectId/documents', documentRoutes(store, options))
    .route('/projects/:projectId/codes', codeRoutes(store, options))
    .route('/projects/:projectId/codings', codingRoutes(store))
    .route('/projects/:projectId/participants', participantRoutes(store, options))
    .route('/projects/:projectId/attributes', attributeRoutes(store))
    .route('/projects/:projectId/settings', settingsRoutes(store))
    .route('/projects/:projectId/stats', statsRoutes(store))
    .route('/projects/:projectId/retrieve', retrieveRoutes(store))
    .route('/projects/:projectId/events', eventRoutes(store, presence, feeds))
    .route('/projects/:projectId/audit', auditRoutes(store))
    .route('/projects/:projectId/memos', memoRoutes(store))
    .route('/projects/:projectId/journal', journalRoutes(store))
    .route('/projects/:projectId', historyRoutes(store))
    .route('/projects/:projectId', erasureRoutes(store))
    .route('/projects/:projectId', searchRoutes(store, search));

  const root = new Hono();
  // First, so that the times it gives include all the rest.
  if (options.serverTiming) root.use(serverTiming());
  const app = root
    .use(securityHeaders)
    .use(compressResponses())
    .use('/api/*', refuseCrossSite)
    .route('/api', api)
    .all('/api/*', (c) => c.json(errorBody('not_found', 'Route inconnue.'), 404));
  app.onError(handleError);

  if (options.clientDir) serveClient(app, options.clientDir);
  return app;
}

export type AppType = ReturnType<typeof createApp>;
