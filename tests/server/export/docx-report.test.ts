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
import { annexColumns, headerWordWidth } from '../../../server/export/docx-report.ts';
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
      '— P03, responsable billetterie, Théâtre, 00:00:05',
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
    // Interopérabilité rolls up its sub-theme: its 2 passages (P03, Théâtre) and Redondance de saisie's 1 (P07, Festival).
    expect(cells.slice(5, 10)).toEqual(['Interopérabilité', '3', '2', '1', '2']);
    expect(cells.slice(10, 15)).toEqual(['Redondance de saisie', '1', '1', '1', '0']);
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

describe('the annex table', () => {
  it('gives every count column room for the longest word of its header, however many groups', () => {
    for (const groups of [0, 2, 4, 7]) {
      const headers = [
        'Passages',
        'Partici\u00adpant·es',
        ...['Compagnie', 'Festival', 'Théâtre', 'Scène nationale', 'Conservatoire', 'Cirque', 'Opéra'].slice(
          0,
          groups,
        ),
      ];
      // On an A4 page upright, else on its side.
      const upright = annexColumns(headers);
      const columns = upright.fits ? upright : annexColumns(headers, 14002);
      expect(columns.fits).toBe(true);
      headers.forEach((header, i) =>
        expect(columns.countWidths[i], header).toBeGreaterThanOrEqual(headerWordWidth(header)),
      );
      const width = upright.fits ? 9070 : 14002;
      expect(columns.themeWidth + columns.countWidths.reduce((a, b) => a + b, 0)).toBe(width);
      expect(columns.themeWidth).toBeGreaterThanOrEqual(width / 5);
    }
  });
});

describe('a parent theme coded only through its sub-themes', () => {
  it('is a heading over them, without « 0 passage » nor « Aucun passage retenu »', async () => {
    const project = await world.admin.post('/api/projects', { name: 'Parents' });
    const pbase = `/api/projects/${project.body.id}`;
    const text = 'Camille : on ressaisit tout, chaque lundi.';
    const doc = (await world.admin.post(`${pbase}/documents`, { name: 'p.txt', text })).body.documents[0].id;
    const parent = (await world.admin.post(`${pbase}/codes`, { name: 'Interopérabilité' })).body.id;
    const child = (await world.admin.post(`${pbase}/codes`, { name: 'Ressaisie', parentId: parent })).body.id;
    await world.admin.post(`${pbase}/codings`, { documentId: doc, codeId: child, start: 10, end: 30 });
    const res = await download(`${world.server.url}${pbase}/exports/report.docx`, world.admin);
    const all = paragraphs(zipTexts(res.bytes)['word/document.xml'] as string);
    const at = all.findIndex((p) => p.style === 'Heading1' && p.text === 'Interopérabilité');
    expect(all[at + 1]).toMatchObject({ style: 'Heading2', text: 'Ressaisie' });
    expect(all.some((p) => p.text.includes('Aucun passage retenu'))).toBe(false);
  });
});

describe('the annex row of a parent theme', () => {
  it('counts its own passages and its sub-themes’, a passage coded by both once', async () => {
    const project = await world.admin.post('/api/projects', { name: 'Cumul' });
    const pbase = `/api/projects/${project.body.id}`;
    const text = 'Camille : on ressaisit tout, chaque lundi. Et le mardi, on recommence ailleurs.';
    const doc = (await world.admin.post(`${pbase}/documents`, { name: 'c.txt', text })).body.documents[0].id;
    const parent = (await world.admin.post(`${pbase}/codes`, { name: 'Interopérabilité' })).body.id;
    const child = (await world.admin.post(`${pbase}/codes`, { name: 'Ressaisie', parentId: parent })).body.id;
    const code = (codeId: string, start: number, end: number) =>
      world.admin.post(`${pbase}/codings`, { documentId: doc, codeId, start, end });
    // The parent and its sub-theme on one passage (overlapping), the sub-theme alone on another.
    expect((await code(parent, 10, 42)).status).toBe(201);
    expect((await code(child, 13, 30)).status).toBe(201);
    expect((await code(child, 43, 60)).status).toBe(201);
    const res = await download(`${world.server.url}${pbase}/exports/report.docx`, world.admin);
    const xml = zipTexts(res.bytes)['word/document.xml'] as string;
    const cells = paragraphs(xml.slice(xml.lastIndexOf('<w:tbl>'))).map((p) => p.text);
    expect(cells).toEqual([
      'Thème',
      'Passages',
      'Partici\u00adpant·es',
      'Interopérabilité',
      '2',
      '1',
      'Ressaisie',
      '2',
      '1',
    ]);
  });
});

