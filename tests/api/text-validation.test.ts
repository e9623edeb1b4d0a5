// @vitest-environment node
/**
 * Every text field is checked at the edge, the same way whichever store runs: a lone surrogate, a
 * NUL or another control character in a text, an invisible character in a name, is refused with
 * 400 `invalid_input` naming the field, and nothing is stored. On PostgreSQL, a bad change in a
 * group-commit batch fails only its own request.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startPgServer, postgresAvailable, startPgCluster, type PgCluster } from '../helpers/postgres.ts';
import { Client, startTestServer } from '../helpers/server.ts';
import { ADMIN } from './setup.ts';

const LONE = 'Mme L. \ud83d dit';
const NUL = 'avant\u0000après';
const BELL = 'cloche\u0007';
const ZERO_WIDTH = 'Coûts\u200b';
const BIDI = 'Coûts\u202e';

interface Case {
  what: string;
  method: 'post' | 'patch' | 'put';
  path: (ids: Ids) => string;
  body: (ids: Ids) => unknown;
  field: string;
}
interface Ids {
  base: string;
  docId: string;
  codeId: string;
  codingId: string;
  participantId: string;
}

const cases: Case[] = [
  {
    what: 'a project name with a NUL',
    method: 'post',
    path: () => '/api/projects',
    body: () => ({ name: NUL }),
    field: 'name',
  },
  {
    what: 'a project name with a zero-width space',
    method: 'patch',
    path: (i) => i.base,
    body: () => ({ name: ZERO_WIDTH }),
    field: 'name',
  },
  {
    what: 'a project description with a lone surrogate',
    method: 'patch',
    path: (i) => i.base,
    body: () => ({ description: LONE }),
    field: 'description',
  },
  {
    what: 'a document text with a NUL',
    method: 'post',
    path: (i) => `${i.base}/documents`,
    body: () => ({ name: 'b.txt', text: NUL }),
    field: 'text',
  },
  {
    what: 'a document name with a bidi control',
    method: 'post',
    path: (i) => `${i.base}/documents`,
    body: () => ({ name: `${BIDI}.txt`, text: 'Texte.' }),
    field: 'name',
  },
  {
    what: 'a document memo with a lone surrogate',
    method: 'patch',
    path: (i) => `${i.base}/documents/${i.docId}`,
    body: () => ({ memo: LONE }),
    field: 'memo',
  },
  {
    what: 'a document memo with a bell',
    method: 'patch',
    path: (i) => `${i.base}/documents/${i.docId}`,
    body: () => ({ memo: BELL }),
    field: 'memo',
  },
  {
    what: 'a code name with a zero-width space',
    method: 'post',
    path: (i) => `${i.base}/codes`,
    body: () => ({ name: ZERO_WIDTH }),
    field: 'name',
  },
  {
    what: 'a code name with a lone surrogate',
    method: 'patch',
    path: (i) => `${i.base}/codes/${i.codeId}`,
    body: () => ({ name: LONE }),
    field: 'name',
  },
  {
    what: 'a code description with a NUL',
    method: 'post',
    path: (i) => `${i.base}/codes`,
    body: () => ({ name: 'Autre', description: NUL }),
    field: 'description',
  },
  {
    what: 'a coding memo with a lone surrogate',
    method: 'post',
    path: (i) => `${i.base}/codings`,
    body: (i) => ({ documentId: i.docId, codeId: i.codeId, start: 0, end: 4, memo: LONE }),
    field: 'memo',
  },
  {
    what: 'a coding memo with a NUL',
    method: 'patch',
    path: (i) => `${i.base}/codings/${i.codingId}`,
    body: () => ({ memo: NUL }),
    field: 'memo',
  },
  {
    what: 'a participant name with a zero-width joiner',
    method: 'post',
    path: (i) => `${i.base}/participants`,
    body: () => ({ name: 'Zoé\u200dPetit' }),
    field: 'name',
  },
  {
    what: 'a pseudonym with a NUL',
    method: 'patch',
    path: (i) => `${i.base}/participants/${i.participantId}`,
    body: () => ({ pseudonym: NUL }),
    field: 'pseudonym',
  },
  {
    what: 'an attribute value with a lone surrogate',
    method: 'patch',
    path: (i) => `${i.base}/participants/${i.participantId}`,
    body: () => ({ attributes: { métier: LONE } }),
    field: 'attributes.métier',
  },
  {
    what: 'an attribute named with a zero-width space',
    method: 'put',
    path: (i) => `${i.base}/attributes`,
    body: () => ({ attributes: [{ name: 'métier\u200b', type: 'text' }] }),
    field: 'attributes.0.name',
  },
  {
    what: 'a choice with a bidi isolate',
    method: 'put',
    path: (i) => `${i.base}/attributes`,
    body: () => ({ attributes: [{ name: 'région', type: 'choice', choices: ['Bretagne\u2066'] }] }),
    field: 'attributes.0.choices.0',
  },
  {
    what: 'an interviewer label with a NUL',
    method: 'patch',
    path: (i) => `${i.base}/settings`,
    body: () => ({ interviewerLabels: [NUL] }),
    field: 'interviewerLabels.0',
  },
];

type Start = () => Promise<{ url: string; stop(): Promise<void> }>;

/** A project with one document, a code, a coding and a participant. */
async function aProject(admin: Client): Promise<Ids> {
  const pid = (await admin.post('/api/projects', { name: 'Accessibilité' })).body.id as string;
  const base = `/api/projects/${pid}`;
  const doc = await admin.post(`${base}/documents`, {
    name: 'a.txt',
    text: 'Camille : une réponse assez longue.',
  });
  const docId = doc.body.documents[0].id as string;
  const codeId = (await admin.post(`${base}/codes`, { name: 'Coûts' })).body.id as string;
  const codingId = (await admin.post(`${base}/codings`, { documentId: docId, codeId, start: 0, end: 7 })).body
    .id as string;
  await admin.put(`${base}/attributes`, { attributes: [{ name: 'métier', type: 'text' }] });
  const participantId = (await admin.post(`${base}/participants`, { name: 'Zoé Petit' })).body.id as string;
  return { base, docId, codeId, codingId, participantId };
}

