/**
 * Administering a study from the interface, in a real Chromium: a lead renames a document, deletes
 * it and brings it back from the notice, renames the project, then deletes the project after
 * typing its name; each step is what the API then says, with no accessibility violation.
 */
import { describe, expect, it } from 'vitest';
import { browserFixture, chromiumAvailable, screenshot } from './helpers.ts';
import { wav } from '../helpers/wav.ts';
import { buildStudy, codePointSpan, expectAccessible, signIn } from './workbench-support.ts';

describe.skipIf(!chromiumAvailable())('administering a study from the interface, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('renames and deletes a document (undoably), renames and deletes the project (for good)', async () => {
    const study = await buildStudy(server, { Outils: '#1f6fb2' });
    const base = `/api/projects/${study.projectId}`;
    await study.admin.post(`${base}/codings`, {
      documentId: study.documentId,
      codeId: study.codes.Outils,
      ...codePointSpan('j’exporte un tableur énorme'),
    });
    const { page } = browser;
    await signIn(page, server.url, study.lead);
    await page.goto(study.url(`/projects/${study.projectId}`));

    // Rename the document.
    await page.getByRole('button', { name: 'Renommer « nadia.txt »' }).click();
    const input = page.getByLabel('Nouveau nom de « nadia.txt »');
    await input.fill('Entretien 3 — Nadia');
    await input.press('Enter');
    await page.getByRole('link', { name: 'Entretien 3 — Nadia' }).waitFor();
    expect((await study.admin.get(`${base}/documents/${study.documentId}`)).body.name).toBe(
      'Entretien 3 — Nadia',
    );

    // Delete it: one change, which the notice undoes.
    await page.getByRole('button', { name: 'Supprimer « Entretien 3 — Nadia » (annulable)' }).click();
    const notice = page.getByRole('status').filter({ hasText: 'supprimé' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('« Entretien 3 — Nadia » supprimé avec son codage.');
    expect((await study.admin.get(`${base}/documents/${study.documentId}`)).status).toBe(404);
    await expectAccessible(page);
    await screenshot(page, 'document-deleted');
    await notice.getByRole('button', { name: 'Annuler la suppression' }).click();
    await page.getByRole('link', { name: 'Entretien 3 — Nadia' }).waitFor();
    expect(
      (await study.admin.get(`${base}/codings?documentId=${study.documentId}`)).body.codings,
    ).toHaveLength(1);

    // The history tells it all, newest first, and filters by kind.
    await page.getByRole('link', { name: 'Historique' }).click();
    await page.getByRole('heading', { name: 'Historique du projet', level: 1 }).waitFor();
    const entries = page.locator('.history-entries li span');
    await expect
      .poll(() => entries.allTextContents())
      .toEqual(
        expect.arrayContaining([
          'camille a rétabli le document Entretien 3 — Nadia (annulation)',
          'camille a supprimé le document Entretien 3 — Nadia',
          'camille a renommé le document nadia.txt en Entretien 3 — Nadia',
        ]),
      );
    expect((await entries.allTextContents())[0]).toContain('a rétabli le document');
    await page.getByLabel('Genre de changement').selectOption({ label: 'Codes' });
    await expect.poll(() => entries.allTextContents()).toEqual(['camille a créé le code « Outils »']);
    await expectAccessible(page);
    await screenshot(page, 'history');
    await page.goto(study.url(`/projects/${study.projectId}`));

    // Undo in the coding view names what it undid.
    await page.getByRole('link', { name: 'Entretien 3 — Nadia' }).click();
    await page.locator('.transcript .block').first().waitFor();
    await page.getByRole('button', { name: '↶ Annuler l’action' }).click();
    await expect
      .poll(() => page.locator('.reversal').textContent())
      .toBe('Annulé : camille a renommé le document nadia.txt en Entretien 3 — Nadia');
    await page.getByRole('heading', { name: 'nadia.txt', level: 1 }).waitFor();
    await page.goto(study.url(`/projects/${study.projectId}`));
    await page.getByRole('button', { name: 'Annuler la suppression' }).waitFor({ state: 'detached' });

    // The memos page gathers the coding's memo, with its passage, and finds it without accents.
    await study.admin.patch(
      `${base}/codings/${(await study.admin.get(`${base}/codings?documentId=${study.documentId}`)).body.codings[0].id}`,
      { memo: 'Lien avec la paie : à vérifier.' },
    );
    await page.getByRole('link', { name: 'Mémos' }).click();
    await page.getByRole('heading', { name: 'Mémos du projet', level: 1 }).waitFor();
    await page.getByLabel('Rechercher dans les mémos').fill('VERIFIER');
    await page.locator('.memo-entries li').first().waitFor();
    expect(await page.locator('.memo-entries li .memo-text').allTextContents()).toEqual([
      'Lien avec la paie : à vérifier.',
    ]);
    expect(await page.locator('.memo-entries li .memo-quote').textContent()).toBe(
      'j’exporte un tableur énorme',
    );
    await expectAccessible(page);
    await screenshot(page, 'memos');
    await page.goto(study.url(`/projects/${study.projectId}`));

    // Attach a recording to the document: the coding view then has its player; remove it again.
    await page.getByLabel('Enregistrement audio ou vidéo de « nadia.txt »').setInputFiles({
      name: 'nadia.wav',
      mimeType: 'audio/wav',
      buffer: Buffer.from(wav(1)),
    });
    await page.getByText(/^Enregistrement : nadia\.wav \(\d+ Ko\)$/).waitFor();
    expect((await study.admin.get(`${base}/documents/${study.documentId}`)).body.media).toMatchObject({
      name: 'nadia.wav',
      type: 'audio/wav',
    });
    await page.getByRole('link', { name: 'nadia.txt' }).click();
    await page.locator('audio').waitFor({ state: 'attached' });
    await page.goto(study.url(`/projects/${study.projectId}`));
    await page.getByRole('button', { name: 'Retirer l’enregistrement de « nadia.txt » (annulable)' }).click();
    await page.getByText('Ajouter un enregistrement').waitFor();
    await expect
      .poll(async () => (await study.admin.get(`${base}/documents/${study.documentId}`)).body.media)
      .toBeUndefined();

    // Rename the project, in its settings.
    await page.getByRole('link', { name: 'Réglages' }).click();
    await page.getByRole('heading', { name: 'Nom et suppression du projet' }).waitFor();
    await page.getByLabel('Nom du projet').fill('Billetterie et publics');
    await page.getByRole('button', { name: 'Renommer le projet' }).click();
    await page.getByText('Projet renommé.').waitFor();
    expect((await study.admin.get(base)).body.name).toBe('Billetterie et publics');
    await expectAccessible(page);

    // Delete it: the dialog says what goes and waits for the exact name.
    await page.getByRole('button', { name: 'Supprimer le projet…' }).click();
    const dialog = page.getByRole('dialog', {
      name: 'Supprimer définitivement le projet « Billetterie et publics »',
    });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('tout le projet');
    const confirm = dialog.getByRole('button', { name: 'Effacer définitivement' });
    await dialog.getByRole('textbox').fill('Billetterie');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByRole('textbox').fill('Billetterie et publics');
    await screenshot(page, 'project-delete-dialog');
    await confirm.click();
    await page.waitForURL(`${server.url}/`);
    expect((await study.admin.get(base)).status).toBe(404);
    expect(browser.problems).toEqual([]);
  }, 120_000);
});
