/**
 * The review routes on the fixture project of fixtures/expected/review-project.json, built through
 * the API, checked against fixtures/expected/review.json (computed by review.py, naively). The
 * project is built once and only read by the tests below, so their order does not matter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../helpers/server.ts';
import { expected, project } from '../shared/stats/review-fixture.ts';
import { startWorld, type World } from './setup.ts';

let world: World;
let base: string;
const ids = new Map<string, string>();
const keys = new Map<string, string>();
const clients = new Map<string, Client>();
let viewer: Client;
let outsider: Client;

function remember(key: string, id: string) {
  ids.set(key, id);
  keys.set(id, key);
}
const id = (key: string) => ids.get(key) as string;
const key = (value: string) => keys.get(value) as string;

beforeAll(async () => {
  world = await startWorld();
  const admin = world.admin;
  const created = await admin.post('/api/projects', { name: 'Revue' });
  base = `/api/projects/${created.body.id}`;
  for (const coder of project.coders) {
    const user = await world.user(coder);
    remember(coder, user.id);
    clients.set(coder, user.client);
    await admin.put(`${base}/members/${user.id}`, { role: 'coder' });
  }
  const v = await world.user('vera');
  await admin.put(`${base}/members/${v.id}`, { role: 'viewer' });
  viewer = v.client;
  outsider = (await world.user('olga')).client;
  await admin.put(`${base}/attributes`, { attributes: project.attributes });
  for (const p of project.participants) {
    const res = await admin.post(`${base}/participants`, {
      name: p.name,
      pseudonym: p.pseudonym,
      attributes: p.attributes,
    });
    remember(p.key, res.body.id);
  }
  for (const d of project.documents) {
    const res = await admin.post(`${base}/documents`, { name: d.name, text: d.text });
    remember(d.key, res.body.documents[0].id);
    if (d.participant)
      await admin.patch(`${base}/documents/${id(d.key)}`, { participantId: id(d.participant) });
  }
  for (const c of project.codes) {
    const res = await admin.post(`${base}/codes`, {
      name: c.name,
      parentId: c.parent === null ? null : id(c.parent),
    });
    remember(c.key, res.body.id);
  }
  for (const k of project.codings) {
    const res = await clients
      .get(k.coder)!
      .post(`${base}/codings`, { documentId: id(k.doc), codeId: id(k.code), start: k.start, end: k.end });
    if (res.status !== 201) throw new Error(`coding ${k.key}: ${JSON.stringify(res.body)}`);
    expect(res.body.text).toBe(k.quote);
    remember(k.key, res.body.id);
  }
});
afterAll(async () => {
  await world.server.stop();
});

const q = (params: [string, string][]) => new URLSearchParams(params).toString();

describe('GET /stats/frequencies', () => {
  it('gives every code its codings, documents, participants, coverage and roll-up (review.py)', async () => {
    const res = await viewer.get(`${base}/stats/frequencies`);
    expect(res.status).toBe(200);
    const want = expected.frequencies.all;
    expect(res.body.totals).toEqual(want.totals);
    for (const row of res.body.rows) {
      const w = want.rows[key(row.codeId)];
      expect(row).toMatchObject({
        codings: w.codings,
        documents: w.documents,
        participants: w.participants,
        coveredCodePoints: w.coveredCodePoints,
      });
      expect(row.coverage).toBeCloseTo(w.coverage, 12);
      if (w.rollup)
        expect(row.rollup).toMatchObject({
          codings: w.rollup.codings,
          coveredCodePoints: w.rollup.coveredCodePoints,
        });
    }
    expect(res.body.rows.find((r: { codeId: string }) => r.codeId === id('outils'))).toMatchObject({
      name: 'Outils',
      parentId: null,
      depth: 0,
    });
  });

  it('combines coders (OR), documents (OR) and an accent-free attribute filter (AND) with a crosstab', async () => {
    const res = await viewer.get(
      `${base}/stats/frequencies?${q([
        ['coderId', id('alice')],
        ['coderId', id('bob')],
        ['documentId', id('d1')],
        ['documentId', id('d2')],
      ])}`,
    );
    const want = expected.frequencies.aliceOrBob_d1OrD2;
    expect(res.body.totals).toEqual(want.totals);
    for (const row of res.body.rows) expect(row.codings).toBe(want.rows[key(row.codeId)].codings);

    const cross = await viewer.get(
      `${base}/stats/frequencies?${q([
        ['attribute', 'Type de structure'],
        ['coderId', id('bob')],
        ['TYPE DE STRUCTURE', 'festival'],
      ])}`,
    );
    expect(cross.status).toBe(200);
    const w2 = expected.frequencies.crosstabType_bob_festival;
    expect(cross.body.crosstab).toEqual({ attribute: 'type de structure', columns: w2.columns });
    for (const row of cross.body.rows) {
      const w = w2.rows[key(row.codeId)];
      for (const [value, cell] of Object.entries(w.byValue)) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const c = cell as any;
        expect(row.byValue[value]).toMatchObject({ codings: c.codings, participants: c.participants });
        if (c.participantsColumnPercent === null)
          expect(row.byValue[value].participantsColumnPercent).toBeNull();
        else
          expect(row.byValue[value].participantsColumnPercent).toBeCloseTo(c.participantsColumnPercent, 10);
      }
    }
  });

  it('refuses unknown parameters, attributes and values with 400 and a French message', async () => {
    const unknown = await viewer.get(`${base}/stats/frequencies?couleur=rouge`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'invalid_input' });
    expect(unknown.body.error.message).toMatch(/Paramètre inconnu « couleur »/);
    expect((await viewer.get(`${base}/stats/frequencies?attribute=couleur`)).status).toBe(400);
    expect((await viewer.get(`${base}/stats/frequencies?effectif=beaucoup`)).status).toBe(400);
    expect((await viewer.get(`${base}/stats/frequencies?coderId=personne`)).status).toBe(400);
  });

  it('answers 404 to non-members, for every review route', async () => {
    for (const path of [
      'stats/frequencies',
      'stats/coders',
      'stats/cooccurrence',
      `stats/agreement?coders=${id('alice')},${id('bob')}`,
      `retrieve?codes=${id('saisie')}`,
    ]) {
      expect((await outsider.get(`${base}/${path}`)).status).toBe(404);
    }
  });
});

describe('GET /stats/coders', () => {
  it('tells how much each coder coded (review.py), with their names', async () => {
    const res = await viewer.get(`${base}/stats/coders`);
    expect(res.status).toBe(200);
    expect(res.body.rows.map((r: { coderId: string }) => key(r.coderId))).toEqual(['alice', 'bob', 'chloe']);
    for (const row of res.body.rows) {
      const w = expected.coders[key(row.coderId)];
      expect(row).toMatchObject({
        codings: w.codings,
        documents: w.documents,
        codes: w.codes,
        coveredCodePoints: w.coveredCodePoints,
        username: key(row.coderId),
        role: 'coder',
      });
    }
  });

  it('lists the pairs of coders by the documents they both coded, as review.py does', async () => {
    const res = await viewer.get(`${base}/stats/coders`);
    expect(
      res.body.pairs.map((p: { coders: string[]; documents: number; codings: number }) => ({
        ...p,
        coders: p.coders.map(key).sort(),
      })),
    ).toEqual(expected.coderPairs);
  });
});

describe('GET /stats/cooccurrence', () => {
  for (const unit of ['overlap', 'turn'] as const) {
    it(`gives the ${unit} matrix review.py computes`, async () => {
      const res = await viewer.get(`${base}/stats/cooccurrence?unit=${unit}`);
      expect(res.status).toBe(200);
      const order: string[] = res.body.codeIds.map(key);
      const wantIndex = (k: string) => (expected.codes as string[]).indexOf(k);
      const want = order.map((a) =>
        order.map((b) => expected.cooccurrence[unit][wantIndex(a)][wantIndex(b)]),
      );
      expect(res.body.matrix).toEqual(want);
      expect(res.body.codes[0]).toMatchObject({
        codeId: res.body.codeIds[0],
        name: 'Charge de travail',
        depth: 0,
      });
    });
  }
  it('lists, for each cell by speaker turn, exactly as many turns as the cell counts', async () => {
    const res = await viewer.get(`${base}/stats/cooccurrence?unit=turn`);
    const codeIds = res.body.codeIds as string[];
    let nonZero = 0;
    for (const [i, a] of codeIds.entries()) {
      for (const [j, b] of codeIds.entries()) {
        if (j <= i) continue;
        const cell = res.body.matrix[i][j] as number;
        const listed = await viewer.get(`${base}/retrieve?codes=${a},${b}&op=and&unit=turn`);
        expect(listed.status).toBe(200);
        expect([key(a), key(b), listed.body.total]).toEqual([key(a), key(b), cell]);
        for (const passage of listed.body.passages) {
          expect(passage.codeIds).toEqual(expect.arrayContaining([a, b]));
        }
        if (cell > 0) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(0);
  });
  it('refuses an unknown unit', async () => {
    const res = await viewer.get(`${base}/stats/cooccurrence?unit=phrase`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/« unit »/);
  });
});

describe('GET /stats/agreement', () => {
  const cases: [string, string[], string][] = [
    ['alice_bob_character', ['alice', 'bob'], 'character'],
    ['alice_bob_turn', ['alice', 'bob'], 'turn'],
    ['alice_bob_chloe_character', ['alice', 'bob', 'chloe'], 'character'],
    ['alice_bob_chloe_turn', ['alice', 'bob', 'chloe'], 'turn'],
  ];
  for (const [name, coders, unit] of cases) {
    it(`gives per-code and overall figures review.py computes for ${coders.join(', ')} (${unit})`, async () => {
      const res = await viewer.get(`${base}/stats/agreement?coders=${coders.map(id).join(',')}&unit=${unit}`);
      expect(res.status).toBe(200);
      const want = expected.agreement[name];
      expect(res.body.documentIds.map(key).sort()).toEqual([...want.documents].sort());
      expect(res.body.rows.map((r: { codeId: string }) => key(r.codeId)).sort()).toEqual(
        [...want.codes].sort(),
      );
      for (const row of res.body.rows) {
        const w = want.rows[key(row.codeId)];
        for (const universe of ['all', 'codedText']) {
          expect(row[universe].units).toBe(w[universe].units);
          expect(row[universe].kappa).toBeCloseTo(w[universe].kappa, 12);
          expect(row[universe].percentAgreement).toBeCloseTo(w[universe].percentAgreement, 12);
          expect(row[universe].alpha).toBeCloseTo(w[universe].alpha, 12);
        }
      }
      for (const universe of ['all', 'codedText']) {
        expect(res.body.overall[universe].meanKappa).toBeCloseTo(want.overall[universe].meanKappa, 12);
        expect(res.body.overall[universe].meanAlpha).toBeCloseTo(want.overall[universe].meanAlpha, 12);
      }
    });
  }

  it('skips a listed document that one compared coder never coded, and says so', async () => {
    const res = await viewer.get(
      `${base}/stats/agreement?${q([
        ['coders', `${id('alice')},${id('chloe')}`],
        ['documentId', id('d1')],
        ['documentId', id('d3')],
      ])}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.documentIds).toEqual([id('d1')]);
    expect(res.body.skippedDocumentIds).toEqual([id('d3')]);
  });

  it('refuses fewer than two coders, coderId, and unknown coders with 400', async () => {
    expect((await viewer.get(`${base}/stats/agreement?coders=${id('alice')}`)).status).toBe(400);
    expect(
      (await viewer.get(`${base}/stats/agreement?coders=${id('alice')},${id('bob')}&coderId=${id('bob')}`))
        .status,
    ).toBe(400);
    expect((await viewer.get(`${base}/stats/agreement?coders=${id('alice')},x`)).status).toBe(400);
  });
});

describe('GET /retrieve', () => {
  const cases: [string, string[], string, string[] | null][] = [
    ['saisie', ['saisie'], 'or', null],
    ['saisie_and_charge', ['saisie', 'charge'], 'and', null],
    ['saisie_or_charge', ['saisie', 'charge'], 'or', null],
    ['saisie_not_charge', ['saisie', 'charge'], 'not', null],
    ['tableur_or_saisie_alice', ['tableur', 'saisie'], 'or', ['alice']],
  ];
  for (const [name, codes, op, coders] of cases) {
    it(`returns the passages review.py finds for « ${name} »`, async () => {
      const params: [string, string][] = [
        ['codes', codes.map(id).join(',')],
        ['op', op],
      ];
      for (const coder of coders ?? []) params.push(['coderId', id(coder)]);
      const res = await viewer.get(`${base}/retrieve?${q(params)}`);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(expected.retrieve[name].length);
      expect(
        res.body.passages.map(
          (p: { documentId: string; start: number; end: number; codingIds: string[] }) => ({
            doc: key(p.documentId),
            start: p.start,
            end: p.end,
            codings: p.codingIds.map(key).sort(),
          }),
        ),
      ).toEqual(expected.retrieve[name]);
    });
  }

  it('gives each passage its quote, context, speaker, time and participant (checked by hand)', async () => {
    const res = await viewer.get(
      `${base}/retrieve?${q([
        ['codes', `${id('saisie')},${id('charge')}`],
        ['op', 'and'],
        ['context', '12'],
        ['type de structure', 'theatre'],
      ])}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.passages).toHaveLength(1);
    expect(res.body.passages[0]).toMatchObject({
      documentId: id('d2'),
      documentName: 'entretien-02.txt',
      // « On y passe nos soirées. » is coded Charge by alice, inside chloe's and alice's Double saisie.
      text: 'On y passe nos soirées.',
      before: 'illetterie. ',
      after: '\n',
      speaker: 'Hélène',
      time: 70,
      turnIndex: 3,
      participant: {
        id: id('p2'),
        pseudonym: 'P02',
        attributes: { 'type de structure': 'Théâtre', effectif: 40 },
      },
      coderIds: [id('chloe'), id('alice')],
    });
  });

  it('pages with offset and limit, and refuses bad combinations with 400', async () => {
    const page = await viewer.get(`${base}/retrieve?codes=${id('saisie')}&offset=1&limit=2`);
    expect(page.body).toMatchObject({ total: expected.retrieve.saisie.length, offset: 1, limit: 2 });
    expect(page.body.passages.map((p: { start: number }) => p.start)).toEqual(
      expected.retrieve.saisie.slice(1, 3).map((p: { start: number }) => p.start),
    );
    expect((await viewer.get(`${base}/retrieve`)).status).toBe(400);
    expect((await viewer.get(`${base}/retrieve?codes=${id('saisie')}&op=and`)).status).toBe(400);
    expect((await viewer.get(`${base}/retrieve?codes=${id('saisie')}&op=xor`)).status).toBe(400);
    expect((await viewer.get(`${base}/retrieve?codes=${id('saisie')},${id('saisie')}`)).status).toBe(400);
  });
});
