/**
 * The authorization matrix: every project route × every kind of caller. A non-member (even the
 * instance administrator) gets 404, an anonymous caller 401, a member whose role is too low 403,
 * and a member with the role the route needs anything but those.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/server.ts';
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
  const code = (await lead.post(`${base}/codes`, { name: 'Ressaisie' })).body.id;
  const code2 = (await lead.post(`${base}/codes`, { name: 'Coûts' })).body.id;
  const coderCoding = (
    await clients.coder.post(`${base}/codings`, { documentId: doc, codeId: code, start: 0, end: 7 })
  ).body.id;
  const leadCoding = (
    await lead.post(`${base}/codings`, { documentId: doc, codeId: code, start: 10, end: 20 })
  ).body.id;
  const participant = (await lead.post(`${base}/participants`, { name: 'Camille' })).body.id;
  return {
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
  { name: 'GET project', needed: 'viewer', request: (f) => ['GET', f.base] },
  { name: 'PATCH project', needed: 'lead', request: (f) => ['PATCH', f.base, { description: 'x' }] },
  { name: 'GET members', needed: 'viewer', request: (f) => ['GET', `${f.base}/members`] },
  {
    name: 'PUT member',
    needed: 'lead',
    request: (f) => ['PUT', `${f.base}/members/${ids.outsider}`, { role: 'viewer' }],
  },
  { name: 'DELETE member', needed: 'lead', request: (f) => ['DELETE', `${f.base}/members/${ids.viewer}`] },
  { name: 'GET documents', needed: 'viewer', request: (f) => ['GET', `${f.base}/documents`] },
  { name: 'GET document', needed: 'viewer', request: (f) => ['GET', `${f.base}/documents/${f.doc}`] },
  {
    name: 'POST document',
    needed: 'lead',
    request: (f, c) => ['POST', `${f.base}/documents`, { name: `${c}.txt`, text: 'Texte.' }],
  },
  {
    name: 'PATCH document memo',
    needed: 'coder',
    request: (f) => ['PATCH', `${f.base}/documents/${f.doc}`, { memo: 'm' }],
  },
  {
    name: 'PATCH document name',
    needed: 'lead',
    request: (f) => ['PATCH', `${f.base}/documents/${f.doc}`, { name: 'r.txt' }],
  },
  { name: 'DELETE document', needed: 'lead', request: (f) => ['DELETE', `${f.base}/documents/${f.doc}`] },
  { name: 'GET codes', needed: 'viewer', request: (f) => ['GET', `${f.base}/codes`] },
  {
    name: 'POST code',
    needed: 'coder',
    request: (f, c) => ['POST', `${f.base}/codes`, { name: `Code ${c}` }],
  },
  {
    name: 'PATCH code',
    needed: 'lead',
    request: (f) => ['PATCH', `${f.base}/codes/${f.code}`, { color: '#123456' }],
  },
  { name: 'DELETE code', needed: 'lead', request: (f) => ['DELETE', `${f.base}/codes/${f.code2}`] },
  {
    name: 'merge codes',
    needed: 'lead',
    request: (f) => ['POST', `${f.base}/codes/${f.code2}/merge`, { targetId: f.code }],
  },
  { name: 'export codebook CSV', needed: 'viewer', request: (f) => ['GET', `${f.base}/codes/export.csv`] },
  {
    name: 'import codebook CSV',
    needed: 'lead',
    request: (f) => ['POST', `${f.base}/codes/import`, csv('c.csv', 'code\nNouveau\n')],
  },
  { name: 'GET codings', needed: 'viewer', request: (f) => ['GET', `${f.base}/codings`] },
  {
    name: 'POST coding',
    needed: 'coder',
    request: (f) => ['POST', `${f.base}/codings`, { documentId: f.doc, codeId: f.code2, start: 3, end: 9 }],
  },
  {
    name: "PATCH one's coding",
    needed: 'coder',
    request: (f) => ['PATCH', `${f.base}/codings/${f.coderCoding}`, { memo: 'm' }],
  },
  {
    name: "PATCH another's coding",
    needed: 'lead',
    request: (f) => ['PATCH', `${f.base}/codings/${f.leadCoding}`, { memo: 'm' }],
  },
  {
    name: "DELETE another's coding",
    needed: 'lead',
    request: (f) => ['DELETE', `${f.base}/codings/${f.leadCoding}`],
  },
  {
    name: 'move codings',
    needed: 'coder',
    request: (f) => ['POST', `${f.base}/codings/move`, { codingIds: [f.coderCoding], codeId: f.code2 }],
  },
  { name: 'GET participants', needed: 'viewer', request: (f) => ['GET', `${f.base}/participants`] },
  {
    name: 'POST participant',
    needed: 'lead',
    request: (f, c) => ['POST', `${f.base}/participants`, { name: `P ${c}` }],
  },
  {
    name: 'PATCH participant',
    needed: 'lead',
    request: (f) => ['PATCH', `${f.base}/participants/${f.participant}`, { pseudonym: 'PX' }],
  },
  {
    name: 'DELETE participant',
    needed: 'lead',
    request: (f) => ['DELETE', `${f.base}/participants/${f.participant}`],
  },
  {
    name: 'import participants',
    needed: 'lead',
    request: (f) => [
      'POST',
      `${f.base}/participants/import`,
      csv('p.csv', 'fichier;participant\ne.txt;Zoé\n'),
    ],
  },
  { name: 'GET attributes', needed: 'viewer', request: (f) => ['GET', `${f.base}/attributes`] },
  {
    name: 'PUT attributes',
    needed: 'lead',
    request: (f) => ['PUT', `${f.base}/attributes`, { attributes: [] }],
  },
  { name: 'GET settings', needed: 'viewer', request: (f) => ['GET', `${f.base}/settings`] },
  {
    name: 'PATCH settings',
    needed: 'lead',
    request: (f) => ['PATCH', `${f.base}/settings`, { interviewerLabels: ['Q'] }],
  },
  { name: 'GET events', needed: 'viewer', request: (f) => ['GET', `${f.base}/events`] },
  { name: 'GET presence', needed: 'viewer', request: (f) => ['GET', `${f.base}/events/presence`] },
  { name: 'GET history', needed: 'viewer', request: (f) => ['GET', `${f.base}/history`] },
  { name: 'search', needed: 'viewer', request: (f) => ['GET', `${f.base}/search?q=ressaisir`] },
  {
    name: 'autocode',
    needed: 'coder',
    request: (f) => [
      'POST',
      `${f.base}/autocode`,
      { q: 'ressaisir', codeId: f.code2, unit: 'match', preview: true },
    ],
  },
  { name: 'frequencies', needed: 'viewer', request: (f) => ['GET', `${f.base}/stats/frequencies`] },
  {
    name: 'co-occurrence',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/stats/cooccurrence?unit=overlap`],
  },
  { name: 'retrieve', needed: 'viewer', request: (f) => ['GET', `${f.base}/retrieve?codes=${f.code}`] },
  {
    name: 'export REFI-QDA project',
    needed: 'viewer',
    request: (f) => ['GET', `${f.base}/exports/project.qdpx`],
  },
  { name: 'check before publishing', needed: 'viewer', request: (f) => ['GET', `${f.base}/exports/check`] },
  {
    name: 'replacement suggestions',
    needed: 'lead',
    request: (f) => ['GET', `${f.base}/replacements/suggestions`],
  },
  { name: 'DELETE project', needed: 'lead', request: (f) => ['DELETE', f.base] },
];

const RANK: Record<Needed, number> = { viewer: 1, coder: 2, lead: 3 };

function expected(caller: Caller, needed: Needed): number | 'allowed' {
  if (caller === 'anonymous') return 401;
  if (caller === 'admin' || caller === 'outsider') return 404;
  return RANK[caller] >= RANK[needed] ? 'allowed' : 403;
}

describe('authorization matrix', () => {
  for (const caller of ['anonymous', 'admin', 'outsider', 'viewer', 'coder', 'lead'] as const) {
    it(`answers every project route as it should for ${caller}`, async () => {
      const f = await fixture();
      const failures: string[] = [];
      for (const route of ROUTES) {
        // Destructive routes run on a fresh project so the next ones still find their data.
        const target = /^(DELETE|merge)/.test(route.name) ? await fixture() : f;
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

  it('keeps instance routes to their callers: users for the administrator, the rest for anyone signed in', async () => {
    expect((await clients.anonymous.get('/api/projects')).status).toBe(401);
    expect((await clients.anonymous.get('/api/users/directory')).status).toBe(401);
    expect((await clients.lead.get('/api/users')).status).toBe(403);
    expect((await clients.lead.post('/api/users', { username: 'x1', password: 'secret-x1' })).status).toBe(
      403,
    );
    expect((await clients.admin.get('/api/users')).status).toBe(200);
    expect((await clients.viewer.get('/api/users/directory')).status).toBe(200);
  });
});
