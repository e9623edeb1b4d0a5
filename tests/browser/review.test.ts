/**
 * The review pages, in a real Chromium, on the demo study with a second coder: every figure shown
 * equals the API's, numbers lead to the passages they count, agreement matches, a coding can be
 * accepted as consensus, tables download as French CSV. No console error, no serious
 * accessibility violation.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Client, type TestServer } from '../helpers/server.ts';
import { browserFixture, chromiumAvailable, screenshot } from './helpers.ts';

const available = chromiumAvailable();

const ADMIN = { username: 'camille.admin', password: 'un mot de passe solide' };
const SECOND = { username: 'basile', password: 'un autre mot de passe', displayName: 'Basile' };
const THEATRE = 'entretien-01-theatre.txt';

/** What the second coder codes in the theatre interview: some passages as the lead did, some not. */
const SECOND_CODINGS: readonly (readonly [string, string])[] = [
  ['Redondance de saisie', 'On saisit la même chose deux fois, voire trois.'],
  [
    'Exports et bricolages',
    'Chaque lundi, j’exporte les ventes de la semaine en CSV, je l’ouvre dans le tableur',
  ],
  [
    'Coûts des licences et connecteurs',
    'L’éditeur nous l’a proposé à 2 400 € par an, en plus de la licence. Pour un théâtre comme le nôtre, c’est pas rien.',
  ],
  ['Formation et compétences', 'Les vacataires, je les forme moi-même, sur le tas'],
];

interface Study {
  admin: Client;
  base: string;
  projectId: string;
  adminId: string;
  secondId: string;
  codeId: (name: string) => string;
}

/** [start, end) in code points of the first occurrence of `passage` in `text`. */
function codePointSpan(text: string, passage: string): { start: number; end: number } {
  const at = text.indexOf(passage);
  if (at < 0) throw new Error(`codePointSpan: « ${passage} » is not in the text`);
  const start = [...text.slice(0, at)].length;
  return { start, end: start + [...passage].length };
}

/** The demo study, loaded by its lead, with a second coder who coded the theatre interview. */
async function setUpStudy(server: TestServer): Promise<Study> {
  const admin = new Client(() => server.url);
  expect((await admin.post('/api/auth/setup', ADMIN)).status).toBe(201);
  const adminId = (await admin.get('/api/auth/me')).body.user.id as string;
  const demo = await admin.post('/api/projects/demo');
  expect(demo.status).toBe(201);
  const projectId = demo.body.id as string;
  const base = `/api/projects/${projectId}`;
  const created = await admin.post('/api/users', SECOND);
  expect(created.status).toBe(201);
  const secondId = created.body.user.id as string;
  expect((await admin.put(`${base}/members/${secondId}`, { role: 'coder' })).status).toBe(200);

  const codes = (await admin.get(`${base}/codes`)).body.codes as { id: string; name: string }[];
  const codeId = (name: string) => {
    const code = codes.find((c) => c.name === name);
    if (!code) throw new Error(`no code « ${name} » in the demo codebook`);
    return code.id;
  };
  const documents = (await admin.get(`${base}/documents`)).body.documents as { id: string; name: string }[];
  const theatre = documents.find((d) => d.name === THEATRE);
  if (!theatre) throw new Error(`the demo has no ${THEATRE}`);
  const text = (await admin.get(`${base}/documents/${theatre.id}`)).body.text as string;
  const second = new Client(() => server.url);
  expect(
    (await second.post('/api/auth/login', { username: SECOND.username, password: SECOND.password })).status,
  ).toBe(200);
  for (const [code, passage] of SECOND_CODINGS) {
    const coding = await second.post(`${base}/codings`, {
      documentId: theatre.id,
      codeId: codeId(code),
      ...codePointSpan(text, passage),
    });
    expect(coding.status).toBe(201);
  }
  return { admin, base, projectId, adminId, secondId, codeId };
}

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Identifiant').fill(ADMIN.username);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();
}

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const audit = await new AxeBuilder({ page }).analyze();
  const serious = audit.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Digits as the page shows them, without the French thousands space. */
const digits = (text: string | null) => (text ?? '').replace(/\s/g, '');

/** A coefficient as the page shows it in French: two decimals, decimal comma. */
const coefficient = (value: number | null) =>
  value === null
    ? '—'
    : new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);

interface FrequencyRow {
  codeId: string;
  name: string;
  codings: number;
  documents: number;
  participants: number;
  byValue?: Record<string, { codings: number; participants: number }>;
}

