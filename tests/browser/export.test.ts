/**
 * Exporting the demo study in Chromium: a replacement set in the list editor, the preview counts,
 * the Word report downloaded (with progress) and checked for real names, the page audited by axe.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { foldForComparison } from '../../shared/text.ts';
import { Client } from '../helpers/server.ts';
import { zipTexts } from '../server/export/fixture.ts';
import { browserFixture, chromiumAvailable, screenshot } from './helpers.ts';

const available = chromiumAvailable();
const ADMIN = { username: 'camille.admin', password: 'un mot de passe solide' };

/** The demo study's participants, and a place named in its first interview. */
const REAL_NAMES = [
  'Camille Roussel',
  'Yannick Le Goff',
  'Inès Benali',
  'Thierry Vasseur',
  'Théâtre des Lilas',
];

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Identifiant').fill(ADMIN.username);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();
}

describe.skipIf(!available)('exporting the quotes, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('sets a replacement, shows the preview, downloads a report without real names', async () => {
    const admin = new Client(() => server.url);
    expect((await admin.post('/api/auth/setup', ADMIN)).status).toBe(201);
    const demo = (await admin.post('/api/projects/demo')).body as { id: string };
    const { page } = browser;
    await signIn(page, server.url);
    await page.goto(`${server.url}/projects/${demo.id}`);
    await page.getByRole('link', { name: 'Exporter les verbatims' }).click();
    await page.getByRole('heading', { name: 'Exporter les verbatims', level: 1 }).waitFor();

    const preview = page.getByTestId('export-preview');
    await expect
      .poll(() => preview.textContent())
      .toContain('17 thèmes, 17 citations sur 17 passages, 4 participant·es');

    // A suggestion found in the transcripts is given its replacement and accepted: the list is saved.
    await page.getByLabel('Remplacement de « Théâtre des Lilas »').fill('[théâtre A]');
    await page.getByRole('button', { name: 'Accepter « Théâtre des Lilas »' }).click();
    await page.getByText('Liste enregistrée.').waitFor();
    await expect.poll(() => page.getByLabel('Remplacement 1').inputValue()).toBe('[théâtre A]');
    const list = (await admin.get(`/api/projects/${demo.id}/replacements`)).body;
    expect(list.replacements).toEqual([
      { from: 'Théâtre des Lilas', to: '[théâtre A]', kind: 'organisation' },
    ]);

    // Fewer quotes per theme: the preview follows.
    await page.getByLabel('Citations par thème (0 = toutes)').fill('0');
    await page.getByRole('checkbox', { name: 'Accessibilité', exact: true }).check();
    await expect.poll(() => preview.textContent()).toContain('1 thème, 1 citation');
    await page.getByRole('checkbox', { name: 'Accessibilité', exact: true }).uncheck();
    await expect.poll(() => preview.textContent()).toContain('17 thèmes');

    expect(await page.getByRole('checkbox', { name: 'Pseudonymiser (noms remplacés)' }).isChecked()).toBe(
      true,
    );
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Rapport Word (.docx)' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('Étude démo - verbatims.docx');
    const bytes = new Uint8Array(await readFile((await download.path()) as string));
    const everything = foldForComparison(Object.values(zipTexts(bytes)).join('\n'));
    // No attribute is cited by default: each of the demo's values belongs to one participant.
    expect(everything).toMatch(/— p01(, \d\d:\d\d:\d\d)?</);
    for (const name of REAL_NAMES) expect(everything).not.toContain(foldForComparison(name));
    await page.getByText('Étude démo - verbatims.docx téléchargé.').waitFor();

    await screenshot(page, 'export-page');
    const audit = await new AxeBuilder({ page }).analyze();
    const serious = audit.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(browser.problems).toEqual([]);
  }, 120_000);

  it('shows a transcript anonymised, as the exports do, from the coding view', async () => {
    const admin = new Client(() => server.url);
    expect((await admin.post('/api/auth/setup', ADMIN)).status).toBe(201);
    const demo = (await admin.post('/api/projects/demo')).body as { id: string };
    const base = `/api/projects/${demo.id}`;
    await admin.put(`${base}/replacements`, {
      replacements: [{ from: 'Théâtre des Lilas', to: '[théâtre A]' }],
    });
    const docs = (await admin.get(`${base}/documents`)).body.documents as { id: string; name: string }[];
    const txt = docs.find((d) => d.name.endsWith('.txt')) as { id: string };
    const { page } = browser;
    await signIn(page, server.url);
    await page.goto(`${server.url}/projects/${demo.id}/documents/${txt.id}`);
    const transcript = page.locator('.transcript-column');
    // Generous waits: drawing a whole transcript is slow on a busy 2-core machine.
    await expect.poll(() => transcript.textContent(), { timeout: 30_000 }).toContain('Théâtre des Lilas');
    await page.getByRole('checkbox', { name: 'Vue anonymisée' }).check();
    await page.locator('mark.pseudonym').first().waitFor();
    const shown = (await transcript.textContent()) ?? '';
    for (const name of REAL_NAMES) expect(shown).not.toContain(name);
    expect(shown).toContain('[théâtre A]');
    expect(await page.locator('mark.pseudonym', { hasText: 'P01' }).count()).toBeGreaterThan(0);
    await page.getByRole('checkbox', { name: 'Vue anonymisée' }).uncheck();
    await expect.poll(() => transcript.textContent(), { timeout: 30_000 }).toContain('Théâtre des Lilas');
    expect(browser.problems).toEqual([]);
  }, 120_000);
});
