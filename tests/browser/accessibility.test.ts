/**
 * Every page of the application audited with axe-core in a real Chromium: no serious or critical
 * violation (WCAG 2.1 AA contrast, names, roles), from the first set-up to the coding view with its
 * picker and a coding's details open. The project settings page is used along the way.
 */
import { describe, expect, it } from 'vitest';
import { browserFixture, chromiumAvailable, dragSelect, screenshot } from './helpers.ts';
import { buildStudy, codePointSpan, expectAccessible, openDocument, signIn } from './workbench-support.ts';

const available = chromiumAvailable();

describe.skipIf(!available)('accessibility of every page, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('has no serious violation on the set-up page of a new instance', async () => {
    const { page } = browser;
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Bienvenue dans Verbatim' }).waitFor();
    await expectAccessible(page);
    expect(browser.problems).toEqual([]);
  }, 60_000);

  it('has no serious violation on any page a lead visits, and lets the lead edit the interviewer labels', async () => {
    const study = await buildStudy(server, { Outils: '#1f6fb2', Formation: '#2b8a3e' });
    await study.admin.post(`/api/projects/${study.projectId}/codings`, {
      documentId: study.documentId,
      codeId: study.codes.Outils,
      ...codePointSpan('j’exporte un tableur énorme'),
    });
    const { page } = browser;
    const base = `/projects/${study.projectId}`;

    await page.goto(`${server.url}/login`);
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await expectAccessible(page);

    await signIn(page, server.url, study.lead);
    await page.getByRole('link', { name: 'Billetterie' }).waitFor();
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Billetterie' }).click();
    await page.getByRole('heading', { name: 'Billetterie', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'nadia.txt' }).waitFor();
    await expectAccessible(page);

    await page.goto(study.url(`${base}/import`));
    await page.getByRole('heading', { name: 'Importer des transcriptions', level: 1 }).waitFor();
    await expectAccessible(page);

    await page.goto(study.url(`${base}/participants`));
    await page.getByRole('heading', { name: 'Participant·es', level: 1 }).waitFor();
    await expectAccessible(page);

    await page.goto(study.url('/admin/users'));
    await page.getByRole('heading', { name: 'Utilisateurs', level: 1 }).waitFor();
    await page.getByText('nadia').first().waitFor();
    await expectAccessible(page);

    // The settings page, reached from the project page.
    await page.goto(study.url(base));
    await page.getByRole('link', { name: 'Réglages' }).click();
    await page.getByRole('heading', { name: 'Réglages du projet', level: 1 }).waitFor();
    const labels = page.getByLabel('Noms de l’enquêteur·rice (un par ligne)');
    await expect.poll(() => labels.inputValue()).toContain('Enquêtrice');
    await expectAccessible(page);
    await labels.fill('Enquêtrice\nNadia Benali\n\nnadia benali');
    await page.getByRole('button', { name: 'Enregistrer les réglages' }).click();
    await page.getByText('Réglages enregistrés.').waitFor();
    await screenshot(page, 'settings');
    const settings = await study.admin.get(`/api/projects/${study.projectId}/settings`);
    expect(settings.body.interviewerLabels).toEqual(['Enquêtrice', 'Nadia Benali']);

    // The coding view: Nadia's turns are now the « interviewer's »; then picker and details open.
    await openDocument(page, study);
    await expect.poll(() => page.locator('.block.interviewer').count()).toBe(4);
    await expectAccessible(page);
    const passage = codePointSpan('On apprend sur le tas');
    await dragSelect(page, passage.start, passage.end);
    await page.getByRole('dialog', { name: 'Coder le passage' }).waitFor();
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await page.locator('.transcript span.coded').first().click();
    await page.getByRole('dialog', { name: 'Codages de ce passage' }).waitFor();
    await expectAccessible(page);
    expect(browser.problems).toEqual([]);
  }, 120_000);

  it('has no serious violation in the coding view of a coder, with a code opened', async () => {
    const study = await buildStudy(server, { Outils: '#1f6fb2' });
    const { page } = browser;
    await signIn(page, server.url, study.coder);
    await openDocument(page, study);
    await page.getByRole('button', { name: 'Outils (niveau 1)' }).click();
    await page.getByRole('region', { name: 'Code « Outils »' }).waitFor();
    await expectAccessible(page);
    expect(browser.problems).toEqual([]);
  }, 60_000);
});