function refusalSuite(storeName: string, start: Start): void {
  describe(`text fields on the ${storeName}`, () => {
    it('refuses bad text in every field with 400 invalid_input naming the field, and stores nothing', async () => {
      const server = await start();
      try {
        const admin = new Client(() => server.url);
        expect((await admin.post('/api/auth/setup', ADMIN)).status).toBe(201);
        const ids = await aProject(admin);
        const events = async () => (await admin.get(`${ids.base}/events?after=0&limit=1000`)).body;
        const projects = async () => (await admin.get('/api/projects')).body;
        const [eventsBefore, projectsBefore] = [await events(), await projects()];
        for (const c of cases) {
          const res = await admin[c.method](c.path(ids), c.body(ids));
          expect({ what: c.what, status: res.status, code: res.body?.error?.code }).toEqual({
            what: c.what,
            status: 400,
            code: 'invalid_input',
          });
          expect(res.body.error.message, c.what).toMatch(new RegExp(`^${c.field.replace(/\./g, '\\.')} : `));
        }
        expect(await events()).toEqual(eventsBefore);
        expect(await projects()).toEqual(projectsBefore);
      } finally {
        await server.stop();
      }
    });

    it('refuses CSV rows holding invisible or control characters, naming the row and column', async () => {
      const server = await start();
      try {
        const admin = new Client(() => server.url);
        await admin.post('/api/auth/setup', ADMIN);
        const ids = await aProject(admin);
        const csv = (text: string, name: string) => {
          const data = new FormData();
          data.append('file', new Blob([text]), name);
          return data;
        };
        const participants = await admin.request(
          'POST',
          `${ids.base}/participants/import`,
          csv(
            'fichier;participant;ville\na.txt;Léa\u200bMoreau;Brest\n;Paul Durand;Lyon\u0007\n;Inès Roy;Nantes\n',
            'p.csv',
          ),
        );
        expect(participants.status).toBe(200);
        expect(participants.body.errors).toEqual([
          { row: 2, message: 'Colonne « participant » : contient un caractère invisible (U+200B).' },
          { row: 3, message: 'Colonne « ville » : contient un caractère de contrôle (U+0007).' },
        ]);
        const names = participants.body.participants.map((p: { name: string }) => p.name).sort();
        expect(names).toEqual(['Inès Roy', 'Zoé Petit']);

        const header = await admin.request(
          'POST',
          `${ids.base}/participants/import`,
          csv('fichier;participant;\u202eville\n;Inès Roy;Brest\n', 'p.csv'),
        );
        expect(header.status).toBe(422);
        expect(header.body.error.message).toContain('contient un caractère invisible (U+202E)');

        const codebook = await admin.request(
          'POST',
          `${ids.base}/codes/import`,
          csv('code;description\nAccès\u2060;\nTarifs;Prix\u0007\nHoraires;ok\n', 'c.csv'),
        );
        expect(codebook.status).toBe(200);
        expect(codebook.body.errors).toEqual([
          { row: 2, message: 'Colonne « code » : contient un caractère invisible (U+2060).' },
          { row: 3, message: 'Colonne « description » : contient un caractère de contrôle (U+0007).' },
        ]);
        expect(codebook.body.created).toBe(1);
      } finally {
        await server.stop();
      }
    });

    it('accepts tabs and line breaks in memos, and emoji sequences in names', async () => {
      const server = await start();
      try {
        const admin = new Client(() => server.url);
        await admin.post('/api/auth/setup', ADMIN);
        const ids = await aProject(admin);
        const memo = 'Premier point\tà revoir\r\nsecond point 👩‍🔬';
        expect((await admin.patch(`${ids.base}/codings/${ids.codingId}`, { memo })).body.memo).toBe(memo);
        const code = await admin.post(`${ids.base}/codes`, { name: 'Chercheuse 👩‍🔬 ❤️' });
        expect(code.status).toBe(201);
        expect(code.body.name).toBe('Chercheuse 👩‍🔬 ❤️');
      } finally {
        await server.stop();
      }
    });
  });
}

