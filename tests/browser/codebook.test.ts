/**
 * The codebook panel of the coding view, in a real Chromium: a nested codebook built, renamed,
 * recoloured, described and rearranged by drag and drop and by the keyboard; codes merged and
 * deleted with a count of what goes with them; a save refused when another lead saved first.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserFixture, chromiumAvailable, screenshot } from './helpers.ts';
import {
  buildStudy,
  codePointSpan,
  expectAccessible,
  openDocument,
  signIn,
  type Study,
} from './workbench-support.ts';

const available = chromiumAvailable();

/** The codes as the server has them, by name. */
async function serverCodes(study: Study) {
  const codes = (await study.admin.get(`/api/projects/${study.projectId}/codes`)).body.codes as {
    id: string;
    name: string;
    parentId: string | null;
    color: string;
    description: string;
    codings: number;
    version: number;
  }[];
  return Object.fromEntries(codes.map((c) => [c.name, c]));
}

async function createCode(page: Page, name: string, parent?: string): Promise<void> {
  const form = page.locator('form.code-form');
  await form.getByLabel('Nom du code').fill(name);
  if (parent) await form.getByLabel('Sous le code').selectOption({ label: parent });
  await form.getByRole('button', { name: 'Créer le code' }).click();
  await page.locator('.code-item:not(.provisional)', { hasText: name }).first().waitFor();
}

/** The codebook rows as drawn: name and depth (from the indentation). */
async function drawnTree(page: Page) {
  return page.locator('.code-item').evaluateAll((items) =>
    items.map((item) => ({
      name: item.querySelector('.code-name')?.textContent ?? '',
      depth: Math.round(Number.parseFloat((item as HTMLElement).style.paddingLeft || '0') / 1.25),
    })),
  );
}

