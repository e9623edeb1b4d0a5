/**
 * When the server refuses a coding, the passage is not left highlighted as if it were saved, and
 * the researcher reads why, in French.
 */
import { describe, expect, it } from 'vitest';
import { Client } from '../helpers/server.ts';
import { browserFixture, chromiumAvailable, dragSelect } from './helpers.ts';

const TEXT =
  'Enquêteur : Comment vivez-vous le télétravail ?\nNadia Benali : Plutôt bien, même si l’isolement me pèse parfois.';

const available = chromiumAvailable();

describe.skipIf(!available)('a refused coding, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('rolls the highlight back and shows the server’s French message when a coder was demoted meanwhile', async () => {
    const admin = new Client(() => server.url);
    await admin.post('/api/auth/setup', { username: 'admin', password: 'mot de passe admin' });
    const nadia = (await admin.post('/api/users', { username: 'nadia', password: 'mot de passe nadia' })).body
      .user;
    const project = (await admin.post('/api/projects', { name: 'Télétravail' })).body;
    await admin.put(`/api/projects/${project.id}/members/${nadia.id}`, { role: 'coder' });
    const document = (
      await admin.post(`/api/projects/${project.id}/documents`, { name: 'nadia.txt', text: TEXT })
    ).body.documents[0];
    await admin.post(`/api/projects/${project.id}/codes`, { name: 'Isolement', color: '#c92a2a' });

    const { page } = browser;
    await page.goto(`${server.url}/projects/${project.id}/documents/${document.id}`);
    await page.waitForURL('**/login');
    await page.getByLabel('Identifiant').fill('nadia');
    await page.getByLabel('Mot de passe').fill('mot de passe nadia');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();
    await page.goto(`${server.url}/projects/${project.id}/documents/${document.id}`);
    await page.locator('.transcript .block').first().waitFor();

    // The lead lowers Nadia to viewer while her page still offers coding.
    await admin.put(`/api/projects/${project.id}/members/${nadia.id}`, { role: 'viewer' });

    const passage = 'l’isolement me pèse';
    const start = [...TEXT.slice(0, TEXT.indexOf(passage))].length;
    await dragSelect(page, start, start + [...passage].length);
    await page.getByRole('dialog', { name: 'Coder le passage' }).waitFor();
    await page.keyboard.press('Enter');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Cette action est réservée aux codeurs et responsables.');
    await expect.poll(() => page.locator('.transcript span.coded').count()).toBe(0);
    await expect
      .poll(() => page.locator('.code-item', { hasText: 'Isolement' }).locator('.count').textContent())
      .toBe('0');
    expect((await admin.get(`/api/projects/${project.id}/codings`)).body.codings).toEqual([]);
    // The browser logs the refused request itself; nothing else may go wrong.
    expect(browser.problems.filter((p) => !p.includes('403'))).toEqual([]);
  }, 60_000);

  it('tells a viewer that the document is read-only and offers no code picker', async () => {
    const admin = new Client(() => server.url);
    await admin.post('/api/auth/setup', { username: 'admin', password: 'mot de passe admin' });
    const viewer = (await admin.post('/api/users', { username: 'lea', password: 'mot de passe léa' })).body
      .user;
    const project = (await admin.post('/api/projects', { name: 'Télétravail' })).body;
    await admin.put(`/api/projects/${project.id}/members/${viewer.id}`, { role: 'viewer' });
    const document = (
      await admin.post(`/api/projects/${project.id}/documents`, { name: 'nadia.txt', text: TEXT })
    ).body.documents[0];

    const { page } = browser;
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Identifiant').fill('lea');
    await page.getByLabel('Mot de passe').fill('mot de passe léa');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();
    await page.goto(`${server.url}/projects/${project.id}/documents/${document.id}`);
    await page.getByText('Lecture seule : votre rôle ne permet pas de coder.').waitFor();
    await dragSelect(page, 0, 10);
    await page.waitForTimeout(200);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.getByLabel('Nom du code').count()).toBe(0);
    expect(browser.problems).toEqual([]);
  }, 60_000);
});
