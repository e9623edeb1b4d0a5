/**
 * A name holding an invisible character, typed in the codebook's form, in a real Chromium: the
 * refusal names the field and the character (in French, then in English) and no code is created.
 */
import { describe, expect, it } from 'vitest';
import { browserFixture, chromiumAvailable, screenshot } from './helpers.ts';
import { buildStudy, openDocument, signIn } from './workbench-support.ts';

describe.skipIf(!chromiumAvailable())('a name with an invisible character, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('is refused by the code form with a message naming the field and the character', async () => {
    const study = await buildStudy(server);
    const { page } = browser;
    await signIn(page, server.url, study.lead);
    await openDocument(page, study);
    const form = page.locator('form.code-form');
    await form.getByLabel('Nom du code').fill('Coûts\u200b');
    await form.getByRole('button', { name: 'Créer le code' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'U+200B' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('name : Ce champ contient un caractère invisible (U+200B).');
    await screenshot(page, 'invisible-character-fr');
    const codes = (await study.admin.get(`/api/projects/${study.projectId}/codes`)).body.codes as {
      name: string;
    }[];
    expect(codes.map((c) => c.name)).not.toContain('Coûts\u200b');

    await page.evaluate(() => localStorage.setItem('verbatim.locale', 'en'));
    await page.reload();
    await page.locator('.transcript .block').first().waitFor();
    await form.getByLabel('Code name').fill('Costs\u202e');
    await form.getByRole('button', { name: 'Create the code' }).click();
    const english = page.getByRole('alert').filter({ hasText: 'U+202E' });
    await english.waitFor();
    expect(await english.textContent()).toContain('name: contains an invisible character (U+202E).');
    await screenshot(page, 'invisible-character-en');
  });
});