refusalSuite('file store', async () => {
  const server = await startTestServer();
  return { url: server.url, stop: () => server.stop() };
});

if (postgresAvailable()) {
  let cluster: Promise<PgCluster> | undefined;
  const startOnPg: Start = async () => {
    cluster ??= startPgCluster();
    return startPgServer(await (await cluster).createDatabase());
  };
  afterAll(async () => {
    await (await cluster)?.stop();
  });
  refusalSuite('PostgreSQL store', startOnPg);

  describe('a bad write among honest ones on PostgreSQL', () => {
    it('fails only its own request: honest coders of the same project all succeed', async () => {
      const server = await startOnPg();
      try {
        const admin = new Client(() => server.url);
        await admin.post('/api/auth/setup', ADMIN);
        const ids = await aProject(admin);
        const statuses = { honest: [] as number[], bad: [] as number[] };
        const until = Date.now() + 1500;
        await Promise.all(
          Array.from({ length: 6 }, async (_, worker) => {
            for (let n = 0; Date.now() < until; n++) {
              const bad = worker === 0;
              const res = await admin.patch(`${ids.base}/codings/${ids.codingId}`, {
                memo: bad ? LONE : `note ${worker}-${n}`,
              });
              statuses[bad ? 'bad' : 'honest'].push(res.status);
            }
          }),
        );
        expect(statuses.bad.length).toBeGreaterThan(0);
        expect(new Set(statuses.bad)).toEqual(new Set([400]));
        expect(statuses.honest.length).toBeGreaterThan(10);
        expect(new Set(statuses.honest)).toEqual(new Set([200]));
      } finally {
        await server.stop();
      }
    });
  });
}
