/**
 * The review and export flows by keyboard alone, in a real Chromium: from the sign-in to a review
 * table downloaded as CSV, and to the Word report, with Tab, Shift+Tab and Enter only — every step
 * reachable, every control focusable, the focus always visible.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Client } from '../helpers/server.ts';
import { browserFixture, chromiumAvailable } from './helpers.ts';

const ADMIN = { username: 'camille.admin', password: 'un mot de passe solide' };

/** What the focused element is called (its accessible name, roughly: label, aria-label or text). */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const e = document.activeElement as HTMLElement | null;
    if (!e || e === document.body) return '';
    const label = (e as HTMLInputElement).labels?.[0]?.textContent;
    return (e.getAttribute('aria-label') ?? label ?? e.textContent ?? '').replace(/\s+/g, ' ').trim();
  });
}

/** Press Tab until the focused element's name matches (at most `max` presses), and check it shows focus. */
async function tabTo(page: Page, name: RegExp, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (name.test(await focusedName(page))) {
      const outlined = await page.evaluate(() => {
        const style = getComputedStyle(document.activeElement as Element);
        return style.outlineStyle !== 'none' && style.outlineWidth !== '0px';
      });
      expect(outlined, `focus visible on ${name}`).toBe(true);
      return;
    }
  }
  throw new Error(`No focusable element named ${name} within ${max} Tab presses`);
}

describe.skipIf(!chromiumAvailable())('the review and export flows by keyboard alone, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('signs in, reviews, downloads a table and the report with the keyboard only', async () => {
    const admin = new Client(() => server.url);
    expect((await admin.post('/api/auth/setup', ADMIN)).status).toBe(201);
    const demo = (await admin.post('/api/projects/demo')).body as { id: string };
    const { page } = browser;

    await page.goto(`${server.url}/login`);
    await tabTo(page, /^Identifiant$/);
    await page.keyboard.type(ADMIN.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();

    await tabTo(page, /^Étude démo/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Étude démo', level: 1 }).waitFor();

    // The review: its dashboard, then the frequencies, and the table downloaded as CSV.
    await tabTo(page, /^Revue : fréquences, extraits, accord$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tableau de bord', level: 1 }).waitFor();
    await tabTo(page, /^Fréquences$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Fréquences', level: 1 }).waitFor();
    await page.locator('table.review-table tbody tr').first().waitFor();
    await tabTo(page, /^Télécharger en CSV/);
    const table = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const csv = await table;
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);

    // The export page, back through the project, and the Word report.
    await page.goto(`${server.url}/projects/${demo.id}`);
    await page.getByRole('heading', { name: 'Étude démo', level: 1 }).waitFor();
    await tabTo(page, /^Exporter les verbatims$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Exporter les verbatims', level: 1 }).waitFor();
    await tabTo(page, /^Rapport Word \(\.docx\)$/, 200);
    const report = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    expect((await report).suggestedFilename()).toBe('Étude démo - verbatims.docx');
    expect(browser.problems).toEqual([]);
  }, 120_000);
});
