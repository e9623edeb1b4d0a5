/**
 * Several coders at once, in real Chromium profiles: one coder's new coding and codebook changes
 * appear in the other's view without a reload, each sees who else has the document open, and undo
 * and redo go through the server's log, so they survive a reload.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  browserFixture,
  chromiumAvailable,
  dragSelect,
  launchBrowser,
  screenshot,
  type Browser,
} from './helpers.ts';
import { buildStudy, codePointSpan, openDocument, serverCodings, signIn } from './workbench-support.ts';

const available = chromiumAvailable();

describe.skipIf(!available)('coding together, in Chromium', () => {
  const { server, browser: lead } = browserFixture();
  let coder: Browser;

  beforeEach(async () => {
    coder = await launchBrowser();
  });

  afterEach(async () => {
    await coder?.close();
  });

  it('shows a coder’s new coding and code to the other live, and who else has the document open', async () => {
    const study = await buildStudy(server, { 'Redondance de saisie': '#c92a2a' });
    await signIn(lead.page, server.url, study.lead);
    await signIn(coder.page, server.url, study.coder);
    await openDocument(lead.page, study);
    await openDocument(coder.page, study);

    // Presence: each sees the other on this document.
    await lead.page.locator('.presence-list', { hasText: 'Nadia Benali' }).waitFor();
    await coder.page.locator('.presence-list', { hasText: 'camille' }).waitFor();

    // Nadia codes a passage with the mouse; Camille sees it appear, with Nadia named as its coder.
    const passage = codePointSpan('je ressaisis tout dans le logiciel de paie');
    await dragSelect(coder.page, passage.start, passage.end);
    const picker = coder.page.getByRole('dialog', { name: 'Coder le passage' });
    await picker.waitFor();
    await coder.page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    const seen = lead.page.locator('.transcript span.coded').first();
    await seen.waitFor({ timeout: 5000 });
    expect(await seen.getAttribute('title')).toBe('Redondance de saisie (Nadia Benali)');
    await expect
      .poll(() =>
        lead.page.locator('.code-item', { hasText: 'Redondance de saisie' }).locator('.count').textContent(),
      )
      .toBe('1');

    // Nadia adds a code: it appears in Camille's codebook.
    const form = coder.page.locator('form.code-form');
    await form.getByLabel('Nom du code').fill('Bricolages');
    await form.getByRole('button', { name: 'Créer le code' }).click();
    await lead.page.locator('.code-item', { hasText: 'Bricolages' }).waitFor({ timeout: 5000 });

    // Camille's filter « my codings » hides Nadia's; « Nadia Benali » shows them again.
    await lead.page.getByLabel('Codages affichés').selectOption({ label: 'Mes codages' });
    await expect.poll(() => lead.page.locator('.transcript span.coded').count()).toBe(0);
    await lead.page.getByLabel('Codages affichés').selectOption({ label: 'Nadia Benali' });
    await expect.poll(() => lead.page.locator('.transcript span.coded').count()).toBe(1);
    await screenshot(lead.page, 'collaboration-lead-view');

    // When Nadia leaves, Camille's presence list empties.
    await coder.page.goto(`${server.url}/`);
    await lead.page.locator('.presence-list').waitFor({ state: 'detached' });
    expect(lead.problems).toEqual([]);
    expect(coder.problems).toEqual([]);
  }, 120_000);

  it('shows a memo saved by the other beside the one being written, overwriting neither', async () => {
    const study = await buildStudy(server, { 'Redondance de saisie': '#c92a2a' });
    await signIn(lead.page, server.url, study.lead);
    await signIn(coder.page, server.url, study.coder);
    await openDocument(lead.page, study);
    await openDocument(coder.page, study);
    const memoOf = (page: typeof lead.page) => page.locator('details.document-memo');
    for (const page of [lead.page, coder.page]) {
      await memoOf(page).locator('summary').click();
      await memoOf(page).getByLabel('Notes sur cet entretien').waitFor();
    }
    // Both start writing on the empty memo; Nadia saves first.
    await memoOf(lead.page).getByLabel('Notes sur cet entretien').fill('Camille : entretien très riche.');
    await memoOf(coder.page).getByLabel('Notes sur cet entretien').fill('Nadia : relu le 12 mars.');
    await memoOf(coder.page).getByRole('button', { name: 'Enregistrer le mémo' }).click();
    await memoOf(coder.page).getByRole('status').filter({ hasText: 'Mémo enregistré.' }).waitFor();
    // Camille's text stays as she wrote it, with Nadia's shown under it.
    const changed = memoOf(lead.page).locator('.memo-changed');
    await changed.waitFor({ timeout: 5000 });
    expect(await changed.locator('.memo-text').textContent()).toBe('Nadia : relu le 12 mars.');
    expect(await memoOf(lead.page).getByLabel('Notes sur cet entretien').inputValue()).toBe(
      'Camille : entretien très riche.',
    );
    await screenshot(lead.page, 'collaboration-memo-changed');
    // Having read it, Camille keeps both and saves.
    await memoOf(lead.page)
      .getByLabel('Notes sur cet entretien')
      .fill('Nadia : relu le 12 mars.\nCamille : entretien très riche.');
    await memoOf(lead.page).getByRole('button', { name: 'Enregistrer le mémo' }).click();
    await memoOf(lead.page).getByRole('status').filter({ hasText: 'Mémo enregistré.' }).waitFor();
    await expect
      .poll(() => memoOf(coder.page).getByLabel('Notes sur cet entretien').inputValue())
      .toBe('Nadia : relu le 12 mars.\nCamille : entretien très riche.');
    expect(lead.problems).toEqual([]);
    expect(coder.problems).toEqual([]);
  }, 120_000);

  it('undoes and redoes through the server, so an undo survives a reload and reaches the others', async () => {
    const study = await buildStudy(server, { Formation: '#2b8a3e' });
    await signIn(coder.page, server.url, study.coder);
    await signIn(lead.page, server.url, study.lead);
    await openDocument(coder.page, study);
    await openDocument(lead.page, study);
    const page = coder.page;

    const passage = codePointSpan('Personne n’a été formé');
    await dragSelect(page, passage.start, passage.end);
    await page.getByRole('dialog', { name: 'Coder le passage' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await serverCodings(study)).length).toBe(1);
    await lead.page.locator('.transcript span.coded').waitFor();

    // Ctrl+Z undoes the coding on the server; the lead sees it go.
    await page.locator('.transcript .block[tabindex="0"]').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await serverCodings(study)).length).toBe(0);
    await expect.poll(() => page.locator('.transcript span.coded').count()).toBe(0);
    await expect.poll(() => lead.page.locator('.transcript span.coded').count()).toBe(0);

    // After a reload the undo is still there, and redo (the button) brings the coding back.
    await page.reload();
    await page.locator('.transcript .block').first().waitFor();
    expect(await page.locator('.transcript span.coded').count()).toBe(0);
    await page.getByRole('button', { name: 'Rétablir' }).click();
    await expect.poll(() => page.locator('.transcript span.coded').count()).toBe(1);
    await expect.poll(async () => (await serverCodings(study)).length).toBe(1);
    await expect.poll(() => lead.page.locator('.transcript span.coded').count()).toBe(1);

    // Ctrl+Shift+Z after another undo, from the keyboard, across a reload too.
    await page.getByRole('button', { name: 'Annuler l’action' }).click();
    await expect.poll(async () => (await serverCodings(study)).length).toBe(0);
    await page.reload();
    await page.locator('.transcript .block').first().waitFor();
    await page.locator('.transcript .block[tabindex="0"]').focus();
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(async () => (await serverCodings(study)).length).toBe(1);
    await expect.poll(() => page.locator('.transcript span.coded').count()).toBe(1);
    expect(coder.problems).toEqual([]);
    expect(lead.problems).toEqual([]);
  }, 120_000);
});
