/**
 * The coding view as a researcher's workbench, in a real Chromium: coding with the mouse and with
 * the keyboard alone, overlapping codings drawn as margin bars, a coding's details edited, undo and
 * redo that survive a reload. No console error, no CSP violation, no serious accessibility issue.
 */
import { describe, expect, it } from 'vitest';
import { browserFixture, chromiumAvailable, dragSelect, screenshot } from './helpers.ts';
import {
  buildStudy,
  codePointSpan,
  expectAccessible,
  openDocument,
  serverCodings,
  signIn,
  TRANSCRIPT,
} from './workbench-support.ts';

const available = chromiumAvailable();

describe.skipIf(!available)('the coding workbench, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('codes with the mouse (snapping to words) and with the keyboard alone, and draws overlaps as margin bars', async () => {
    const study = await buildStudy(server, {
      'Redondance de saisie': '#c92a2a',
      'Exports et bricolages': '#1f6fb2',
      'Formation et compétences': '#2b8a3e',
    });
    const { page } = browser;
    await signIn(page, server.url, study.lead);
    await openDocument(page, study);

    // Mouse: a drag that starts and ends inside words is widened to whole words.
    const passage = codePointSpan('ressaisis tout dans le logiciel de paie');
    await dragSelect(page, passage.start + 2, passage.end - 1);
    const picker = page.getByRole('dialog', { name: 'Coder le passage' });
    await picker.waitFor();
    expect(await picker.locator('.excerpt').textContent()).toBe(
      '« ressaisis tout dans le logiciel de paie »',
    );
    await picker.getByRole('combobox').fill('redondance');
    await expect.poll(() => picker.getByRole('option').count()).toBe(1);
    await screenshot(page, 'workbench-picker');
    await expectAccessible(page);
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.locator('[aria-live="polite"][aria-atomic="true"]').textContent())
      .toBe('Codé : Redondance de saisie');
    await expect.poll(async () => (await serverCodings(study)).length).toBe(1);
    expect((await serverCodings(study))[0]).toMatchObject({
      ...passage,
      codeId: study.codes['Redondance de saisie'],
    });

    // Pin « Exports et bricolages » as key 1 in the codebook.
    await page.getByRole('button', { name: 'Épingler « Exports et bricolages »' }).click();
    await expect
      .poll(() => page.getByRole('button', { name: 'Épingler « Exports et bricolages »' }).textContent())
      .toBe('1');

    // Keyboard only, from a fresh page: Tab from the toolbar into the transcript, down to Nadia's
    // turn, select words with Shift+arrows.
    await openDocument(page, study);
    await page.getByRole('button', { name: 'Raccourcis (?)' }).focus();
    await page.keyboard.press('Tab');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Paragraphe');
    await page.keyboard.press('ArrowDown'); // the interviewer's question
    await page.keyboard.press('ArrowDown'); // Nadia's first answer
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Nadia Benali');
    await page.keyboard.press('ArrowRight'); // « Le »
    await page.keyboard.press('ArrowRight'); // « matin »
    await page.keyboard.press('Shift+ArrowRight'); // « matin, je »
    await page.keyboard.press('Shift+ArrowRight'); // « matin, je ressaisis »
    await expect
      .poll(() => page.locator('.transcript .pending').allTextContents())
      .toEqual(['matin, je ', 'ressaisis']);
    await page.keyboard.press('Enter');
    await picker.waitFor();
    // The pinned code shows its key, and the key applies it.
    await expect.poll(() => picker.locator('.pin-number').textContent()).toBe('1');
    await page.keyboard.press('1');
    await picker.waitFor({ state: 'detached' });
    await expect.poll(async () => (await serverCodings(study)).length).toBe(2);
    // Focus came back to the turn, so the keyboard user carries on from there.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Nadia Benali',
    );

    // T codes the whole turn (without the speaker's name): an overlap with both codings above.
    await page.keyboard.press('t');
    await picker.waitFor();
    await page.keyboard.type('formation');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await expect.poll(async () => (await serverCodings(study)).length).toBe(3);
    const codings = await serverCodings(study);
    const turnText = TRANSCRIPT.split('\n')[4]?.slice('Nadia Benali : '.length) ?? '';
    expect(codings.map((c) => c.text).sort()).toEqual(
      ['matin, je ressaisis', 'ressaisis tout dans le logiciel de paie', turnText].sort(),
    );

    // Three lanes of margin bars beside the turn, one per code, and the codes named in the margin.
    const turn = page.locator('.block[aria-label="Nadia Benali"]').first();
    await expect.poll(() => turn.locator('.stripe').count()).toBe(3);
    const bars = await turn
      .locator('.stripe')
      .evaluateAll((nodes) =>
        nodes.map((n) => ({ left: (n as HTMLElement).style.left, height: n.getBoundingClientRect().height })),
      );
    expect(new Set(bars.map((b) => b.left)).size).toBe(3);
    const whole = Math.max(...bars.map((b) => b.height));
    expect(bars.filter((b) => b.height < whole)).toHaveLength(2);
    expect(await turn.locator('.margin-code').allTextContents()).toEqual([
      'Formation et compétences',
      'Exports et bricolages',
      'Redondance de saisie',
    ]);
    await expect.poll(() => turn.locator('span.coded.overlap').count()).toBeGreaterThan(0);
    await screenshot(page, 'workbench-stripes');

    // Hover names the codes and their coders.
    const overlap = turn.locator('span.coded.overlap').filter({ hasText: 'ressaisis' }).first();
    expect(await overlap.getAttribute('title')).toContain('Redondance de saisie (camille)');

    // Enter on a coded word opens its codings; the memo and the boundaries can be changed there.
    await overlap.click();
    const details = page.getByRole('dialog', { name: 'Codages de ce passage' });
    await details.waitFor();
    await expect.poll(() => details.locator('.details-item').count()).toBe(3);
    const redundancy = details.getByRole('group', { name: 'Redondance de saisie', exact: true });
    // A memo being written stays as typed while its coding changes (boundaries moved here).
    await redundancy.getByLabel('Mémo').fill('Double saisie quotidienne.');
    await redundancy.getByRole('button', { name: 'Étendre d’un mot à la fin' }).click();
    await expect
      .poll(async () =>
        (await serverCodings(study)).find((c) => c.codeId === study.codes['Redondance de saisie']),
      )
      .toMatchObject({ text: 'ressaisis tout dans le logiciel de paie 😩 parce' });
    await expect
      .poll(() => redundancy.getByRole('button', { name: 'Étendre d’un mot à la fin' }).isEnabled())
      .toBe(true);
    expect(await redundancy.getByLabel('Mémo').inputValue()).toBe('Double saisie quotidienne.');
    await redundancy.getByRole('button', { name: 'Enregistrer le mémo' }).click();
    await expect
      .poll(async () => {
        const all = (await study.admin.get(`/api/projects/${study.projectId}/codings`)).body.codings;
        return all.find((c: { memo: string }) => c.memo !== '')?.memo;
      })
      .toBe('Double saisie quotidienne.');
    await screenshot(page, 'workbench-details');
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });

    // Showing only one code hides the others' highlights and bars.
    await page
      .getByRole('checkbox', { name: 'Afficher « Formation et compétences » dans la transcription' })
      .uncheck();
    await expect.poll(() => turn.locator('.stripe').count()).toBe(2);

    // The shortcuts are documented in a dialog opened with « ? ».
    await page.locator('.transcript .block[tabindex="0"]').focus();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Raccourcis clavier' });
    await help.waitFor();
    expect(await help.textContent()).toContain('coder tout le tour de parole');
    await screenshot(page, 'workbench-help');
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    expect(browser.problems).toEqual([]);
  }, 120_000);
});
