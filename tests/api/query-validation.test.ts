/**
 * Every route that reads a query string refuses a bad value with 400 `invalid_input` and a French
 * message naming the parameter, and changes nothing: the edge checks the query (shared/queries.ts)
 * before the route reads anything, then the route checks it against the project.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
let base: string;
let docId: string;
let codeId: string;

beforeAll(async () => {
  world = await startWorld();
  ({ base, docId } = await projectWithDocument(
    world.admin,
    'Camille : on ressaisit tout deux fois, les fiches de paie comprises.',
  ));
  codeId = (await world.admin.post(`${base}/codes`, { name: 'Ressaisie' })).body.id as string;
  await world.admin.put(`${base}/attributes`, { attributes: [{ name: 'effectif', type: 'number' }] });
  await world.admin.post(`${base}/codings`, { documentId: docId, codeId, start: 0, end: 7 });
});
afterAll(async () => {
  await world.server.stop();
});

const UNKNOWN = '00000000-0000-4000-8000-0000000000ff';

/** Route (with the query string it is sent) → the parameter its message must name. */
const BAD: [string, string][] = [
  ['codings?documentId=pas-un-id', 'documentId'],
  ['codings?codeId=a&codeId=b', 'codeId'],
  ['events?limit=0', 'limit'],
  ['events?after=-1', 'after'],
  ['events?limit=1001', 'limit'],
  ['stats/frequencies?coderId=personne', 'coderId'],
  ['stats/frequencies?attribute=a&attribute=b', 'attribute'],
  ['stats/frequencies?effectif=', 'effectif'],
  ['stats/coders?documentId=x', 'documentId'],
  ['stats/cooccurrence?unit=phrase', 'unit'],
  ['stats/cooccurrence?unit=turn&unit=overlap', 'unit'],
  ['stats/agreement?coders=a,b', 'coders'],
  ['stats/agreement?unit=mot&coders=CODERS', 'unit'],
  ['retrieve?codes=CODE&op=xor', 'op'],
  ['retrieve?codes=CODE&limit=0', 'limit'],
  ['retrieve?codes=CODE&context=2001', 'context'],
  ['retrieve?codes=CODE&offset=un', 'offset'],
  ['retrieve?codes=CODE&unit=phrase', 'unit'],
  ['search?q=paie&limit=1001', 'limit'],
  ['search?q=paie&offset=-5', 'offset'],
  ['search?q=paie&fuzzy=oui', 'fuzzy'],
  ['search?q=paie&codeId=x', 'codeId'],
  ['search?q=paie&q=fiche', 'q'],
  ['exports/report-preview?sort=alphabet', 'sort'],
  ['exports/report-preview?maxPerCode=-1', 'maxPerCode'],
  ['exports/check?memos=oui', 'memos'],
  ['exports/report.docx?codes=x', 'codes'],
  ['exports/codings.csv?delimiter=tab', 'delimiter'],
  ['exports/codings.xlsx?pseudonymise=non', 'pseudonymise'],
];

describe('bad query values', () => {
  it('are refused with 400 naming the parameter, on every route that reads a query', async () => {
    const failures: string[] = [];
    for (const [route, parameter] of BAD) {
      const path = route
        .replace('CODERS', `${UNKNOWN},${UNKNOWN.replace('ff', 'fe')}`)
        .replace('CODE', codeId);
      const res = await world.admin.get(`${base}/${path}`);
      const message = String(res.body?.error?.message ?? '');
      if (
        res.status !== 400 ||
        res.body?.error?.code !== 'invalid_input' ||
        !message.includes(`« ${parameter} »`)
      )
        failures.push(`${route}: ${res.status} ${message}`);
    }
    expect(failures).toEqual([]);
  });

  it('name an unknown parameter, and values unknown in the project', async () => {
    const page = await world.admin.get(`${base}/events?depuis=10`);
    expect(page.status).toBe(400);
    expect(page.body.error.message).toBe('Paramètre inconnu : « depuis ».');
    const unknown = await world.admin.get(`${base}/stats/coders?couleur=rouge`);
    expect(unknown.body.error.message).toMatch(/Paramètre inconnu « couleur »/);
    const coder = await world.admin.get(`${base}/stats/coders?coderId=${UNKNOWN}`);
    expect([coder.status, coder.body.error.message]).toEqual([
      400,
      `Codeur inconnu dans ce projet : « ${UNKNOWN} ».`,
    ]);
    const code = await world.admin.get(`${base}/retrieve?codes=${UNKNOWN}`);
    expect([code.status, code.body.error.message]).toEqual([
      400,
      `Code inconnu dans ce projet : « ${UNKNOWN} ».`,
    ]);
    const number = await world.admin.get(`${base}/stats/frequencies?effectif=beaucoup`);
    expect([number.status, number.body.error.message]).toEqual([
      400,
      '« effectif » attend un nombre, pas « beaucoup ».',
    ]);
  });

  it('leave the log as it was: an export with real names and a bad option is not recorded', async () => {
    const before = (await world.admin.get(`${base}/events?limit=1000`)).body.events.length as number;
    for (const query of ['pseudonymise=false&sort=alphabet', `pseudonymise=false&codes=${UNKNOWN}`]) {
      const res = await fetch(`${world.server.url}${base}/exports/codings.csv?${query}`, {
        headers: { cookie: world.admin.cookie },
      });
      expect(res.status).toBe(400);
    }
    const after = (await world.admin.get(`${base}/events?limit=1000`)).body.events as { type: string }[];
    expect(after).toHaveLength(before);
    expect(after.map((e) => e.type)).not.toContain('export_with_real_names');
  });

  it('refuse the same way the filters of an auto-coding, which then codes nothing', async () => {
    const before = (await world.admin.get(`${base}/codings`)).body.codings.length as number;
    const res = await world.admin.post(`${base}/autocode`, {
      q: 'paie',
      codeId,
      unit: 'match',
      filters: { uncoded: 'peut-être' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^filters\.uncoded : /);
    expect((await world.admin.get(`${base}/codings`)).body.codings).toHaveLength(before);
  });
});