describe('the table of contents', () => {
  it('shows the page of every theme, in a report of more than 60,000 quoted characters too', async () => {
    const project = await world.admin.post('/api/projects', { name: 'Long rapport' });
    const pbase = `/api/projects/${project.body.id}`;
    const sentence = 'On ressaisit tout à la main, chaque lundi, dans le tableur de la billetterie.\n';
    const part = sentence.repeat(300);
    const text = `Camille : ${part}${part}${part}`;
    const doc = (await world.admin.post(`${pbase}/documents`, { name: 'long.txt', text })).body.documents[0]
      .id;
    const length = [...part].length;
    for (const [i, name] of ['Un', 'Deux', 'Trois'].entries()) {
      const code = (await world.admin.post(`${pbase}/codes`, { name })).body.id;
      const start = 10 + i * length;
      const coded = await world.admin.post(`${pbase}/codings`, {
        documentId: doc,
        codeId: code,
        start,
        end: start + length - 1,
      });
      expect(coded.status).toBe(201);
    }
    const res = await download(`${world.server.url}${pbase}/exports/report.docx`, world.admin);
    const entries = paragraphs(zipTexts(res.bytes)['word/document.xml'] as string)
      .filter((p) => /^TOC\d$/.test(p.style))
      .map((p) => /^(.*?)(\d*)$/.exec(p.text) ?? []);
    expect(entries.map((m) => m[1])).toEqual(['Deux', 'Trois', 'Un', 'Annexe — fréquences par thème']);
    const pages = entries.map((m) => Number(m[2] === '' ? NaN : m[2]));
    // Each theme quotes 300 lines of text: several pages, so each starts pages after the previous.
    pages.forEach((page, i) => {
      expect(page).toBeGreaterThanOrEqual(3);
      if (i > 0) expect(page).toBeGreaterThan((pages[i - 1] ?? 0) + 3);
    });
  });
});

