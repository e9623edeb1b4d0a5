/**
 * Searching the demo study in a real Chromium: French-aware matching shown with <mark> on the
 * words as stored, a hit opened at its match, and auto-coding by sentence after a preview, undone
 * from the page. No console error, no CSP violation, no serious accessibility violation.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Client, type TestServer } from '../helpers/server.ts';
import { browserFixture, chromiumAvailable, screenshot } from './helpers.ts';

const available = chromiumAvailable();

const ADMIN = { username: 'camille.admin', password: 'un mot de passe solide' };

/** Generous: two cores shared with other test runs. */
const WAIT = { timeout: 30_000 };

interface Hit {
  id: string;
  documentId: string;
  start: number;
  end: number;
  matches: { start: number; end: number }[];
}

/** The instance with its administrator, the demo study loaded, and an API client signed in. */
async function demoStudy(server: TestServer): Promise<{ admin: Client; base: string; projectId: string }> {
  const admin = new Client(() => server.url);
  const setup = await admin.post('/api/auth/setup', ADMIN);
  if (setup.status !== 201) throw new Error(`demoStudy: setup refused (${setup.status})`);
  const demo = await admin.post('/api/projects/demo');
  if (demo.status !== 201) throw new Error(`demoStudy: demo refused (${demo.status})`);
  return { admin, base: `/api/projects/${demo.body.id}`, projectId: demo.body.id };
}

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Identifiant').fill(ADMIN.username);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor(WAIT);
}

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const audit = await new AxeBuilder({ page }).analyze();
  const serious = audit.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** The words the API says a search matched, read from each document's stored text by code points. */
async function storedMatchedWords(admin: Client, base: string, q: string): Promise<string[]> {
  const found = await admin.get(`${base}/search?q=${encodeURIComponent(q)}`);
  expect(found.status).toBe(200);
  const words: string[] = [];
  for (const hit of found.body.hits as Hit[]) {
    const text = Array.from((await admin.get(`${base}/documents/${hit.documentId}`)).body.text as string);
    for (const m of hit.matches) words.push(text.slice(m.start, m.end).join(''));
  }
  return words;
}

/** Type a query in the search form and wait for the announced summary. */
async function search(page: Page, q: string): Promise<string> {
  await page.getByRole('searchbox', { name: 'Mots à chercher' }).fill(q);
  await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
  const summary = page.getByRole('status').filter({ hasText: /passages? dans/ });
  await summary.waitFor(WAIT);
  return (await summary.textContent()) ?? '';
}

const fold = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

