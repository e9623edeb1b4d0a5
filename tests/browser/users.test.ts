/**
 * The administrator manages the team's accounts on the Users page, in a real Chromium: creates an
 * account, renames it, disables it (its open session ends at once), sets it a new password and
 * enables it again.
 */
import { describe, expect, it } from 'vitest';
import { Client } from '../helpers/server.ts';
import { browserFixture, chromiumAvailable, screenshot } from './helpers.ts';
import { expectAccessible } from './workbench-support.ts';

const available = chromiumAvailable();

describe.skipIf(!available)('the Users page', () => {
  const { server, browser } = browserFixture();

  it('renames, disables, gives a new password to and enables an account', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.waitForURL('**/setup');
    await page.getByLabel('Identifiant').fill('admin');
    await page.getByLabel('Mot de passe').fill('un mot de passe solide');
    await page.getByRole('button', { name: 'Créer le compte administrateur' }).click();
    await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();

    await page.getByRole('link', { name: 'Utilisateurs' }).click();
    const creation = page.getByRole('region', { name: 'Créer le compte' });
    await creation.getByLabel('Identifiant').fill('camille');
    await creation.getByLabel('Mot de passe').fill('secret-camille');
    await page.getByRole('button', { name: 'Créer le compte' }).click();
    await page.getByText('Compte « camille » créé.').waitFor();

    const camille = new Client(() => server.url);
    expect(
      (await camille.post('/api/auth/login', { username: 'camille', password: 'secret-camille' })).status,
    ).toBe(200);

    const row = page.locator('.member-list li', { hasText: 'camille' });
    await row.getByText('Gérer le compte camille').click();
    await row.getByLabel('Nom affiché').fill('Camille Durand');
    await row.getByLabel('Compte désactivé').check();
    await row.getByRole('button', { name: 'Enregistrer' }).click();
    await row.getByText('Compte enregistré.').waitFor();
    await row.locator('.badge.disabled').waitFor();
    await expect.poll(async () => row.locator('.member-name').textContent()).toBe('Camille Durand (camille)');
    expect((await camille.get('/api/auth/me')).status).toBe(401);
    await screenshot(page, 'users-disabled');
    await expectAccessible(page); // with an editor open, a notice and the « désactivé » badge

    await row.getByLabel('Nouveau mot de passe').fill('un-nouveau-secret');
    await row.getByRole('button', { name: 'Définir le mot de passe' }).click();
    await row.getByText('Mot de passe changé').waitFor();
    await row.getByLabel('Compte désactivé').uncheck();
    await row.getByRole('button', { name: 'Enregistrer' }).click();
    await expect.poll(async () => row.locator('.badge.disabled').count()).toBe(0);
    expect(
      (await camille.post('/api/auth/login', { username: 'camille', password: 'secret-camille' })).status,
    ).toBe(401);
    expect(
      (await camille.post('/api/auth/login', { username: 'camille', password: 'un-nouveau-secret' })).status,
    ).toBe(200);

    // The last administrator cannot remove their own rights: the page says why.
    const me = page.locator('.member-list li', { hasText: 'admin' }).first();
    await me.getByText('Gérer le compte admin').click();
    await me.getByLabel('Administrateur·rice de l’instance').uncheck();
    await me.getByRole('button', { name: 'Enregistrer' }).click();
    await me.getByRole('alert').getByText('au moins un administrateur actif').waitFor();
    expect(await me.getByLabel('Administrateur·rice de l’instance').isChecked()).toBe(true);
    await screenshot(page, 'users-last-admin');
    // The refused change is the one error the browser logs (its 409 answer), and nothing else.
    expect(browser.problems).toEqual([
      'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
  });
});
