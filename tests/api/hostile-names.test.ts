/**
 * Attributes named `constructor` and `__proto__` through the API: set, read back, crossed in the
 * review, exported as CSV and as a REFI-QDA project, like any other name.
 */
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

describe('attributes named like members of Object', () => {
  it('are stored, crossed and exported like any other name', async () => {
    const { base, docId } = await projectWithDocument(world.admin, 'Camille : une réponse assez longue.');
    const defs = await world.admin.put(`${base}/attributes`, {
      attributes: [
        { name: 'constructor', type: 'text' },
        { name: '__proto__', type: 'text' },
        { name: 'toString', type: 'text' },
      ],
    });
    expect(defs.status).toBe(200);
    // `{"__proto__": …}` as JSON: an own key, as any client sends it.
    const attributes = JSON.parse('{"__proto__": "Nantes", "toString": "valueOf"}') as object;
    const created = await world.admin.post(`${base}/participants`, { name: 'Zoé Petit', attributes });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body.attributes)).toEqual(['__proto__', 'toString']);
    expect(Object.hasOwn(created.body.attributes, '__proto__')).toBe(true);
    expect(created.body.attributes.__proto__).toBe('Nantes');
    await world.admin.patch(`${base}/documents/${docId}`, { participantId: created.body.id });
    const codeId = (await world.admin.post(`${base}/codes`, { name: 'Coûts' })).body.id as string;
    await world.admin.post(`${base}/codings`, { documentId: docId, codeId, start: 0, end: 7 });

    for (const attribute of ['constructor', '__proto__', 'toString']) {
      const stats = await world.admin.get(`${base}/stats/frequencies?attribute=${attribute}`);
      expect(stats.status).toBe(200);
      const expected = { constructor: [], __proto__: ['Nantes'], toString: ['valueOf'] }[attribute];
      expect(stats.body.crosstab.columns.map((c: { value: string }) => c.value)).toEqual(expected);
      expect(JSON.stringify(stats.body)).not.toMatch(/function|native code/);
    }

    const csv = await fetch(`${world.server.url}${base}/exports/codings.csv?pseudonymise=false`, {
      headers: { cookie: world.admin.cookie },
    });
    expect(csv.status).toBe(200);
    const [header, row] = (await csv.text()).split(/\r?\n/).map((line) => line.split(';'));
    expect(header?.slice(3, 6)).toEqual(['constructor', '__proto__', 'toString']);
    expect(row?.slice(3, 6)).toEqual(['', 'Nantes', 'valueOf']);

    const qdpx = await fetch(`${world.server.url}${base}/exports/project.qdpx`, {
      headers: { cookie: world.admin.cookie },
    });
    expect(qdpx.status).toBe(200);
    const archive = new Uint8Array(await qdpx.arrayBuffer());
    const xml = strFromU8(unzipSync(archive)['project.qde'] as Uint8Array);
    expect(xml).toContain('name="__proto__"');
    expect(xml).toContain('<TextValue>Nantes</TextValue>');
    expect(xml).not.toMatch(/function|native code/);

    // Auto-coding filtered on `__proto__` = Nantes: only Zoé's interview, not the second one.
    await world.admin.post(`${base}/documents`, { name: 'autre.txt', text: 'Camille : une autre réponse.' });
    const autocode = await world.admin.post(`${base}/autocode`, {
      q: 'Camille',
      codeId,
      unit: 'match',
      filters: JSON.parse('{"__proto__": "Nantes"}') as object,
      preview: true,
    });
    expect(autocode.status).toBe(200);
    expect(autocode.body.hits).toBe(1);

    // Imported back: the same values, under the same names.
    const upload = new FormData();
    upload.append('file', new Blob([archive]), 'noms.qdpx');
    const imported = await world.admin.request('POST', '/api/projects/import', upload);
    expect(imported.status).toBe(201);
    const copy = await world.admin.get(`/api/projects/${imported.body.project.id as string}/participants`);
    expect(copy.body.attributes.map((a: { name: string }) => a.name)).toEqual([
      'constructor',
      '__proto__',
      'toString',
    ]);
    expect(JSON.stringify(copy.body.participants[0].attributes)).toBe(
      '{"__proto__":"Nantes","toString":"valueOf"}',
    );
  });
});