describe.skipIf(!available)('the review pages, in Chromium', () => {
  const { server, browser } = browserFixture({ width: 1360, height: 900 });

  it('shows the API’s figures on the dashboard and the frequencies, and leads from a number to its passages', async () => {
    const study = await setUpStudy(server);
    const { page } = browser;
    await signIn(page, server.url);
    const frequencies = (await study.admin.get(`${study.base}/stats/frequencies`)).body as {
      rows: FrequencyRow[];
      totals: { documents: number; participants: number; codePoints: number; words: number; codings: number };
    };
    const coders = (await study.admin.get(`${study.base}/stats/coders`)).body.rows as unknown[];

    // The project page leads to the review.
    await page.goto(`${server.url}/projects/${study.projectId}`);
    await page.getByRole('link', { name: 'Revue : fréquences, extraits, accord' }).click();
    await page.getByRole('heading', { name: 'Tableau de bord', level: 1 }).waitFor();

    // Totals equal the API's.
    const totals = page.getByTestId('totals');
    await totals.waitFor();
    const total = (name: string) => totals.locator(`[data-total="${name}"] .total-value`).textContent();
    expect(digits(await total('documents'))).toBe(String(frequencies.totals.documents));
    // Words as a word processor counts them, over the texts the API serves.
    let words = 0;
    for (const d of (await study.admin.get(`${study.base}/documents`)).body.documents as { id: string }[]) {
      const text = (await study.admin.get(`${study.base}/documents/${d.id}`)).body.text as string;
      words += text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
    }
    expect(frequencies.totals.words).toBe(words);
    expect(digits(await total('words'))).toBe(String(words));
    const characters = (await totals.locator('[data-total="codePoints"]').textContent()) ?? '';
    expect(digits(characters.match(/^[\d\s]+/u)?.[0] ?? '')).toBe(String(frequencies.totals.codePoints));
    expect(digits(await total('participants'))).toBe(String(frequencies.totals.participants));
    expect(digits(await total('codings'))).toBe(String(frequencies.totals.codings));
    expect(digits(await total('coders'))).toBe(String(coders.length));
    expect(frequencies.totals.codings).toBe(17 + SECOND_CODINGS.length);

    // Recent activity in plain French; the mean kappa of the two coders as the API gives it.
    await page
      .getByTestId('activity')
      .getByText('Basile a codé un passage avec « Formation et compétences » dans entretien-01-theatre.txt')
      .waitFor();
    expect(await page.getByTestId('activity').locator('li').count()).toBe(20);
    const agreement = (
      await study.admin.get(
        `${study.base}/stats/agreement?coders=${study.adminId},${study.secondId}&unit=character`,
      )
    ).body;
    const kappa = page.getByTestId('dashboard-kappa');
    await kappa.waitFor();
    expect(await kappa.textContent()).toContain(
      `${coefficient(agreement.overall.all.meanKappa)} sur tout le texte`,
    );
    await page.getByTestId('dashboard-crosstab').locator('tbody tr').first().waitFor();
    await screenshot(page, 'review-dashboard');
    await expectNoSeriousViolations(page);

    // Frequencies: one row per code, in codebook order, every number equal to the API's.
    await page
      .getByRole('navigation', { name: 'Pages de la revue' })
      .getByRole('link', { name: 'Fréquences' })
      .click();
    await page.getByRole('heading', { name: 'Fréquences', level: 1 }).waitFor();
    const table = page.getByTestId('frequencies-table').locator('table');
    await table.locator('tbody tr').first().waitFor();
    const shown = await table
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').replace(/\s/g, ''))),
      );
    expect(shown.map((cells) => cells[0])).toEqual(frequencies.rows.map((r) => r.name.replace(/\s/g, '')));
    expect(shown.map((cells) => cells.slice(1, 4))).toEqual(
      frequencies.rows.map((r) => [String(r.codings), String(r.documents), String(r.participants)]),
    );
    await screenshot(page, 'review-frequencies');
    await expectNoSeriousViolations(page);

    // Sorting by codings: largest first, announced by aria-sort; again, smallest first.
    const codingsHeader = table
      .locator('thead th')
      .filter({ hasText: /^Codages/ })
      .first();
    await codingsHeader.getByRole('button').click();
    expect(await codingsHeader.getAttribute('aria-sort')).toBe('descending');
    const firstCount = async () =>
      Number(digits(await table.locator('tbody tr').first().locator('td').first().textContent()));
    expect(await firstCount()).toBe(Math.max(...frequencies.rows.map((r) => r.codings)));
    await codingsHeader.getByRole('button').click();
    expect(await codingsHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(await firstCount()).toBe(Math.min(...frequencies.rows.map((r) => r.codings)));

    // The table downloads as CSV for French Excel: BOM, semicolons, decimal commas.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Télécharger en CSV : Fréquences des codes' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('frequences-des-codes.csv');
    const bytes = await readFile((await download.path()) as string);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toMatch(/^Code;Codages;Documents;Participant·es;Couverture \(%\);/);
    const formation = frequencies.rows.find((r) => r.name === 'Formation et compétences') as FrequencyRow;
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^Formation et compétences;${formation.codings};1;1;\\d+(,\\d+)?;;;$`),
      ),
    );

    // Crosstab by « type de structure »: cells equal the API's.
    await page.getByLabel('Tableau croisé par attribut').selectOption('type de structure');
    const crosstab = page.getByTestId('crosstab-table').locator('table');
    await crosstab.locator('tbody tr').first().waitFor();
    const byValue = (
      await study.admin.get(
        `${study.base}/stats/frequencies?attribute=${encodeURIComponent('type de structure')}`,
      )
    ).body as { rows: FrequencyRow[]; crosstab: { columns: { value: string }[] } };
    const values = byValue.crosstab.columns.map((c) => c.value);
    expect(values).toContain('Théâtre');
    const crosstabCells = await crosstab
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) =>
          [...row.querySelectorAll('td')].map((cell) => (cell.textContent ?? '').replace(/\s/g, '')),
        ),
      );
    byValue.rows.forEach((row, r) => {
      values.forEach((value, v) => {
        expect(crosstabCells[r]?.[v * 3]).toBe(String(row.byValue?.[value]?.codings));
      });
    });
    await screenshot(page, 'review-crosstab');
    await expectNoSeriousViolations(page);

    // A crosstab cell opens retrieval with the attribute as a filter.
    const theatreIndex = values.indexOf('Théâtre');
    const formationRow = crosstab
      .locator('tbody tr')
      .filter({ has: page.getByRole('rowheader', { name: 'Formation et compétences', exact: true }) });
    await formationRow
      .locator('td')
      .nth(theatreIndex * 3)
      .getByRole('link')
      .click();
    await page.waitForURL(/\/review\/retrieval\?/);
    // The route change waits for the page's data (a router transition): generous on a loaded machine.
    await page.getByRole('heading', { name: 'Extraits', level: 1 }).waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).searchParams.getAll('attr:type de structure')).toEqual(['Théâtre']);
    await page.getByTestId('passage-count').waitFor();
    expect(await page.locator('.passage').count()).toBe(formation.codings);
    await page.goBack();

    // A code's count opens retrieval for that code: as many codings, here as many passages.
    await page.getByLabel('Tableau croisé par attribut').selectOption('');
    await table.locator('tbody tr').first().waitFor();
    await page
      .getByRole('link', {
        name: `${formation.codings} codages de « Formation et compétences » : voir les passages`,
      })
      .click();
    await page.getByRole('heading', { name: 'Extraits', level: 1 }).waitFor();
    await page.getByTestId('passage-count').waitFor();
    expect(await page.getByTestId('passage-count').textContent()).toContain(
      `${formation.codings} passages, ${formation.codings} codages : « Formation et compétences »`,
    );
    expect(await page.locator('.passage').count()).toBe(formation.codings);
    const passage = page.locator('.passage').first();
    expect(await passage.locator('.badge.pseudonym').textContent()).toBe('P01');
    expect(await passage.locator('.passage-speaker').textContent()).toBe('Camille Roussel');
    const open = passage.getByRole('link', { name: /^Ouvrir entretien-01-theatre\.txt à ce passage$/ });
    expect(await open.getAttribute('href')).toMatch(/\/documents\/[^?]+\?start=\d+&end=\d+$/);
    await screenshot(page, 'review-retrieval');
    await expectNoSeriousViolations(page);

    // Co-occurrence: a cell's count, and its passages, are the API's.
    await page
      .getByRole('navigation', { name: 'Pages de la revue' })
      .getByRole('link', { name: 'Cooccurrences' })
      .click();
    await page.getByRole('heading', { name: 'Cooccurrences', level: 1 }).waitFor();
    const matrix = (await study.admin.get(`${study.base}/stats/cooccurrence?unit=overlap`)).body as {
      codeIds: string[];
      matrix: number[][];
    };
    const a = study.codeId('Coûts et ressources');
    const b = study.codeId('Coûts des licences et connecteurs');
    const count = matrix.matrix[matrix.codeIds.indexOf(a)]?.[matrix.codeIds.indexOf(b)];
    expect(count).toBe(1);
    await page
      .getByRole('button', {
        name: `« Coûts et ressources » et « Coûts des licences et connecteurs » : ${count}, voir les passages`,
      })
      .click();
    const pair = (await study.admin.get(`${study.base}/retrieve?codes=${a},${b}&op=and`)).body;
    await page.getByTestId('passage-count').waitFor();
    expect(await page.locator('.passage').count()).toBe(pair.total);
    expect(await page.locator('.passage .quote').first().textContent()).toBe(pair.passages[0].text);
    await screenshot(page, 'review-cooccurrence');
    await expectNoSeriousViolations(page);
    await page.getByLabel('tours de parole').check();
    await page.getByRole('table', { name: 'Cooccurrences des codes (tours de parole)' }).waitFor();

    expect(browser.problems).toEqual([]);
  }, 180_000);

  it('computes agreement as the API does, compares two coders side by side and accepts a consensus', async () => {
    const study = await setUpStudy(server);
    const { page } = browser;
    await signIn(page, server.url);
    await page.goto(`${server.url}/projects/${study.projectId}/review/agreement`);
    await page.getByRole('heading', { name: 'Accord inter-codeurs', level: 1 }).waitFor();
    // The page opens on the two coders who coded the most documents in common.
    await expect.poll(() => page.getByRole('checkbox', { name: 'camille.admin' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Basile' }).isChecked()).toBe(true);
    // Unticking both leaves none ticked (the first pair does not come back).
    await page.getByRole('checkbox', { name: 'camille.admin' }).uncheck();
    await page.getByRole('checkbox', { name: 'Basile' }).uncheck();
    await page.getByText('Cochez au moins deux codeur·ses').waitFor();
    await page.getByRole('checkbox', { name: 'camille.admin' }).check();
    await page.getByRole('checkbox', { name: 'Basile' }).check();

    const report = (
      await study.admin.get(
        `${study.base}/stats/agreement?coders=${study.adminId},${study.secondId}&unit=character`,
      )
    ).body as {
      rows: { name: string; all: { kappa: number | null }; codedText: { kappa: number | null } }[];
      overall: { all: { meanKappa: number | null }; codedText: { meanKappa: number | null } };
    };
    const table = page.getByTestId('agreement-table').locator('table');
    await table.locator('tbody tr').first().waitFor();
    const shown = await table
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').trim())),
      );
    expect(shown.map((cells) => cells[0])).toEqual(report.rows.map((r) => r.name));
    expect(shown.map((cells) => [cells[2], cells[5]])).toEqual(
      report.rows.map((r) => [coefficient(r.all.kappa), coefficient(r.codedText.kappa)]),
    );
    const overall = page.getByTestId('overall');
    expect(await overall.locator('[data-universe="all"] .total-value').textContent()).toBe(
      coefficient(report.overall.all.meanKappa),
    );
    expect(await overall.locator('[data-universe="codedText"] .total-value').textContent()).toBe(
      coefficient(report.overall.codedText.meanKappa),
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'review-agreement');
    await expectNoSeriousViolations(page);

    // Side by side on the theatre interview, for « Exports et bricolages »: the two spans differ.
    const comparison = page.getByRole('region', { name: 'Comparer deux codages' });
    await comparison
      .getByRole('combobox', { name: /^Code/ })
      .selectOption({ label: 'Exports et bricolages (2 désaccords)' });
    const disagreements = page.getByTestId('disagreements');
    await disagreements.waitFor();
    expect(await disagreements.locator('tbody tr').count()).toBe(2);
    expect(await comparison.locator('mark.disagree').count()).toBeGreaterThan(0);
    await comparison.scrollIntoViewIfNeeded();
    await screenshot(page, 'review-comparison');
    await expectNoSeriousViolations(page);

    // Accept Basile's coding as the consensus: the lead gets a consensus coding linked to it, and
    // the row says it was accepted (consensus codings are compared apart from the lead's own).
    const basileRow = disagreements
      .locator('tbody tr')
      .filter({ has: page.getByRole('rowheader', { name: 'Basile' }) });
    await basileRow.getByRole('button', { name: /^Retenir le codage de Basile comme consensus/ }).click();
    await expect
      .poll(async () => {
        const codings = (await study.admin.get(`${study.base}/codings?coderId=${study.adminId}`)).body
          .codings as { codeId: string; text: string; consensus?: { acceptedFrom: string } }[];
        return codings.filter((c) => c.consensus).map((c) => [c.codeId, c.text]);
      })
      .toEqual([[study.codeId('Exports et bricolages'), SECOND_CODINGS[1]?.[1]]]);
    await basileRow.getByText('retenu', { exact: false }).waitFor();
    expect(await basileRow.getByRole('button').count()).toBe(0);

    // The agreement table downloads as CSV too.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /^Télécharger en CSV : Accord par code entre/ }).click(),
    ]);
    const text = (await readFile((await download.path()) as string)).toString('utf8');
    expect(text.startsWith('\uFEFFCode;Sur tout le texte — Accord (%);Sur tout le texte — Kappa (κ);')).toBe(
      true,
    );
    // And as XLSX, a real workbook (a zip).
    const [sheet] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /^Télécharger en XLSX : Accord par code entre/ }).click(),
    ]);
    expect(sheet.suggestedFilename()).toMatch(/\.xlsx$/);
    expect((await readFile((await sheet.path()) as string)).subarray(0, 2).toString()).toBe('PK');
    expect(browser.problems).toEqual([]);
  }, 180_000);
});