describe('text from tables of the source file', () => {
  it('turns a tab into one space, not a jump to a tab stop', async () => {
    const project = await world.admin.post('/api/projects', { name: 'Tabulations' });
    const pbase = `/api/projects/${project.body.id}`;
    const text = 'Camille : Poste\tBilletterie\t\tdepuis 2019.';
    const doc = (await world.admin.post(`${pbase}/documents`, { name: 't.txt', text })).body.documents[0].id;
    const code = (await world.admin.post(`${pbase}/codes`, { name: 'Poste' })).body.id;
    await world.admin.post(`${pbase}/codings`, {
      documentId: doc,
      codeId: code,
      start: 10,
      end: [...text].length,
    });
    const res = await download(`${world.server.url}${pbase}/exports/report.docx`, world.admin);
    const xml = zipTexts(res.bytes)['word/document.xml'] as string;
    const quoteXml = [...xml.matchAll(/<w:p>(?:(?!<\/w:p>)[\s\S])*?w:val="Quote"[\s\S]*?<\/w:p>/g)].map(
      (m) => m[0],
    );
    expect(quoteXml).toHaveLength(1);
    expect(quoteXml[0]).not.toMatch(/<w:tab\/>|\t/);
    const quote = paragraphs(xml).find((p) => p.style === 'Quote');
    expect(quote?.text).toBe(frenchSpacing('« Poste Billetterie depuis 2019. »'));
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

  it('lays a long title out once, its lines one under the other, not drawn over each other', async () => {
    await world.admin.patch(base, {
      name: 'Interopérabilité des systèmes d’information dans le spectacle vivant : entretiens de la deuxième vague',
    });
    const res = await download(`${world.server.url}${base}/exports/report.docx`, world.admin);
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-title-'));
    try {
      const pdf = await toPdf(dir, res.bytes);
      const { stdout } = await run('pdftotext', ['-f', '1', '-l', '1', '-bbox', pdf, '-'], {
        timeout: 30_000,
      });
      // The title's words, by line: each line starts below where the previous one ends.
      const words = [
        ...stdout.matchAll(
          /<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g,
        ),
      ].map((m) => ({ top: Number(m[1]), bottom: Number(m[2]), text: m[3] as string }));
      const first = words.findIndex((w) => w.text === 'Interopérabilité');
      const last = words.findIndex((w) => w.text === 'vague');
      expect(first).toBeGreaterThanOrEqual(0);
      expect(last).toBeGreaterThan(first);
      const lines: { top: number; bottom: number }[] = [];
      for (const w of words.slice(first, last + 1)) {
        const line = lines.find((l) => Math.abs(l.top - w.top) < 2);
        if (!line) lines.push({ top: w.top, bottom: w.bottom });
      }
      expect(lines.length).toBeGreaterThan(1);
      for (let i = 1; i < lines.length; i++) {
        expect(lines[i]?.top ?? 0).toBeGreaterThanOrEqual((lines[i - 1]?.bottom ?? 0) - 1);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
  it('shows in the table of contents the pages LibreOffice lays each theme on, give or take one', async () => {
    const project = await world.admin.post('/api/projects', { name: 'Pagination' });
    const pbase = `/api/projects/${project.body.id}`;
    const sentences = Array.from(
      { length: 240 },
      (_, i) =>
        `Phrase ${i + 1} : on ressaisit tout à la main${i % 3 === 0 ? ', chaque lundi, dans le tableur de la billetterie du théâtre' : ''}.`,
    );
    const text = `Camille : ${sentences.join(' ')}`;
    const doc = (await world.admin.post(`${pbase}/documents`, { name: 'p.txt', text })).body.documents[0].id;
    const codes: string[] = [];
    for (const name of ['Alpha', 'Bêta', 'Gamma']) {
      codes.push((await world.admin.post(`${pbase}/codes`, { name })).body.id);
    }
    let start = [...'Camille : '].length;
    for (const [i, sentence] of sentences.entries()) {
      const end = start + [...sentence].length;
      const coded = await world.admin.post(`${pbase}/codings`, {
        documentId: doc,
        codeId: codes[i % 3],
        start,
        end,
      });
      expect(coded.status).toBe(201);
      start = end + 1;
    }
    const res = await download(`${world.server.url}${pbase}/exports/report.docx`, world.admin);
    const estimated = new Map(
      paragraphs(zipTexts(res.bytes)['word/document.xml'] as string)
        .filter((p) => /^TOC\d$/.test(p.style))
        .map((p) => /^(.*?)(\d+)$/.exec(p.text) ?? [])
        .map((m) => [m[1] as string, Number(m[2])]),
    );
    expect([...estimated.keys()]).toEqual(['Alpha', 'Bêta', 'Gamma', 'Annexe — fréquences par thème']);
    const dir = await mkdtemp(join(tmpdir(), 'verbatim-toc-'));
    try {
      const pdf = await toPdf(dir, res.bytes);
      const { stdout } = await run('pdftotext', ['-layout', pdf, '-'], { timeout: 30_000 });
      // Pages are separated by form feeds; a heading is a line of its own after the table of contents.
      const pages = stdout.split('\f');
      for (const [heading, page] of estimated) {
        const laid = pages.findIndex(
          (text, i) => i >= 2 && text.split('\n').some((l) => l.trim() === heading),
        );
        expect(laid, heading).toBeGreaterThanOrEqual(2);
        expect(
          Math.abs(laid + 1 - page),
          `${heading}: estimated ${page}, laid out on ${laid + 1}`,
        ).toBeLessThanOrEqual(1);
      }
      // The report runs over several pages per theme, so the check means something.
      expect(estimated.get('Annexe — fréquences par thème')).toBeGreaterThan(8);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** The PDF LibreOffice makes of `docx`, written in `dir`. */
async function toPdf(dir: string, docx: Uint8Array): Promise<string> {
  const file = join(dir, 'rapport.docx');
  await writeFile(file, docx);
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
  return join(dir, 'rapport.pdf');
}
