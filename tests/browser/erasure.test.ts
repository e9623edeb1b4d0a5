/**
 * Withdrawal of consent in Chromium: a lead erases a participant of the demo study from the
 * participants page (a dialog that says what goes, that it cannot be undone, and waits for the
 * name), sees the receipt in the project's activity, then erases a document in English.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { findInFolder } from '../helpers/find-bytes.ts';
import { Client } from '../helpers/server.ts';
import { browserFixture, chromiumAvailable, screenshot } from './helpers.ts';

const available = chromiumAvailable();
const ADMIN = { username: 'camille.admin', password: 'un mot de passe solide' };

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Identifiant').fill(ADMIN.username);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();
}

describe.skipIf(!available)('erasing for good, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('erases a participant after the name is typed, and shows the receipt in the activity', async () => {
    const admin = new Client(() => server.url);
    expect((await admin.post('/api/auth/setup', ADMIN)).status).toBe(201);
    const demo = (await admin.post('/api/projects/demo')).body as { id: string };
    const { participants } = (await admin.get(`/api/projects/${demo.id}/participants`)).body as {
      participants: { id: string; name: string; pseudonym: string; documentIds: string[] }[];
    };
    const person = participants[0] as (typeof participants)[number];
    const { page } = browser;
    await signIn(page, server.url);
    await page.goto(`${server.url}/projects/${demo.id}/participants`);
    await page
      .getByRole('button', { name: `Effacer définitivement ${person.pseudonym} (retrait du consentement)` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Effacer définitivement ${person.name}` });
    await dialog.waitFor();
    await dialog.getByText('Cette action est définitive : elle ne peut pas être annulée.').waitFor();
    const confirm = dialog.getByRole('button', { name: 'Effacer définitivement' });
    const field = dialog.getByLabel(`Pour confirmer, saisissez exactement : ${person.name}`);
    expect(await confirm.isDisabled()).toBe(true);
    await field.fill(person.name.toLowerCase());
    expect(await confirm.isDisabled()).toBe(true);
    await field.fill(person.name);
    expect(await confirm.isEnabled()).toBe(true);
    expect((await new AxeBuilder({ page }).include('dialog').analyze()).violations).toEqual([]);
    await screenshot(page, 'erasure-dialog');
    await confirm.click();
    await page.getByRole('status').getByText('La personne a été effacée définitivement.').waitFor();
    await expect.poll(() => page.locator('table').textContent()).not.toContain(person.name);

    await page.goto(`${server.url}/projects/${demo.id}/review`);
    const activity = page.getByTestId('activity');
    await activity.getByText(/a effacé définitivement 1 participant·e, 1 document /).waitFor();
    await screenshot(page, 'erasure-activity');
    expect(await activity.textContent()).not.toContain(person.name);
    expect(await findInFolder(server.dataDir, [person.name])).toEqual([]);
  });

  it('erases a document from the project page, in English', async () => {
    const admin = new Client(() => server.url);
    expect((await admin.post('/api/auth/setup', ADMIN)).status).toBe(201);
    const demo = (await admin.post('/api/projects/demo')).body as { id: string };
    const { documents } = (await admin.get(`/api/projects/${demo.id}/documents`)).body as {
      documents: { id: string; name: string }[];
    };
    const document = documents[0] as { id: string; name: string };
    const { page } = browser;
    await signIn(page, server.url);
    await page.getByRole('button', { name: 'EN' }).click();
    await page.goto(`${server.url}/projects/${demo.id}`);
    await page.getByRole('button', { name: `Erase “${document.name}” permanently` }).click();
    const dialog = page.getByRole('dialog', { name: `Erase “${document.name}” permanently` });
    await dialog.getByText('This is permanent: it cannot be undone.').waitFor();
    await dialog.getByLabel(`To confirm, type exactly: ${document.name}`).fill(document.name);
    await screenshot(page, 'erasure-dialog-en');
    await dialog.getByRole('button', { name: 'Erase permanently' }).click();
    await page.getByRole('status').getByText('The document was erased permanently.').waitFor();
    await expect.poll(async () => page.locator(`[data-document="${document.name}"]`).count()).toBe(0);
    expect((await admin.get(`/api/projects/${demo.id}/documents/${document.id}`)).status).toBe(404);
  });
});
