/**
 * The first session of a researcher, in a real Chromium: set up the instance, create a project,
 * import a French transcript, build a small codebook, code two overlapping passages with the mouse,
 * and find everything again after a reload. No console error and no CSP violation on the way.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserFixture, chromiumAvailable, dragSelect, screenshot } from './helpers.ts';

const TRANSCRIPT = [
  'Entretien n° 3 — « Le quotidien à l’école », Lyon, mars 2026',
  '',
  'Enquêtrice : Pouvez-vous vous présenter en quelques mots ?',
  '',
  'Camille Martin : Bonjour ! Je m’appelle Camille. J’enseigne le français depuis douze ans 😊 et j’aime toujours ça, même si le métier a beaucoup changé.',
  '',
  'Enquêtrice : Qu’est-ce qui a changé, selon vous, dans « l’accessibilité » des outils numériques ?',
  '',
  'Camille Martin : Les élèves réclament des supports adaptés. On bricole : une tablette par-ci, un logiciel par-là… L’équipe s’organise, mais sans formation, c’est épuisant.',
  '',
  'Enquêtrice : Et la direction, comment réagit-elle ?',
  '',
  'Camille Martin : Elle nous soutient, sur le principe. Mais les budgets arrivent en juin, quand l’année est finie ! Alors on se débrouille entre collègues, on partage nos fiches.',
].join('\n');

const PASSAGE_A = 'J’enseigne le français depuis douze ans 😊';
const PASSAGE_B = 'douze ans 😊 et j’aime toujours ça';
const PASSAGE_C = 'sans formation, c’est épuisant';

/** [start, end) in code points of the first occurrence of `passage` in the transcript. */
function codePointSpan(passage: string): { start: number; end: number } {
  const at = TRANSCRIPT.indexOf(passage);
  if (at < 0) throw new Error(`codePointSpan: « ${passage} » is not in the transcript`);
  const start = [...TRANSCRIPT.slice(0, at)].length;
  return { start, end: start + [...passage].length };
}

const available = chromiumAvailable();

async function setUpAdmin(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  // The CSP checks below mean something only if the page is served under the strict policy.
  expect(response?.headers()['content-security-policy']).toContain("style-src 'self'");
  await page.waitForURL('**/setup');
  await page.getByLabel('Identifiant').fill('camille.admin');
  await page.getByLabel('Mot de passe').fill('un mot de passe solide');
  await page.getByRole('button', { name: 'Créer le compte administrateur' }).click();
  await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();
}

async function createProject(page: Page, name: string): Promise<void> {
  await page.getByLabel('Nom du projet').fill(name);
  await page
    .getByLabel('Description (facultative)')
    .fill('Entretiens semi-directifs avec des enseignant·es.');
  await page.getByRole('button', { name: 'Créer le projet' }).click();
  await page.getByRole('link', { name }).waitFor();
}

async function createCode(page: Page, name: string, color: string, parent?: string): Promise<string> {
  await page.getByLabel('Nom du code').fill(name);
  await page.getByLabel('Couleur').fill(color);
  if (parent) await page.getByLabel('Sous le code').selectOption({ label: parent });
  await page.getByRole('button', { name: 'Créer le code' }).click();
  const item = page.locator('.code-item:not(.provisional)', { hasText: name });
  await item.waitFor();
  const id = await item.getAttribute('data-code-id');
  if (!id) throw new Error(`createCode: no id for « ${name} »`);
  return id;
}

/** Drag over a passage and apply the code found by typing `filter` in the picker. */
async function codePassage(page: Page, passage: string, filter: string): Promise<void> {
  const { start, end } = codePointSpan(passage);
  await dragSelect(page, start, end);
  const picker = page.getByRole('dialog', { name: 'Coder le passage' });
  await picker.waitFor();
  await picker.getByRole('combobox').fill(filter);
  await expect.poll(() => picker.getByRole('option').count()).toBe(1);
  await page.keyboard.press('Enter');
  await picker.waitFor({ state: 'detached' });
}