describe.skipIf(!available)('searching the interviews, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('finds « ressaisir » in several interviews, marks the words as spelt, ignores accents and opens a hit at its match', async () => {
    const { admin, base, projectId } = await demoStudy(server);
    const { page } = browser;
    await signIn(page, server.url);
    await page.goto(`${server.url}/projects/${projectId}`);
    // The box's focus asks for the index to be made ready while the words are typed.
    const prepared = page.waitForRequest(
      (r) => r.method() === 'POST' && r.url().endsWith(`/api/projects/${projectId}/search/prepare`),
      WAIT,
    );
    await page
      .getByRole('searchbox', { name: 'Rechercher dans les transcriptions du projet' })
      .fill('ressaisir');
    expect((await (await prepared).response())?.status()).toBe(202);
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await page.getByRole('heading', { name: 'Rechercher dans les entretiens', level: 1 }).waitFor(WAIT);
    const summary = page.getByRole('status').filter({ hasText: /passages? dans/ });
    await summary.waitFor(WAIT);

    const api = await admin.get(`${base}/search?q=ressaisir`);
    expect(api.body.documents.length).toBeGreaterThan(1);
    expect(await summary.textContent()).toBe(
      `${api.body.total} passages dans ${api.body.documents.length} documents`,
    );
    // One group per document, headed by its name.
    const groups = page.locator('.search-document');
    expect(await groups.count()).toBe(api.body.documents.length);
    expect(await groups.locator('h3 .search-document-name').allTextContents()).toEqual(
      api.body.documents.map((d: { name: string }) => d.name),
    );
    // The marked words are exactly the stored words, inflected as spoken.
    const marks = await page.locator('.search-passage mark').allTextContents();
    expect(marks).toEqual(await storedMatchedWords(admin, base, 'ressaisir'));
    expect(new Set(marks.map(fold))).toEqual(new Set(['ressaisis', 'ressaisit', 'ressaisir']));
    await screenshot(page, 'search-ressaisir');
    await expectNoSeriousViolations(page);

    // Typed without accents, « bénévoles » is still found and shown as spelt.
    expect(await search(page, 'benevoles')).toMatch(/passages? dans/);
    const accented = await page.locator('.search-passage mark').allTextContents();
    expect(accented.length).toBeGreaterThan(0);
    expect(accented).toEqual(await storedMatchedWords(admin, base, 'benevoles'));
    expect(accented.every((w) => fold(w).startsWith('benevole'))).toBe(true);
    expect(accented.some((w) => w.includes('é'))).toBe(true);

    // Back to « ressaisir », and open the first hit at its match.
    await page.goBack();
    await page.locator('.search-passage mark').first().waitFor(WAIT);
    // The search page itself logged nothing; what the coding view does with the match is its own test.
    expect(browser.problems).toEqual([]);
    const first = (api.body.hits as Hit[])[0] as Hit;
    const match = first.matches[0] as { start: number; end: number };
    await page
      .locator(`[data-hit="${first.id}"]`)
      .getByRole('link', { name: /^Ouvrir le passage/ })
      .click();
    await page.waitForURL(/\/documents\//, WAIT);
    const opened = new URL(page.url());
    expect(opened.pathname).toBe(`/projects/${projectId}/documents/${first.documentId}`);
    expect(opened.searchParams.get('start')).toBe(String(match.start));
    expect(opened.searchParams.get('end')).toBe(String(match.end));
    expect(opened.searchParams.get('q')).toBe('ressaisir');
    // The coding view selects the matched words, ready to code, and brings them into view.
    const pending = page.locator('span[data-start].pending');
    await pending.first().waitFor(WAIT);
    const stored = (await admin.get(`${base}/documents/${first.documentId}`)).body.text as string;
    const word = Array.from(stored).slice(match.start, match.end).join('');
    expect((await pending.allTextContents()).join('')).toBe(word);
    expect(await pending.first().isVisible()).toBe(true);
  }, 120_000);

  it('auto-codes the ticked hits by sentence after a preview, then undoes it from the page', async () => {
    const { admin, base, projectId } = await demoStudy(server);
    const codes = (await admin.get(`${base}/codes`)).body.codes as { id: string; name: string }[];
    const code = codes.find((c) => c.name === 'Redondance de saisie');
    if (!code) throw new Error('no « Redondance de saisie » in the demo codebook');
    // One of the passages already carries the code: its whole turn.
    const hits = (await admin.get(`${base}/search?q=ressaisir`)).body.hits as Hit[];
    expect(hits.length).toBe(3);
    const covered = hits[0] as Hit;
    const precoded = await admin.post(`${base}/codings`, {
      documentId: covered.documentId,
      codeId: code.id,
      start: covered.start,
      end: covered.end,
    });
    expect(precoded.status).toBe(201);
    const before = (await admin.get(`${base}/codings?codeId=${code.id}`)).body.codings as { id: string }[];

    const { page } = browser;
    await signIn(page, server.url);
    await page.goto(`${server.url}/projects/${projectId}/search?q=ressaisir`);
    await page.locator('.search-passage mark').first().waitFor(WAIT);
    await page.getByRole('checkbox', { name: 'Tout cocher (cette page)' }).check();
    const panel = page.getByRole('region', { name: 'Coder automatiquement' });
    await expect.poll(() => panel.getByText('Les passages cochés (3)').count()).toBe(1);
    await panel.getByLabel('Code à appliquer').selectOption(code.id);
    await panel.getByRole('radio', { name: /Leur phrase/ }).check();
    await panel.getByRole('button', { name: 'Aperçu' }).click();
    const preview = panel.locator('.autocode-preview');
    await preview.waitFor(WAIT);
    expect(await preview.locator('p').textContent()).toBe(
      '2 codages « Redondance de saisie » seront créés. 1 passage porte déjà ce code et sera ignoré.',
    );
    await screenshot(page, 'search-autocode-preview');
    // A preview creates nothing.
    expect((await admin.get(`${base}/codings?codeId=${code.id}`)).body.codings).toHaveLength(before.length);

    await panel.getByRole('button', { name: 'Coder', exact: true }).click();
    const done = panel.locator('.autocode-done');
    await done.waitFor(WAIT);
    expect(await done.locator('p').textContent()).toBe(
      '2 codages « Redondance de saisie » créés. 1 passage déjà codé a été ignoré.',
    );
    const after = (await admin.get(`${base}/codings?codeId=${code.id}`)).body.codings as {
      id: string;
      documentId: string;
      text: string;
    }[];
    const created = after.filter((c) => !before.some((b) => b.id === c.id));
    expect(created).toHaveLength(2);
    for (const coding of created) {
      // A sentence holding a form of « ressaisir », from its capital to its full stop.
      expect(fold(coding.text)).toMatch(/ressais/);
      expect(coding.text).toMatch(/^\p{Lu}.*[.!?…]$/su);
    }
    expect(new Set(created.map((c) => c.documentId)).size).toBe(2);

    await panel.getByRole('button', { name: 'Annuler', exact: true }).click();
    await panel.getByText('Codage automatique « Redondance de saisie » annulé.').waitFor(WAIT);
    const undone = (await admin.get(`${base}/codings?codeId=${code.id}`)).body.codings as { id: string }[];
    expect(undone.map((c) => c.id).sort()).toEqual(before.map((c) => c.id).sort());
    await expectNoSeriousViolations(page);
    expect(browser.problems).toEqual([]);
  }, 120_000);

  it('runs the search again when a filter changes, and auto-codes exactly the hits shown', async () => {
    const { admin, base, projectId } = await demoStudy(server);
    const all = (await admin.get(`${base}/search?q=outils&limit=100`)).body as { total: number; hits: Hit[] };
    const filtered = (await admin.get(`${base}/search?q=outils&speaker=interviewees&limit=100`)).body as {
      total: number;
      hits: (Hit & { speaker: string })[];
    };
    // The word is said by the interviewer too: the filter must make a difference.
    expect(filtered.total).toBeGreaterThan(0);
    expect(filtered.total).toBeLessThan(all.total);
    const codes = (await admin.get(`${base}/codes`)).body.codes as { id: string; name: string }[];
    const code = codes.find((c) => c.name === 'Fragmentation des données');
    if (!code) throw new Error('no « Fragmentation des données » in the demo codebook');
    const before = (await admin.get(`${base}/codings?codeId=${code.id}`)).body.codings as { id: string }[];

    const { page } = browser;
    await signIn(page, server.url);
    await page.goto(`${server.url}/projects/${projectId}/search?q=outils`);
    const summary = page.getByRole('status').filter({ hasText: /passages? dans/ });
    await expect
      .poll(async () => (await summary.textContent()) ?? '', WAIT)
      .toMatch(new RegExp(`^${all.total} passages`));
    await page.locator('summary', { hasText: 'Filtres' }).click();
    // No click on « Rechercher »: choosing the filter is enough.
    await page.getByLabel('Locuteur·rice').selectOption('interviewees');
    await expect
      .poll(async () => (await summary.textContent()) ?? '', WAIT)
      .toMatch(new RegExp(`^${filtered.total} passages?`));
    expect(new URL(page.url()).searchParams.get('speaker')).toBe('interviewees');
    expect(await page.locator('.search-passage').count()).toBe(filtered.total);

    const panel = page.getByRole('region', { name: 'Coder automatiquement' });
    await panel.getByLabel('Code à appliquer').selectOption(code.id);
    await panel.getByRole('radio', { name: `Tous les passages trouvés (${filtered.total})` }).check();
    await panel.getByRole('button', { name: 'Aperçu' }).click();
    await panel.locator('.autocode-preview').waitFor(WAIT);
    await panel.getByRole('button', { name: 'Coder', exact: true }).click();
    await panel.locator('.autocode-done').waitFor(WAIT);
    const after = (await admin.get(`${base}/codings?codeId=${code.id}`)).body.codings as {
      id: string;
      documentId: string;
      start: number;
      end: number;
    }[];
    const created = after.filter((c) => !before.some((b) => b.id === c.id));
    // The words found in the hits shown are coded, and nothing outside them (the interviewer's).
    const inside = (h: Hit, c: (typeof created)[number]) =>
      h.documentId === c.documentId && h.start <= c.start && c.end <= h.end;
    expect(created.every((c) => filtered.hits.some((h) => inside(h, c)))).toBe(true);
    expect(filtered.hits.every((h) => created.some((c) => inside(h, c)))).toBe(true);
    expect(browser.problems).toEqual([]);
  }, 120_000);
});
