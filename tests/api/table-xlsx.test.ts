import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

describe('review tables as XLSX', () => {
  it('writes the rows as a workbook: numbers as numbers, formula-like text as text', async () => {
    const { base } = await projectWithDocument(world.admin, 'Texte.');
    const rows = [
      ['Code', 'Codages', 'Couverture (%)'],
      ['Coûts « directs »', 12, 4.5],
      ['=HYPERLINK("http://exemple")', 3, null],
    ];
    const res = await fetch(`${world.server.url}${base}/exports/table.xlsx`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: world.admin.cookie },
      body: JSON.stringify({ title: 'Fréquences des codes', rows }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(sheet.name).toBe('Fréquences des codes');
    expect(sheet.getRow(2).values).toEqual([undefined, 'Coûts « directs »', 12, 4.5]);
    const risky = sheet.getRow(3).getCell(1);
    expect(risky.value).toBe('=HYPERLINK("http://exemple")');
    expect(risky.formula).toBeUndefined();
    expect(risky.numFmt).toBe('@');
  });

  it('refuses a non-member with 404 and a malformed table with 400', async () => {
    const { base } = await projectWithDocument(world.admin, 'Texte.');
    const outsider = await world.user('dehors');
    expect(
      (await outsider.client.post(`${base}/exports/table.xlsx`, { title: 't', rows: [['a']] })).status,
    ).toBe(404);
    expect(
      (await world.admin.post(`${base}/exports/table.xlsx`, { title: 't', rows: [[{ a: 1 }]] })).status,
    ).toBe(400);
  });
});