describe.skipIf(!available)('the codebook panel, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('shows a parent code with its sub-codes’ codings, as the review tables count it', async () => {
    const study = await buildStudy(server, { Interopérabilité: '#f9b572', Ressaisie: '#ffd19a' });
    const base = `/api/projects/${study.projectId}`;
    const parent = study.codes['Interopérabilité'] as string;
    await study.admin.patch(`${base}/codes/${study.codes['Ressaisie']}`, { parentId: parent, version: 1 });
    for (const [start, end] of [
      [0, 10],
      [20, 30],
    ] as const) {
      const coded = await study.admin.post(`${base}/codings`, {
        documentId: study.documentId,
        codeId: study.codes['Ressaisie'],
        start,
        end,
      });
      expect(coded.status).toBe(201);
    }
    const frequencies = (await study.admin.get(`${base}/stats/frequencies`)).body.rows as {
      codeId: string;
      rollup?: { codings: number };
    }[];
    const rollup = frequencies.find((r) => r.codeId === parent)?.rollup?.codings;
    expect(rollup).toBe(2);

    const { page } = browser;
    await signIn(page, server.url, study.lead);
    await openDocument(page, study);
    const row = page.locator('.code-item').filter({
      has: page.locator('.code-name', { hasText: /^Interopérabilité$/ }),
    });
    await expect.poll(() => row.locator('.count').textContent()).toBe(String(rollup));
    expect(await row.locator('.count').getAttribute('title')).toBe(
      '0 codage de ce code, 2 avec ses sous-codes',
    );
  });

  it('builds a nested codebook: creates, renames, recolours, describes, and moves codes by drag and drop and by the keyboard', async () => {
    const study = await buildStudy(server);
    const { page } = browser;
    await signIn(page, server.url, study.lead);
    await openDocument(page, study);

    await createCode(page, 'Outils');
    await createCode(page, 'Tableurs', 'Outils');
    await createCode(page, 'Billeterie');
    await createCode(page, 'Formation');
    expect(await drawnTree(page)).toEqual([
      { name: 'Billeterie', depth: 0 },
      { name: 'Formation', depth: 0 },
      { name: 'Outils', depth: 0 },
      { name: 'Tableurs', depth: 1 },
    ]);

    // Rename (fixing the typo), recolour and describe « Billeterie ».
    await page.getByRole('button', { name: 'Billeterie (niveau 1)' }).click();
    const editor = page.getByRole('region', { name: 'Code « Billeterie »' });
    await editor.getByLabel('Nom', { exact: true }).fill('Billetterie');
    await editor.getByLabel('Couleur').fill('#1f6fb2');
    await editor.getByLabel('Définition').fill('Les logiciels de vente de billets.');
    await editor.getByLabel('Quand l’utiliser', { exact: true }).fill('Quand la personne parle de la vente.');
    await editor.getByLabel('Quand ne pas l’utiliser').fill('Pour la comptabilité.');
    await editor.getByLabel('Exemple (citation)').fill('« la billetterie ne parle à personne »');
    await screenshot(page, 'codebook-editing');
    await expectAccessible(page);
    await editor.getByRole('button', { name: 'Enregistrer le code' }).click();
    const renamed = page.getByRole('region', { name: 'Code « Billetterie »' });
    await renamed.getByText('Enregistré.').waitFor();
    const saved = (await serverCodes(study)).Billetterie;
    expect(saved).toMatchObject({ color: '#1f6fb2', version: 2 });
    expect(saved?.description).toBe(
      [
        'Définition : Les logiciels de vente de billets.',
        'Quand l’utiliser : Quand la personne parle de la vente.',
        'Quand ne pas l’utiliser : Pour la comptabilité.',
        'Exemple : « la billetterie ne parle à personne »',
      ].join('\n'),
    );
    await renamed.getByRole('button', { name: 'Fermer' }).click();

    // The editor is a wide dialog (its lists are not cut by the codebook column); Escape closes it
    // and gives focus back to the code's row.
    await page.getByRole('button', { name: 'Billetterie (niveau 1)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Code « Billetterie »' });
    await dialog.waitFor();
    expect(await dialog.evaluate((e) => e.getBoundingClientRect().width)).toBeGreaterThan(600);
    const parentSelect = dialog.getByLabel('Sous le code');
    expect(await parentSelect.evaluate((e) => e.scrollWidth <= e.clientWidth + 1)).toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Billetterie (niveau 1)',
    );

    // Drag « Billetterie » onto « Outils »: it becomes a sub-code.
    await page
      .getByRole('button', { name: 'Billetterie (niveau 1)' })
      .dragTo(page.locator('.code-item', { hasText: 'Outils' }).first().locator('.code-row'));
    await expect
      .poll(async () => (await serverCodes(study)).Billetterie?.parentId)
      .toBe((await serverCodes(study)).Outils?.id);
    await expect
      .poll(() => drawnTree(page))
      .toEqual([
        { name: 'Formation', depth: 0 },
        { name: 'Outils', depth: 0 },
        { name: 'Billetterie', depth: 1 },
        { name: 'Tableurs', depth: 1 },
      ]);

    // Keyboard: Alt+→ puts « Tableurs » under the code above it, Alt+← brings it back up.
    await page.getByRole('button', { name: 'Tableurs (niveau 2)' }).focus();
    await page.keyboard.press('Alt+ArrowRight');
    await expect
      .poll(async () => (await serverCodes(study)).Tableurs?.parentId)
      .toBe((await serverCodes(study)).Billetterie?.id);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Tableurs (niveau 3)');
    await page.keyboard.press('Alt+ArrowLeft');
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(async () => (await serverCodes(study)).Tableurs?.parentId).toBe(null);
    await expect
      .poll(() => drawnTree(page))
      .toEqual([
        { name: 'Formation', depth: 0 },
        { name: 'Outils', depth: 0 },
        { name: 'Billetterie', depth: 1 },
        { name: 'Tableurs', depth: 0 },
      ]);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Tableurs (niveau 1)');
    // Arrows move between codes; P pins the focused one.
    await page.keyboard.press('ArrowUp'); // Billetterie
    await page.keyboard.press('ArrowUp'); // Outils
    await page.keyboard.press('p');
    await expect
      .poll(() => page.getByRole('button', { name: /^Épingler/, pressed: true }).getAttribute('aria-label'))
      .toBe('Épingler « Outils »');

    // The filter ignores accents and keeps a match's parents.
    await page.getByPlaceholder('Filtrer le codebook').fill('BILLETTERIE');
    await expect
      .poll(() => drawnTree(page))
      .toEqual([
        { name: 'Outils', depth: 0 },
        { name: 'Billetterie', depth: 1 },
      ]);
    await page.getByPlaceholder('Filtrer le codebook').fill('formation');
    await expect.poll(() => drawnTree(page)).toEqual([{ name: 'Formation', depth: 0 }]);
    await page.getByPlaceholder('Filtrer le codebook').fill('');

    // The CSV export is reachable from the panel.
    await page.getByText('Importer / exporter (CSV)').click();
    const link = page.getByRole('link', { name: 'Télécharger le codebook (CSV)' });
    const csv = await page.request.get(`${server.url}${await link.getAttribute('href')}`);
    expect(await csv.text()).toContain('Billetterie,Outils,#1f6fb2');
    expect(browser.problems).toEqual([]);
  }, 120_000);

  it('merges a code into another and deletes one after saying how many codings it carries', async () => {
    const study = await buildStudy(server, {
      'Double saisie': '#c92a2a',
      'Redondance de saisie': '#e8590c',
      Formation: '#2b8a3e',
    });
    const base = `/api/projects/${study.projectId}`;
    const passage = codePointSpan('je ressaisis tout dans le logiciel de paie');
    for (const name of ['Double saisie', 'Redondance de saisie']) {
      await study.admin.post(`${base}/codings`, {
        documentId: study.documentId,
        codeId: study.codes[name],
        ...passage,
      });
    }
    await study.admin.post(`${base}/codings`, {
      documentId: study.documentId,
      codeId: study.codes['Double saisie'],
      ...codePointSpan('qu’on corrige à la main'),
    });
    for (const passageText of ['Personne n’a été formé', 'On apprend sur le tas', 'c’est épuisant']) {
      await study.admin.post(`${base}/codings`, {
        documentId: study.documentId,
        codeId: study.codes.Formation,
        ...codePointSpan(passageText),
      });
    }
    const { page } = browser;
    await signIn(page, server.url, study.lead);
    await openDocument(page, study);
    await page.locator('.transcript span.coded').first().waitFor();

    await page.getByRole('button', { name: 'Double saisie (niveau 1)' }).click();
    const editor = page.getByRole('region', { name: 'Code « Double saisie »' });
    await editor.getByLabel('Fusionner dans').selectOption({ label: 'Redondance de saisie' });
    await editor.getByRole('button', { name: 'Fusionner…' }).click();
    const confirmMerge = editor.getByRole('alertdialog', { name: 'Confirmer la fusion' });
    expect(await confirmMerge.textContent()).toContain('Ses 2 codages');
    await confirmMerge.getByRole('button', { name: 'Oui, fusionner' }).click();
    // One coding moved, the duplicate on the same passage collapsed; the counts follow.
    await page.locator('.code-item', { hasText: 'Double saisie' }).waitFor({ state: 'detached' });
    await expect
      .poll(() =>
        page.locator('.code-item', { hasText: 'Redondance de saisie' }).locator('.count').textContent(),
      )
      .toBe('2');
    await expect
      .poll(() => page.locator('[aria-live="polite"][aria-atomic="true"]').textContent())
      .toBe('« Double saisie » fusionné dans « Redondance de saisie » : 1 codage déplacé, 1 doublon réuni.');

    await page.getByRole('button', { name: 'Formation (niveau 1)' }).click();
    const formation = page.getByRole('region', { name: 'Code « Formation »' });
    await formation.getByRole('button', { name: 'Supprimer le code…' }).click();
    const confirmDelete = formation.getByRole('alertdialog', { name: 'Confirmer la suppression' });
    expect(await confirmDelete.textContent()).toContain(
      'Supprimer « Formation » ? Il porte 3 codages, qui seront supprimés aussi.',
    );
    await screenshot(page, 'codebook-delete-confirm');
    await confirmDelete.getByRole('button', { name: 'Oui, supprimer' }).click();
    await page.locator('.code-item', { hasText: 'Formation' }).waitFor({ state: 'detached' });
    await expect.poll(async () => Object.keys(await serverCodes(study))).toEqual(['Redondance de saisie']);
    await expect.poll(() => page.locator('.transcript .stripe').count()).toBe(2);
    expect(browser.problems).toEqual([]);
  }, 120_000);

  it('refuses a stale save with a 409 and says so, overwriting nothing', async () => {
    const study = await buildStudy(server, { Outils: '#1f6fb2' });
    const { page } = browser;
    await signIn(page, server.url, study.lead);
    await openDocument(page, study);
    await page.getByRole('button', { name: 'Outils (niveau 1)' }).click();
    const editor = page.getByRole('region', { name: 'Code « Outils »' });
    await editor.getByLabel('Définition').fill('Ma définition.');

    // Another lead saves the same code meanwhile (here through the API, as the same lead elsewhere).
    const other = await study.admin.patch(`/api/projects/${study.projectId}/codes/${study.codes.Outils}`, {
      description: 'La définition de l’autre responsable.',
      version: 1,
    });
    expect(other.status).toBe(200);
    // The live feed tells the editor before the save is even tried.
    await editor.getByText('Quelqu’un vient de modifier ce code.').waitFor();

    await editor.getByRole('button', { name: 'Enregistrer le code' }).click();
    const alert = editor.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain(
      'Enregistrement refusé : ce code a été modifié par quelqu’un d’autre',
    );
    await screenshot(page, 'codebook-conflict');
    const current = (await serverCodes(study)).Outils;
    expect(current).toMatchObject({ description: 'La définition de l’autre responsable.', version: 2 });

    // Reloading the current version, then saving, works.
    await alert.getByRole('button', { name: 'Recharger la version actuelle' }).click();
    await expect
      .poll(() => editor.getByLabel('Définition').inputValue())
      .toBe('La définition de l’autre responsable.');
    await editor.getByLabel('Définition').fill('Une définition commune.');
    await editor.getByRole('button', { name: 'Enregistrer le code' }).click();
    await editor.getByText('Enregistré.').waitFor();
    expect((await serverCodes(study)).Outils).toMatchObject({
      description: 'Une définition commune.',
      version: 3,
    });
    // The browser logs the refused request itself; nothing else may go wrong.
    expect(browser.problems.filter((p) => !p.includes('409'))).toEqual([]);
  }, 90_000);
});
