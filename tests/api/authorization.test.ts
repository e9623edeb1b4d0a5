/**
 * The authorization matrix: every route of the app × every kind of caller. For a project route, a
 * non-member (even the instance administrator) gets 404, an anonymous caller 401, a member whose
 * role is too low 403, and a member with the role the route needs anything but those. Instance
 * routes are open to anyone, to anyone signed in, or to the administrator.
 *
 * The list of routes is read from the app itself: a route added without its row here fails the
 * first test, so no route escapes the matrix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { openMemoryStore } from '../../server/storage/memory-store.ts';
import { Client } from '../helpers/server.ts';
import { wav } from '../helpers/wav.ts';
import { startWorld, type World } from './setup.ts';

type Caller = 'anonymous' | 'admin' | 'outsider' | 'viewer' | 'coder' | 'lead';
type Needed = 'viewer' | 'coder' | 'lead';

let world: World;
const clients = {} as Record<Caller, Client>;
const ids = {} as Record<Caller, string>;

beforeAll(async () => {
  world = await startWorld();
  clients.admin = world.admin;
  clients.anonymous = new Client(() => world.server.url);
  for (const name of ['outsider', 'viewer', 'coder', 'lead'] as const) {
    const user = await world.user(name);
    clients[name] = user.client;
    ids[name] = user.id;
  }
  // The outsider leads a project of their own: membership elsewhere must not leak in.
  await clients.outsider.post('/api/projects', { name: 'Ailleurs' });
});
afterAll(async () => {
  await world.server.stop();
});

/** A fresh project led by `lead`, with `coder` and `viewer`, a document, a code and codings. */
async function fixture() {
  const lead = clients.lead;
  const project = await lead.post('/api/projects', { name: 'Matrice' });
  const base = `/api/projects/${project.body.id}`;
  for (const role of ['coder', 'viewer'] as const) await lead.put(`${base}/members/${ids[role]}`, { role });
  const doc = (
    await lead.post(`${base}/documents`, { name: 'e.txt', text: 'Camille : on ressaisit tout à la main.' })
  ).body.documents[0].id;
  const recording = new FormData();
  recording.append('file', new Blob([wav(0.1) as BlobPart]), 'entretien.wav');
  expect((await lead.request('POST', `${base}/documents/${doc}/media`, recording)).status).toBe(201);
  const code = (await lead.post(`${base}/codes`, { name: 'Ressaisie' })).body.id;
  const code2 = (await lead.post(`${base}/codes`, { name: 'Coûts' })).body.id;
  const coderCoding = (
    await clients.coder.post(`${base}/codings`, { documentId: doc, codeId: code, start: 0, end: 7 })
  ).body.id;
  const leadCoding = (
    await lead.post(`${base}/codings`, { documentId: doc, codeId: code, start: 10, end: 20 })
  ).body.id;
  const participant = (await lead.post(`${base}/participants`, { name: 'Camille' })).body.id;
  // The coder's own: its author and the leads may change it.
  const journalEntry = (await clients.coder.post(`${base}/journal`, { title: 'Codebook revu' })).body.id;
  return {
    journalEntry,
    base,
    doc,
    code,
    code2,
    coderCoding,
    leadCoding,
    participant,
    projectId: project.body.id as string,
  };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;

interface Route {
  /** The route as the app declares it: method and path pattern. */
  route: string;
  name: string;
  needed: Needed;
  request: (f: Fixture, caller: Caller) => [method: string, path: string, body?: unknown];
}

const csv = (name: string, content: string) => {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  return form;
};

const ROUTES: Route[] = [
  {
    route: 'GET /api/projects/:projectId',
    name: 'GET project',
    needed: 'viewer',
    request: (f) => ['GET', f.base],
  },
  {
    route: 'PATCH /api/projects/:projectId',
    name: 'PATCH project',
    needed: 'lead',
    request: (f) => ['PATCH', f.base, { description: 'x' }],
  },
  {
    route: 'GET /api/projects/:projectId/members',
    name: 'GET members',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/members`],
  },
  {
    route: 'PUT /api/projects/:projectId/members/:userId',
    name: 'PUT member',
    needed: 'lead',
    request: (f) => ['PUT', `${f.base}/members/${ids.outsider}`, { role: 'viewer' }],
  },
  {
    route: 'DELETE /api/projects/:projectId/members/:userId',
    name: 'DELETE member',
    needed: 'lead',
    request: (f) => ['DELETE', `${f.base}/members/${ids.viewer}`],
  },
  {
    route: 'GET /api/projects/:projectId/documents',
    name: 'GET documents',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/documents`],
  },
  {
    route: 'GET /api/projects/:projectId/documents/:documentId',
    name: 'GET document',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/documents/${f.doc}`],
  },
  {
    route: 'GET /api/projects/:projectId/documents/:documentId/view',
    name: 'GET document view',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/documents/${f.doc}/view`],
  },
  {
    route: 'POST /api/projects/:projectId/documents',
    name: 'POST document',
    needed: 'lead',
    request: (f, c) => ['POST', `${f.base}/documents`, { name: `${c}.txt`, text: 'Texte.' }],
  },
  {
    route: 'PATCH /api/projects/:projectId/documents/:documentId',
    name: 'PATCH document memo',
    needed: 'coder',
    request: (f) => ['PATCH', `${f.base}/documents/${f.doc}`, { memo: 'm' }],
  },
  {
    route: 'PATCH /api/projects/:projectId/documents/:documentId',
    name: 'PATCH document name',
    needed: 'lead',
    request: (f) => ['PATCH', `${f.base}/documents/${f.doc}`, { name: 'r.txt' }],
  },
  {
    route: 'DELETE /api/projects/:projectId/documents/:documentId',
    name: 'DELETE document',
    needed: 'lead',
    request: (f) => ['DELETE', `${f.base}/documents/${f.doc}`],
  },
  {
    route: 'GET /api/projects/:projectId/codes',
    name: 'GET codes',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/codes`],
  },
  {
    route: 'POST /api/projects/:projectId/codes',
    name: 'POST code',
    needed: 'coder',
    request: (f, c) => ['POST', `${f.base}/codes`, { name: `Code ${c}` }],
  },
  {
    route: 'PATCH /api/projects/:projectId/codes/:codeId',
    name: 'PATCH code',
    needed: 'lead',
    request: (f) => ['PATCH', `${f.base}/codes/${f.code}`, { color: '#123456' }],
  },
  {
    route: 'DELETE /api/projects/:projectId/codes/:codeId',
    name: 'DELETE code',
    needed: 'lead',
    request: (f) => ['DELETE', `${f.base}/codes/${f.code2}`],
  },
  {
    route: 'POST /api/projects/:projectId/codes/:codeId/merge',
    name: 'merge codes',
    needed: 'lead',
    request: (f) => ['POST', `${f.base}/codes/${f.code2}/merge`, { targetId: f.code }],
  },
  {
    route: 'GET /api/projects/:projectId/codes/export.csv',
    name: 'export codebook CSV',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/codes/export.csv`],
  },
  {
    route: 'POST /api/projects/:projectId/codes/import',
    name: 'import codebook CSV',
    needed: 'lead',
    request: (f) => ['POST', `${f.base}/codes/import`, csv('c.csv', 'code\nNouveau\n')],
  },
  {
    route: 'GET /api/projects/:projectId/codings',
    name: 'GET codings',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/codings`],
  },
  {
    route: 'POST /api/projects/:projectId/codings',
    name: 'POST coding',
    needed: 'coder',
    request: (f) => ['POST', `${f.base}/codings`, { documentId: f.doc, codeId: f.code2, start: 3, end: 9 }],
  },
  {
    route: 'PATCH /api/projects/:projectId/codings/:codingId',
    name: "PATCH one's coding",
    needed: 'coder',
    request: (f) => ['PATCH', `${f.base}/codings/${f.coderCoding}`, { memo: 'm' }],
  },
  {
    route: 'PATCH /api/projects/:projectId/codings/:codingId',
    name: "PATCH another's coding",
    needed: 'lead',
    request: (f) => ['PATCH', `${f.base}/codings/${f.leadCoding}`, { memo: 'm' }],
  },
  {
    route: 'DELETE /api/projects/:projectId/codings/:codingId',
    name: "DELETE another's coding",
    needed: 'lead',
    request: (f) => ['DELETE', `${f.base}/codings/${f.leadCoding}`],
  },
  {
    route: 'POST /api/projects/:projectId/codings/move',
    name: 'move codings',
    needed: 'coder',
    request: (f) => ['POST', `${f.base}/codings/move`, { codingIds: [f.coderCoding], codeId: f.code2 }],
  },
  {
    route: 'GET /api/projects/:projectId/participants',
    name: 'GET participants',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/participants`],
  },
  {
    route: 'POST /api/projects/:projectId/participants',
    name: 'POST participant',
    needed: 'lead',
    request: (f, c) => ['POST', `${f.base}/participants`, { name: `P ${c}` }],
  },
  {
    route: 'PATCH /api/projects/:projectId/participants/:participantId',
    name: 'PATCH participant',
    needed: 'lead',
    request: (f) => ['PATCH', `${f.base}/participants/${f.participant}`, { pseudonym: 'PX' }],
  },
  {
    route: 'DELETE /api/projects/:projectId/participants/:participantId',
    name: 'DELETE participant',
    needed: 'lead',
    request: (f) => ['DELETE', `${f.base}/participants/${f.participant}`],
  },
  {
    route: 'POST /api/projects/:projectId/participants/import',
    name: 'import participants',
    needed: 'lead',
    request: (f) => [
      'POST',
      `${f.base}/participants/import`,
      csv('p.csv', 'fichier;participant\ne.txt;Zoé\n'),
    ],
  },
  {
    route: 'GET /api/projects/:projectId/attributes',
    name: 'GET attributes',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/attributes`],
  },
  {
    route: 'PUT /api/projects/:projectId/attributes',
    name: 'PUT attributes',
    needed: 'lead',
    request: (f) => ['PUT', `${f.base}/attributes`, { attributes: [] }],
  },
  {
    route: 'GET /api/projects/:projectId/settings',
    name: 'GET settings',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/settings`],
  },
  {
    route: 'PATCH /api/projects/:projectId/settings',
    name: 'PATCH settings',
    needed: 'lead',
    request: (f) => ['PATCH', `${f.base}/settings`, { interviewerLabels: ['Q'] }],
  },
  {
    route: 'GET /api/projects/:projectId/events',
    name: 'GET events',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/events`],
  },
  {
    route: 'GET /api/projects/:projectId/events/live',
    name: 'GET live feed',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/events/live`],
  },
  {
    route: 'GET /api/projects/:projectId/events/presence',
    name: 'GET presence',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/events/presence`],
  },
  {
    route: 'GET /api/projects/:projectId/history',
    name: 'GET history',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/history`],
  },
  {
    route: 'GET /api/projects/:projectId/search',
    name: 'search',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/search?q=ressaisir`],
  },
  {
    route: 'POST /api/projects/:projectId/search/prepare',
    name: 'prepare the search index',
    needed: 'viewer',
    request: (f) => ['POST', `${f.base}/search/prepare`],
  },
  {
    route: 'POST /api/projects/:projectId/autocode',
    name: 'autocode',
    needed: 'coder',
    request: (f) => [
      'POST',
      `${f.base}/autocode`,
      { q: 'ressaisir', codeId: f.code2, unit: 'match', preview: true },
    ],
  },
  {
    route: 'GET /api/projects/:projectId/stats/frequencies',
    name: 'frequencies',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/stats/frequencies`],
  },
  {
    route: 'GET /api/projects/:projectId/stats/cooccurrence',
    name: 'co-occurrence',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/stats/cooccurrence?unit=overlap`],
  },
  {
    route: 'GET /api/projects/:projectId/retrieve',
    name: 'retrieve',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/retrieve?codes=${f.code}`],
  },
  {
    route: 'GET /api/projects/:projectId/exports/project.qdpx',
    name: 'export REFI-QDA project (real names: leads only)',
    needed: 'lead',
    request: (f) => ['GET', `${f.base}/exports/project.qdpx`],
  },
  {
    route: 'GET /api/projects/:projectId/exports/check',
    name: 'check before publishing',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/exports/check`],
  },
  {
    route: 'POST /api/projects/:projectId/participants/:participantId/erase',
    name: 'erase participant',
    needed: 'lead',
    request: (f) => ['POST', `${f.base}/participants/${f.participant}/erase`, { confirm: 'Camille' }],
  },
  {
    route: 'POST /api/projects/:projectId/documents/:documentId/erase',
    name: 'erase document',
    needed: 'lead',
    request: (f) => ['POST', `${f.base}/documents/${f.doc}/erase`, { confirm: 'e.txt' }],
  },
  {
    route: 'GET /api/projects/:projectId/stats/coders',
    name: 'coders table',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/stats/coders`],
  },
  {
    route: 'GET /api/projects/:projectId/stats/agreement',
    name: 'agreement',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/stats/agreement?coders=${ids.coder},${ids.lead}`],
  },
  {
    route: 'POST /api/projects/:projectId/codings/consensus',
    name: 'consensus',
    needed: 'lead',
    request: (f) => ['POST', `${f.base}/codings/consensus`, { codingId: f.coderCoding }],
  },
  {
    route: 'POST /api/projects/:projectId/undo',
    name: 'undo',
    needed: 'coder',
    request: (f) => ['POST', `${f.base}/undo`, {}],
  },
  {
    route: 'POST /api/projects/:projectId/redo',
    name: 'redo',
    needed: 'coder',
    request: (f) => ['POST', `${f.base}/redo`, {}],
  },
  {
    route: 'GET /api/projects/:projectId/replacements',
    name: 'GET replacements',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/replacements`],
  },
  {
    route: 'PUT /api/projects/:projectId/replacements',
    name: 'PUT replacements',
    needed: 'lead',
    request: (f) => ['PUT', `${f.base}/replacements`, { replacements: [] }],
  },
  {
    route: 'GET /api/projects/:projectId/replacements/suggestions',
    name: 'replacement suggestions',
    needed: 'lead',
    request: (f) => ['GET', `${f.base}/replacements/suggestions`],
  },
  {
    route: 'GET /api/projects/:projectId/documents/:documentId/replacements',
    name: "a document's replacements",
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/documents/${f.doc}/replacements`],
  },
  {
    route: 'GET /api/projects/:projectId/exports/codebook.qdc',
    name: 'export REFI-QDA codebook',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/exports/codebook.qdc`],
  },
  {
    route: 'POST /api/projects/:projectId/exports/table.xlsx',
    name: 'export a table as XLSX',
    needed: 'viewer',
    request: (f) => ['POST', `${f.base}/exports/table.xlsx`, { title: 'T', rows: [['a', 1]] }],
  },
  {
    route: 'POST /api/projects/:projectId/documents/:documentId/media',
    name: 'attach a recording (not one: 415, but past the access check)',
    needed: 'lead',
    request: (f) => {
      const form = new FormData();
      form.append('file', new Blob(['<html>pas un son</html>']), 'faux.mp3');
      return ['POST', `${f.base}/documents/${f.doc}/media`, form];
    },
  },
  {
    route: 'GET /api/projects/:projectId/documents/:documentId/media',
    name: 'listen to a recording',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/documents/${f.doc}/media`],
  },
  {
    route: 'DELETE /api/projects/:projectId/documents/:documentId/media',
    name: 'DELETE a recording',
    needed: 'lead',
    request: (f) => ['DELETE', `${f.base}/documents/${f.doc}/media`],
  },
  {
    route: 'GET /api/projects/:projectId/memos',
    name: 'read the memos',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/memos`],
  },
  {
    route: 'GET /api/projects/:projectId/memos/export.docx',
    name: 'GET memos docx',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/memos/export.docx`],
  },
  {
    route: 'GET /api/projects/:projectId/journal',
    name: 'GET journal',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/journal`],
  },
  {
    route: 'POST /api/projects/:projectId/journal',
    name: 'POST journal entry',
    needed: 'coder',
    request: (f) => ['POST', `${f.base}/journal`, { title: 'Note' }],
  },
  {
    route: 'PATCH /api/projects/:projectId/journal/:entryId',
    name: 'PATCH journal entry (the coder’s own)',
    needed: 'coder',
    request: (f) => ['PATCH', `${f.base}/journal/${f.journalEntry}`, { text: 'Relu.' }],
  },
  {
    route: 'DELETE /api/projects/:projectId/journal/:entryId',
    name: 'DELETE journal entry',
    needed: 'coder',
    request: (f) => ['DELETE', `${f.base}/journal/${f.journalEntry}`],
  },
  {
    route: 'GET /api/projects/:projectId/memos/export.csv',
    name: 'download the memos',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/memos/export.csv`],
  },
  {
    route: 'GET /api/projects/:projectId/audit',
    name: 'read the audit trail',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/audit`],
  },
  {
    route: 'GET /api/projects/:projectId/audit/export.csv',
    name: 'download the audit trail',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/audit/export.csv`],
  },
  {
    route: 'POST /api/projects/:projectId/exports/table.csv',
    name: 'export a table as CSV',
    needed: 'viewer',
    request: (f) => ['POST', `${f.base}/exports/table.csv`, { title: 'T', rows: [['a', 1]] }],
  },
  {
    route: 'POST /api/projects/:projectId/exports/table.csv',
    name: 'export a table as CSV with real names',
    needed: 'lead',
    request: (f) => [
      'POST',
      `${f.base}/exports/table.csv`,
      { title: 'T', rows: [['a', 1]], pseudonymise: false },
    ],
  },
  {
    route: 'GET /api/projects/:projectId/exports/report-preview',
    name: 'report preview',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/exports/report-preview`],
  },
  {
    route: 'GET /api/projects/:projectId/exports/report.docx',
    name: 'DOCX report',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/exports/report.docx`],
  },
  {
    route: 'GET /api/projects/:projectId/exports/report.docx',
    name: 'DOCX report with real names',
    needed: 'lead',
    request: (f) => ['GET', `${f.base}/exports/report.docx?pseudonymise=false`],
  },
  {
    route: 'GET /api/projects/:projectId/exports/codings.csv',
    name: 'codings CSV',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/exports/codings.csv`],
  },
  {
    route: 'GET /api/projects/:projectId/exports/codings.xlsx',
    name: 'codings XLSX',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/exports/codings.xlsx`],
  },
  {
    route: 'DELETE /api/projects/:projectId',
    name: 'DELETE project',
    needed: 'lead',
    request: (f) => ['DELETE', f.base],
  },
];

const RANK: Record<Needed, number> = { viewer: 1, coder: 2, lead: 3 };

function expected(caller: Caller, needed: Needed): number | 'allowed' {
  if (caller === 'anonymous') return 401;
  if (caller === 'admin' || caller === 'outsider') return 404;
  return RANK[caller] >= RANK[needed] ? 'allowed' : 403;
}

/** Who may call an instance route: anyone, anyone signed in, or the administrator. */
type Open = 'public' | 'signedIn' | 'admin';

interface InstanceRoute {
  route: string;
  name: string;
  open: Open;
  request: (caller: Caller) => [method: string, path: string, body?: unknown];
}

const INSTANCE_ROUTES: InstanceRoute[] = [
  {
    route: 'GET /api/auth/status',
    name: 'status',
    open: 'public',
    request: () => ['GET', '/api/auth/status'],
  },
  {
    route: 'POST /api/auth/setup',
    name: 'setup (already done: 409 for everyone)',
    open: 'public',
    request: () => ['POST', '/api/auth/setup', { username: 'intrus', password: 'mot-de-passe-x' }],
  },
  {
    route: 'POST /api/auth/login',
    name: 'login (an empty form: 400)',
    open: 'public',
    request: () => ['POST', '/api/auth/login', {}],
  },
  { route: 'GET /api/auth/me', name: 'me', open: 'signedIn', request: () => ['GET', '/api/auth/me'] },
  {
    route: 'POST /api/auth/password',
    name: 'change password (an empty form: 400 past the access check)',
    open: 'signedIn',
    request: () => ['POST', '/api/auth/password', {}],
  },
  { route: 'GET /api/users', name: 'list users', open: 'admin', request: () => ['GET', '/api/users'] },
  {
    route: 'POST /api/users',
    name: 'create a user',
    open: 'admin',
    request: (c) => ['POST', '/api/users', { username: `nouveau-${c}`, password: 'secret-nouveau' }],
  },
  {
    route: 'PATCH /api/users/:userId',
    name: 'change an account (an empty form: 400 past the access check)',
    open: 'admin',
    request: () => ['PATCH', '/api/users/00000000-0000-4000-8000-000000000000', {}],
  },
  {
    route: 'POST /api/users/:userId/password',
    name: 'set an account’s password (an empty form: 400 past the access check)',
    open: 'admin',
    request: () => ['POST', '/api/users/00000000-0000-4000-8000-000000000000/password', {}],
  },
  {
    route: 'GET /api/users/directory',
    name: 'directory',
    open: 'signedIn',
    request: () => ['GET', '/api/users/directory'],
  },
  {
    route: 'GET /api/projects',
    name: 'list projects',
    open: 'signedIn',
    request: () => ['GET', '/api/projects'],
  },
  {
    route: 'POST /api/projects',
    name: 'create a project',
    open: 'signedIn',
    request: (c) => ['POST', '/api/projects', { name: `Projet ${c}` }],
  },
  {
    route: 'POST /api/projects/demo',
    name: 'demo project',
    open: 'signedIn',
    request: () => ['POST', '/api/projects/demo', {}],
  },
  {
    route: 'POST /api/projects/import',
    name: 'import a .qdpx (not one: 4xx, but past the access check)',
    open: 'signedIn',
    request: () => {
      const form = new FormData();
      form.append('file', new Blob(['pas une archive']), 'p.qdpx');
      return ['POST', '/api/projects/import', form];
    },
  },
  // Last: it ends the caller's session.
  {
    route: 'POST /api/auth/logout',
    name: 'logout',
    open: 'signedIn',
    request: () => ['POST', '/api/auth/logout', {}],
  },
];

function expectedOnInstance(caller: Caller, open: Open): number | 'allowed' {
  if (open === 'public') return 'allowed';
  if (caller === 'anonymous') return 401;
  if (open === 'admin' && caller !== 'admin') return 403;
  return 'allowed';
}

describe('authorization matrix', () => {
  for (const caller of ['anonymous', 'admin', 'outsider', 'viewer', 'coder', 'lead'] as const) {
    it(`answers every project route as it should for ${caller}`, async () => {
      const f = await fixture();
      const failures: string[] = [];
      for (const route of ROUTES) {
        // Destructive routes run on a fresh project so the next ones still find their data.
        const target = /^(DELETE|merge|erase)/.test(route.name) ? await fixture() : f;
        const [method, path, body] = route.request(target, caller);
        const res = await clients[caller].request(method, path, body);
        const want = expected(caller, route.needed);
        const ok =
          want === 'allowed'
            ? ![401, 403, 404].includes(res.status) && res.status < 500
            : res.status === want;
        if (!ok)
          failures.push(
            `${route.name}: ${res.status} (attendu ${want}) ${JSON.stringify(res.body).slice(0, 120)}`,
          );
      }
      expect(failures).toEqual([]);
    });
  }

  for (const caller of ['anonymous', 'admin', 'outsider', 'viewer', 'coder', 'lead'] as const) {
    it(`answers every instance route as it should for ${caller}`, async () => {
      const failures: string[] = [];
      for (const route of INSTANCE_ROUTES) {
        const [method, path, body] = route.request(caller);
        const res = await clients[caller].request(method, path, body);
        const want = expectedOnInstance(caller, route.open);
        const ok =
          want === 'allowed'
            ? ![401, 403, 404].includes(res.status) && res.status < 500
            : res.status === want;
        if (!ok)
          failures.push(
            `${route.name}: ${res.status} (attendu ${want}) ${JSON.stringify(res.body).slice(0, 120)}`,
          );
      }
      expect(failures).toEqual([]);
    });
  }
});

describe('the matrix covers the app', () => {
  it('has a row for every route the app declares, and none for a route it does not', async () => {
    const app = createApp(await openMemoryStore(), { maxUploadBytes: 1024 });
    // `ALL` entries are middleware (body limits, access checks, the API's 404), not routes.
    const declared = new Set(
      app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`),
    );
    expect(declared.size).toBeGreaterThan(50);
    const covered = new Set([...ROUTES.map((r) => r.route), ...INSTANCE_ROUTES.map((r) => r.route)]);
    expect([...declared].filter((r) => !covered.has(r)).sort()).toEqual([]);
    expect([...covered].filter((r) => !declared.has(r)).sort()).toEqual([]);
  });
});
