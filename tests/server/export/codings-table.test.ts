/**
 * The codings table as CSV and XLSX: one row per coding, pseudonymised, with cells a spreadsheet
 * would run as formulas neutralised, read back by a CSV parser and by exceljs.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldForComparison } from '../../../shared/text.ts';
import { startWorld, type World } from '../../api/setup.ts';
import { download, fixtureCodings, loadFixtureProject, REAL_NAMES, zipTexts } from './fixture.ts';

let world: World;
let base: string;
beforeAll(async () => {
  world = await startWorld();
  ({ base } = await loadFixtureProject(world.admin));
});
afterAll(async () => {
  await world.server.stop();
});

const HEADER = [
  'document',
  'participant',
  'type de structure',
  'fonction',
  'code',
  'codeur',
  'début',
  'fin',
  'temps',
  'citation',
  'mémo',
  'locuteur',
];

/** The fixture's codings as rows, written by hand: pseudonymised, by document then position. */
const EXPECTED = [
  [
    'entretien-festival.txt',
    'P07',
    'Festival',
    'directrice',
    'Interopérabilité > Redondance de saisie',
    'admin',
    '…',
    '…',
    '',
    'Au festival, on saisit tout deux fois : c’est « la double peine », comme dit P03.',
    '',
    'P07',
  ],
  [
    'entretien-festival.txt',
    'P07',
    'Festival',
    'directrice',
    'RGPD',
    'admin',
    '…',
    '…',
    '',
    '-Honnêtement, on fait ce qu’on peut.',
    '',
    'P07',
  ],
  [
    'entretien-theatre.txt',
    'P03',
    'Théâtre',
    'responsable billetterie',
    'Interopérabilité',
    'admin',
    '…',
    '…',
    // Camille's turn carries no time of its own: the last one given before it, the interviewer's.
    '00:00:05',
    'Je suis responsable billetterie au [théâtre A] depuis six ans ; avant, j’étais chez Martine, une amie.',
    '@chez Martine',
    'P03',
  ],
  [
    'entretien-theatre.txt',
    'P03',
    'Théâtre',
    'responsable billetterie',
    'Outils',
    'admin',
    '…',
    '…',
    '00:12:34',
    '=SOMME(A1:A3), c’est la formule que je tape tous les lundis ! P07 me l’a montrée, et la collègue de P07 aussi.',
    '+ montré par P07',
    'P03',
  ],
  [
    'entretien-theatre.txt',
    'P03',
    'Théâtre',
    'responsable billetterie',
    'Interopérabilité',
    'admin',
    '…',
    '…',
    '00:20:00',
    'Avec le [théâtre A] et la compagnie de P03… enfin, la mienne.',
    '',
    'P03',
  ],
];

/** The CSV text after its byte-order mark, which must be there. */
function csvText(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  expect(text.startsWith('\ufeff')).toBe(true);
  return text.slice(1);
}

/** Compare rows, leaving the offsets (columns 6 and 7) to a test of their own. */
function withoutOffsets(rows: readonly (readonly unknown[])[]): unknown[][] {
  return rows.map((r) => r.map((cell, i) => (i === 6 || i === 7 ? '…' : cell)));
}

describe('codings.csv', () => {
  it('starts with a BOM, uses semicolons by default, and neutralises formula cells', async () => {
    const { status, bytes, headers } = await download(
      `${world.server.url}${base}/exports/codings.csv`,
      world.admin,
    );
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csvText(bytes);
    const parsed = Papa.parse<string[]>(text, { delimiter: ';', skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual(HEADER);
    const neutralised = EXPECTED.map((row) => row.map((cell) => (/^[=+\-@]/.test(cell) ? `'${cell}` : cell)));
    expect(withoutOffsets(parsed.slice(1))).toEqual(neutralised);
  });

  it('round-trips: the rows parsed back are the codings, offsets included, with commas when asked', async () => {
    const { bytes } = await download(
      `${world.server.url}${base}/exports/codings.csv?delimiter=comma`,
      world.admin,
    );
    const parsed = Papa.parse<string[]>(csvText(bytes), { skipEmptyLines: true }).data;
    expect(parsed[0]?.length).toBe(HEADER.length);
    const codings = (await world.admin.get(`${base}/codings`)).body.codings as {
      start: number;
      end: number;
    }[];
    const spans = parsed
      .slice(1)
      .map((r) => `${r[6]}-${r[7]}`)
      .sort();
    expect(spans).toEqual(codings.map((c) => `${c.start}-${c.end}`).sort());
    const quotes = parsed.slice(1).map((r) => (r[9] ?? '').replace(/^'/, ''));
    expect(quotes.sort()).toEqual(EXPECTED.map((r) => r[9]).sort());
    expect((await fixtureCodings()).length).toBe(parsed.length - 1);
  });

  it('selects with the same filters as the report: codes and attributes', async () => {
    const { codes } = {
      codes: Object.fromEntries(
        (await world.admin.get(`${base}/codes`)).body.codes.map((c: { name: string; id: string }) => [
          c.name,
          c.id,
        ]),
      ),
    };
    const { bytes } = await download(
      `${world.server.url}${base}/exports/codings.csv?codes=${codes['Interopérabilité']}&type%20de%20structure=Th%C3%A9%C3%A2tre`,
      world.admin,
    );
    const parsed = Papa.parse<string[]>(csvText(bytes), { delimiter: ';', skipEmptyLines: true }).data;
    expect(parsed.slice(1).map((r) => r[4])).toEqual(['Interopérabilité', 'Interopérabilité']);
  });
});

describe('codings.xlsx', () => {
  it('reads back with exceljs: same rows, formula-like cells kept as text, no real name', async () => {
    const { status, bytes } = await download(`${world.server.url}${base}/exports/codings.xlsx`, world.admin);
    expect(status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Codages');
    expect(sheet).toBeDefined();
    const rows: unknown[][] = [];
    sheet?.eachRow((row) =>
      rows.push(Array.from({ length: HEADER.length }, (_v, i) => (row.values as unknown[])[i + 1] ?? '')),
    );
    expect(rows[0]).toEqual(HEADER);
    expect(withoutOffsets(rows.slice(1))).toEqual(EXPECTED);
    const formula = sheet?.getRow(5).getCell(10);
    expect(formula?.type).toBe(ExcelJS.ValueType.String);
    expect(formula?.numFmt).toBe('@');
    expect(typeof rows[1]?.[6]).toBe('number');
    const everything = foldForComparison(Object.values(zipTexts(bytes)).join('\n'));
    for (const name of REAL_NAMES) expect(everything).not.toContain(foldForComparison(name));
  });
});
