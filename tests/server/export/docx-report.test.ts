/**
 * The quote report as Word reads it: its structure in word/document.xml, pseudonymisation across
 * the whole package, and a conversion to PDF by LibreOffice proving the file opens.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldForComparison } from '../../../shared/text.ts';
import { frenchSpacing } from '../../../server/export/typography.ts';
import { startWorld, type World } from '../../api/setup.ts';
import { download, loadFixtureProject, paragraphs, REAL_NAMES, zipTexts } from './fixture.ts';

const SOFFICE = '/usr/bin/soffice';
const run = promisify(execFile);

let world: World;
let base: string;
let report: Uint8Array;
let body: { style: string; text: string }[];

beforeAll(async () => {
  world = await startWorld();
  ({ base } = await loadFixtureProject(world.admin));
  const res = await download(
    `${world.server.url}${base}/exports/report.docx?attribute=type%20de%20structure&memos=true&cite=fonction&cite=type%20de%20structure`,
    world.admin,
  );
  expect(res.status).toBe(200);
  report = res.bytes;
  body = paragraphs(zipTexts(report)['word/document.xml'] as string);
});
afterAll(async () => {
  await world.server.stop();
});

describe('buildReportDocx', () => {
  it('gives each theme a heading in codebook order, sub-themes one level down, then the annex', () => {
    const headings = body.filter((p) => /^Heading\d$/.test(p.style)).map((p) => `${p.style}:${p.text}`);
    expect(headings).toEqual([
      'Heading1:Interopérabilité',
      'Heading2:Redondance de saisie',
      'Heading1:Outils',
      'Heading1:RGPD',
      'Heading1:Annexe — fréquences par thème',
    ]);
  });

  it('quotes every passage verbatim, pseudonymised, in a Quote paragraph followed by its citation', () => {
    const quotes = body.filter((p) => p.style === 'Quote').map((p) => p.text);
    // Written by hand from the fixture: names replaced, the text otherwise as said.
    const expected = [
      'Je suis responsable billetterie au [théâtre A] depuis six ans ; avant, j’étais chez Martine, une amie.',
      'Avec le [théâtre A] et la compagnie de P03… enfin, la mienne.',
      'Au festival, on saisit tout deux fois : c’est « la double peine », comme dit P03.',
      '=SOMME(A1:A3), c’est la formule que je tape tous les lundis ! P07 me l’a montrée, et la collègue de P07 aussi.',
      '-Honnêtement, on fait ce qu’on peut.',
    ].map((q) => `«\u00a0${frenchSpacing(q)}\u00a0»`);
    expect(quotes).toEqual(expected);
    const citations = body.filter((p) => p.style === 'VerbatimCitation').map((p) => p.text);
    expect(citations).toEqual([
      '— P03, responsable billetterie, Théâtre',
      '— P03, responsable billetterie, Théâtre, 00:20:00',
      '— P07, directrice, Festival',
      '— P03, responsable billetterie, Théâtre, 00:12:34',
      '— P07, directrice, Festival',
    ]);
    body.forEach((p, i) => {
      if (p.style === 'Quote') expect(body[i + 1]?.style).toBe('VerbatimCitation');
    });
  });

  it('puts memos in italics after their quote, pseudonymised', () => {
    const memos = body.filter((p) => p.style === 'VerbatimMemo').map((p) => p.text);
    expect(memos).toEqual(['Mémo\u00a0: @chez Martine', 'Mémo\u00a0: + montré par P07']);
  });

  it('sums up each theme: passages, participants, and the breakdown by the chosen attribute', () => {
    const summaries = body.filter((p) => p.style === 'ThemeSummary').map((p) => p.text);
    expect(summaries[0]).toBe('2 passages · 1 participant·e — selon type de structure\u00a0: Théâtre (2)');
  });

  it('uses French spacing in generated text: no plain space before ; : ! ? or inside « »', () => {
    const generated = body
      .filter((p) => p.style !== 'Quote')
      .map((p) => p.text)
      .join('\n');
    expect(generated).not.toMatch(/ [;:!?»]|« /);
    expect(body.find((p) => p.style === 'ThemeDefinition')?.text).toBe(
      'Ce que les outils échangent entre eux\u202f; ou pas\u202f!',
    );
  });

  it('has a title page, a table of contents field and the annex table of frequencies', () => {
    const xml = zipTexts(report)['word/document.xml'] as string;
    expect(body.find((p) => p.style === 'Title')?.text).toBe('Billetteries du [théâtre A]');
    expect(/<w:instrText[^>]*>TOC [^<]*\\o &quot;1-3&quot;/.test(xml)).toBe(true);
    const entries = body.filter((p) => /^TOC\d$/.test(p.style)).map((p) => p.text.replace(/\d+$/, ''));
    expect(entries).toEqual([
      'Interopérabilité',
      'Redondance de saisie',
      'Outils',
      'RGPD',
      'Annexe — fréquences par thème',
    ]);
    const table = xml.slice(xml.lastIndexOf('<w:tbl>'));
    const cells = paragraphs(table).map((p) => p.text);
    expect(cells.slice(0, 5)).toEqual(['Thème', 'Passages', 'Partici\u00adpant·es', 'Festival', 'Théâtre']);
    expect(cells.slice(5, 10)).toEqual(['Interopérabilité', '2', '1', '0', '2']);
  });

  it('leaves no real name anywhere in the package once pseudonymised', () => {
    const everything = foldForComparison(Object.values(zipTexts(report)).join('\n'));
    for (const name of REAL_NAMES) expect(everything).not.toContain(foldForComparison(name));
  });

  it('declares Word’s built-in Quote and heading styles, so the navigation pane and TOC work', () => {
    const styles = zipTexts(report)['word/styles.xml'] as string;
    expect(/w:styleId="Quote"><w:name w:val="Quote"\/>/.test(styles)).toBe(true);
    expect(/w:styleId="Heading1"><w:name w:val="Heading 1"\/>/i.test(styles)).toBe(true);
    expect(/w:styleId="TOC1"><w:name w:val="toc 1"\/>/.test(styles)).toBe(true);
  });
});

function sofficeAvailable(): boolean {
  if (existsSync(SOFFICE)) return true;
  if (process.env.CI)
    throw new Error(`${SOFFICE} est introuvable : le test de conversion ne peut pas être sauté en CI.`);
  console.warn(`Conversion PDF sautée : ${SOFFICE} est absent (apt-get install -y libreoffice-writer).`);
  return false;
}

describe.skipIf(!sofficeAvailable())('the report in LibreOffice', () => {
  it('converts to PDF headless, so the file opens without repair', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-report-'));
    try {
      const file = join(dir, 'rapport.docx');
      await writeFile(file, report);
      await run(
        SOFFICE,
        [
          `-env:UserInstallation=file://${join(dir, 'profile')}`,
          '--headless',
          '--convert-to',
          'pdf',
          '--outdir',
          dir,
          file,
        ],
        { timeout: 60_000 },
      );
      const pdf = join(dir, 'rapport.pdf');
      expect((await stat(pdf)).size).toBeGreaterThan(5000);
      expect((await readFile(pdf)).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
