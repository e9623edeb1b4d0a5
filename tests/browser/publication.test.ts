/**
 * Publishing safely, in Chromium: the export page says which attributes are cited and why, the lead
 * accepts the suggestions in one click, the check before publishing lists what is left, in French
 * and in English; the report downloaded names nobody.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { foldForComparison } from '../../shared/text.ts';
import { buildPublicationStudy, IDENTIFYING } from '../api/publication-study.ts';
import { Client } from '../helpers/server.ts';
import { zipTexts } from '../server/export/fixture.ts';
import { browserFixture, chromiumAvailable, screenshot } from './helpers.ts';

const available = chromiumAvailable();
const ADMIN = { username: 'lea.admin', password: 'un mot de passe solide' };

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Identifiant').fill(ADMIN.username);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();
}

describe.skipIf(!available)('publishing testimonies, in Chromium', () => {
  const { server, browser } = browserFixture({ width: 1280, height: 1400 });
  let admin: Client;
  let pid: string;

  beforeEach(async () => {
    admin = new Client(() => server.url);
    expect((await admin.post('/api/auth/setup', ADMIN)).status).toBe(201);
    ({ pid } = await buildPublicationStudy(admin));
  });

  it('shows why attributes are cited, accepts every suggestion, lists what is left, exports nobody', async () => {
    const { page } = browser;
    await signIn(page, server.url);
    await page.goto(`${server.url}/projects/${pid}/export`);
    await page.getByRole('heading', { name: 'Exporter les verbatims', level: 1 }).waitFor();

    // Cited: only the attribute whose values are shared; the others say why not.
    await expect
      .poll(() => page.getByTestId('cite-reason-structure').textContent())
      .toContain('non publiable');
    expect(await page.getByRole('checkbox', { name: /^structure/ }).isDisabled()).toBe(true);
    expect(await page.getByRole('checkbox', { name: /^région/ }).isChecked()).toBe(true);

    // The check lists the third parties before anything is accepted.
    const check = page.getByTestId('publication-check');
    await expect.poll(() => check.textContent(), { timeout: 20_000 }).toContain('Haddad');
    expect(await check.textContent()).toContain('contact@tilleuls-exemple.org');

    await page.getByRole('button', { name: /^Tout accepter/ }).scrollIntoViewIfNeeded();
    await screenshot(page, 'publication-suggestions');
    await page.getByRole('button', { name: /^Tout accepter/ }).click();
    await page.getByText('Liste enregistrée.').waitFor();
    const list = (await admin.get(`/api/projects/${pid}/replacements`)).body.replacements as {
      from: string;
    }[];
    expect(list.map((r) => r.from)).toEqual(
      expect.arrayContaining(['Hugo Bertin', 'Sami Haddad', 'Brévilly']),
    );
    // Each accepted name keeps its kind, shown and editable in the list.
    await expect.poll(() => page.getByLabel('Nom réel 1').inputValue()).toBe('Hugo Bertin');
    expect(await page.getByLabel('Type 1').inputValue()).toBe('person');
    await expect.poll(() => check.textContent(), { timeout: 20_000 }).not.toContain('Haddad');
    expect(await check.textContent()).toContain('12/03/1978');
    await screenshot(page, 'publication-check');

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Rapport Word (.docx)' }).click();
    const bytes = new Uint8Array(await readFile((await (await downloading).path()) as string));
    const everything = foldForComparison(Object.values(zipTexts(bytes)).join('\n'));
    for (const name of [
      'Élodie Marchand',
      'Hugo Bertin',
      'Théâtre des Tilleuls',
      'Saint-Aubin',
      'Brévilly',
    ]) {
      expect(IDENTIFYING).toContain(name);
      expect(everything).not.toContain(foldForComparison(name));
    }

    const audit = await new AxeBuilder({ page }).analyze();
    const serious = audit.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    expect(browser.problems).toEqual([]);
  }, 120_000);

  it('speaks English, and the lead marks an attribute publishable on the participants page', async () => {
    const { page } = browser;
    await signIn(page, server.url);
    await page.getByRole('button', { name: 'EN' }).click();
    await page.goto(`${server.url}/projects/${pid}/participants`);
    const publish = page.getByRole('combobox', { name: 'In published citations' }).first();
    await publish.waitFor();
    await publish.selectOption('yes');
    await page.getByRole('button', { name: 'Save the attributes' }).click();
    await page.getByText('Attributes saved.').waitFor();
    await screenshot(page, 'publication-attributes-en');
    const defs = (await admin.get(`/api/projects/${pid}/attributes`)).body.attributes as {
      name: string;
      publish?: boolean;
    }[];
    expect(defs.find((d) => d.name === 'structure')?.publish).toBe(true);

    await page.goto(`${server.url}/projects/${pid}/export`);
    await page.getByRole('heading', { name: 'Check before publishing' }).waitFor();
    await expect
      .poll(() => page.getByTestId('cite-reason-structure').textContent())
      .toContain('marked publishable');
    await expect
      .poll(() => page.getByTestId('publication-check').textContent(), { timeout: 20_000 })
      .toContain('possible name');
    await page.getByRole('button', { name: 'Dismiss “Hugo Bertin”' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Accept “Hugo Bertin”' }).count()).toBe(0);
    await screenshot(page, 'publication-check-en');
    expect(browser.problems).toEqual([]);
  }, 120_000);
});
