import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
let base: string;
beforeEach(async () => {
  world = await startWorld();
  ({ base } = await projectWithDocument(world.admin, 'Texte.'));
});
afterEach(async () => {
  await world.server.stop();
});

function file(content: string, name = 'codebook.csv'): FormData {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  return form;
}

describe('codebook import and export as CSV', () => {
  it('imports a two-level codebook with French headers, children before their parents', async () => {
    const csv =
      'code;parent;couleur;description\n' +
      'Double saisie;Redondance de saisie;#E6194B;Ressaisir une donnée déjà saisie ailleurs.\n' +
      'Redondance de saisie;;#3cb44b;Définition : …\n' +
      'Accessibilité;;;\n';
    const res = await world.admin.request('POST', `${base}/codes/import`, file(csv));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ created: 3, existing: 0, errors: [] });
    const codes = (await world.admin.get(`${base}/codes`)).body.codes as {
      id: string;
      name: string;
      parentId: string | null;
      color: string;
    }[];
    const byName = Object.fromEntries(codes.map((c) => [c.name, c]));
    expect(byName['Double saisie']?.parentId).toBe(byName['Redondance de saisie']?.id);
    expect(byName['Double saisie']?.color).toBe('#e6194b');
    expect(byName['Accessibilité']?.color).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('reports unknown parents and bad colours, and leaves existing codes alone', async () => {
    await world.admin.post(`${base}/codes`, { name: 'Coûts', color: '#000075' });
    const csv =
      'name,parent,colour\ncouts,,#ffffff\nLicences,Coûts,#abcdef\nOrphelin,Inconnu,#abcdef\nRouge,,red\n';
    const res = await world.admin.request('POST', `${base}/codes/import`, file(csv));
    expect(res.status).toBe(200);
    expect(res.body.created).toBe(1);
    expect(res.body.existing).toBe(1);
    expect(res.body.errors.map((e: { row: number }) => e.row)).toEqual([4, 5]);
    const codes = (await world.admin.get(`${base}/codes`)).body.codes as { name: string; color: string }[];
    expect(codes.find((c) => c.name === 'Coûts')?.color).toBe('#000075');
  });

  it('keeps the order of the file, not the alphabet; codes added later follow, by name', async () => {
    const csv =
      'code;parent\n' +
      'Zèbre;\n' +
      'Outils de billetterie;Zèbre\n' +
      'Agenda;Zèbre\n' +
      'Mouton;\n' +
      'Abeille;\n';
    expect((await world.admin.request('POST', `${base}/codes/import`, file(csv))).body.created).toBe(5);
    await world.admin.post(`${base}/codes`, { name: 'Castor' });
    await world.admin.post(`${base}/codes`, { name: 'Belette' });
    // A second file's codes come after the first's, in its own order: even one column of names,
    // as a list of themes typed in a spreadsheet is.
    const second = await world.admin.request('POST', `${base}/codes/import`, file('Code\nYack\nAigle\n'));
    expect(second.body).toEqual({ created: 2, existing: 0, errors: [] });
    const exported = await fetch(`${world.server.url}${base}/codes/export.csv`, {
      headers: { cookie: world.admin.cookie },
    });
    const rows = Papa.parse<string[]>((await exported.text()).replace(/^\uFEFF/, ''), {
      skipEmptyLines: true,
    }).data;
    expect(rows.slice(1).map((r) => r[0])).toEqual([
      'Zèbre',
      'Outils de billetterie',
      'Agenda',
      'Mouton',
      'Abeille',
      'Yack',
      'Aigle',
      'Belette',
      'Castor',
    ]);
  });

  it('refuses a file with no code column with 422, changing nothing', async () => {
    const res = await world.admin.request('POST', `${base}/codes/import`, file('a,b\n1,2\n'));
    expect(res.status).toBe(422);
    expect((await world.admin.get(`${base}/codes`)).body.codes).toEqual([]);
  });

  it('exports the codebook as UTF-8 CSV with BOM that round-trips, neutralising formula cells', async () => {
    const parent = await world.admin.post(`${base}/codes`, {
      name: 'Interopérabilité',
      description: '=SOMME(A1)',
    });
    await world.admin.post(`${base}/codes`, { name: 'Fragmentation, des données', parentId: parent.body.id });
    const res = await fetch(`${world.server.url}${base}/codes/export.csv`, {
      headers: { cookie: world.admin.cookie },
    });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = Papa.parse<string[]>(new TextDecoder().decode(bytes), { skipEmptyLines: true }).data;
    expect(rows).toEqual([
      ['code', 'parent', 'couleur', 'description'],
      ['Interopérabilité', '', parent.body.color, "'=SOMME(A1)"],
      ['Fragmentation, des données', 'Interopérabilité', expect.stringMatching(/^#/), ''],
    ]);
  });
});