describe.skipIf(!available)('the first coding session, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('sets up, imports a French transcript, codes two overlapping passages and keeps them after a reload', async () => {
    const { page } = browser;
    await setUpAdmin(page, server.url);
    await createProject(page, 'Enseignant·es et numérique');
    await screenshot(page, 'project-list');
    await page.getByRole('link', { name: 'Enseignant·es et numérique' }).click();

    await page.getByRole('link', { name: 'Importer des transcriptions' }).click();
    await page.getByLabel('Choisir des fichiers').setInputFiles({
      name: 'entretien-camille.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(TRANSCRIPT, 'utf8'),
    });
    await page.getByText('importé : 6 tours de parole, encodage UTF-8').waitFor();
    await page.getByRole('link', { name: 'Enseignant·es et numérique' }).click();
    await page.getByRole('link', { name: 'entretien-camille.txt' }).waitFor();
    await screenshot(page, 'project-page');
    await page.getByRole('link', { name: 'entretien-camille.txt' }).click();

    await page.getByRole('heading', { name: 'entretien-camille.txt', level: 1 }).waitFor();
    await expect.poll(() => page.locator('.block.turn').count()).toBe(6);
    await expect.poll(() => page.locator('.block .speaker').first().textContent()).toBe('Enquêtrice : ');

    const career = await createCode(page, 'Parcours professionnel', '#1f6fb2');
    const feelings = await createCode(page, 'Émotions', '#d9480f');

    await codePassage(page, PASSAGE_A, 'parcours');
    await codePassage(page, PASSAGE_B, 'emotions'); // accent-insensitive type-ahead
    await createCode(page, 'Conditions de travail', '#2b8a3e');
    const training = await createCode(page, 'Manque de formation', '#7048e8', 'Conditions de travail');
    await expect
      .poll(() => page.locator('.code-item', { hasText: 'Manque de formation' }).getAttribute('style'))
      .toContain('padding-left: 1.25rem');
    await codePassage(page, PASSAGE_C, 'manque');

    const projectId = new URL(page.url()).pathname.split('/')[2] as string;
    const documentId = new URL(page.url()).pathname.split('/')[4] as string;
    const codingsUrl = `${server.url}/api/projects/${projectId}/codings?documentId=${documentId}`;
    const readCodings = async () =>
      ((await (await page.request.get(codingsUrl)).json()) as { codings: Record<string, unknown>[] }).codings;
    await expect.poll(async () => (await readCodings()).length).toBe(3);
    const codings = await readCodings();
    const a = codePointSpan(PASSAGE_A);
    const b = codePointSpan(PASSAGE_B);
    const c = codePointSpan(PASSAGE_C);
    expect(codings.map(({ codeId, start, end, text }) => ({ codeId, start, end, text }))).toEqual([
      { codeId: career, start: a.start, end: a.end, text: PASSAGE_A },
      { codeId: feelings, start: b.start, end: b.end, text: PASSAGE_B },
      { codeId: training, start: c.start, end: c.end, text: PASSAGE_C },
    ]);
    // The emoji is one code point but two UTF-16 units: the offsets are not the DOM's.
    expect(b.end).toBe(TRANSCRIPT.indexOf(PASSAGE_B) + PASSAGE_B.length - 1);

    await page.reload();
    await page.locator('.transcript span.coded').first().waitFor();
    const segments = await page.locator('.transcript span[data-start]').evaluateAll((nodes) =>
      nodes.map((n) => ({
        start: Number((n as HTMLElement).dataset.start),
        end: Number((n as HTMLElement).dataset.end),
        codes: ((n as HTMLElement).dataset.codes ?? '').split(' ').filter(Boolean),
        title: n.getAttribute('title') ?? '',
      })),
    );
    const covered = (codeId: string) => {
      const mine = segments.filter((s) => s.codes.includes(codeId));
      return { start: Math.min(...mine.map((s) => s.start)), end: Math.max(...mine.map((s) => s.end)) };
    };
    expect(covered(career)).toEqual(a);
    expect(covered(feelings)).toEqual(b);
    expect(covered(training)).toEqual(c);
    const overlap = segments.filter((s) => s.codes.length === 2);
    expect(overlap).toHaveLength(1);
    expect(overlap[0]).toMatchObject({ start: b.start, end: a.end, codes: [career, feelings] });
    expect(overlap[0]?.title).toBe('Parcours professionnel (camille.admin) · Émotions (camille.admin)');
    await expect
      .poll(() => page.locator('.transcript span.coded.overlap').textContent())
      .toBe('douze ans 😊');

    // The README's picture is the demo study's coding view, taken by import.test.ts.
    await screenshot(page, 'coding-view');

    // Clicking a highlight lists its codings, with who coded them.
    await page.locator('.transcript span.coded.overlap').click();
    const details = page.getByRole('dialog', { name: 'Codages de ce passage' });
    await expect.poll(() => details.getByRole('listitem').count()).toBe(2);
    await expect.poll(() => details.textContent()).toContain('par camille.admin');
    await screenshot(page, 'coding-details');

    const audit = await new AxeBuilder({ page }).analyze();
    const serious = audit.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    expect(browser.problems).toEqual([]);
  }, 90_000);

  it('removes a coding from its highlight, and the removal survives a reload', async () => {
    const { page } = browser;
    await setUpAdmin(page, server.url);
    await createProject(page, 'Projet pilote');
    await page.getByRole('link', { name: 'Projet pilote' }).click();
    await page.getByRole('link', { name: 'Importer des transcriptions' }).click();
    await page.getByLabel('Choisir des fichiers').setInputFiles({
      name: 'pilote.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(TRANSCRIPT, 'utf8'),
    });
    await page.getByRole('link', { name: 'pilote.txt' }).click();
    await createCode(page, 'Formation', '#2b8a3e');
    await codePassage(page, 'sans formation, c’est épuisant', 'form');
    await page.locator('.transcript span.coded').click();
    await page.getByRole('button', { name: 'Retirer le code « Formation »' }).click();
    await expect.poll(() => page.locator('.transcript span.coded').count()).toBe(0);
    await page.reload();
    await page.locator('.transcript .block').first().waitFor();
    await expect.poll(() => page.locator('.transcript span.coded').count()).toBe(0);
    await expect
      .poll(() => page.locator('.code-item', { hasText: 'Formation' }).locator('.count').textContent())
      .toBe('0');
    expect(browser.problems).toEqual([]);
  }, 60_000);

  it('switches the interface to English, and remembers the choice', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Bienvenue dans Verbatim' }).waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('fr');

    await page.getByRole('button', { name: 'EN' }).click();
    await page.getByRole('heading', { name: 'Welcome to Verbatim' }).waitFor();
    await page.getByRole('button', { name: 'Create the administrator account' }).waitFor();
    await page.getByLabel('Username').waitFor();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en');

    await page.reload();
    await page.getByRole('heading', { name: 'Welcome to Verbatim' }).waitFor();
    await page.getByLabel('Username').fill('alex');
    await page.getByLabel('Password').fill('a long enough password');
    await page.getByRole('button', { name: 'Create the administrator account' }).click();
    await page.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Create the project' }).waitFor();

    await page.getByRole('button', { name: 'FR' }).click();
    await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();
    expect(browser.problems).toEqual([]);
  }, 60_000);
});
