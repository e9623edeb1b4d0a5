/**
 * Beyond serious violations, in a real Chromium: every page passes axe-core with no violation at
 * all (moderate ones included: unique landmarks, one main landmark, heading order), every page
 * reflows at 320 CSS px (a phone, or 400 % zoom: WCAG 1.4.10) without scrolling sideways (wide
 * tables scroll in their own frame), and in forced-colours mode codings stay visible without colour.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { browserFixture, chromiumAvailable, screenshot } from './helpers.ts';
import { buildStudy, codePointSpan, openDocument, signIn, type Study } from './workbench-support.ts';

function pages(study: Study): string[] {
  const base = `/projects/${study.projectId}`;
  return [
    '/',
    '/account',
    '/admin/users',
    base,
    `${base}/import`,
    `${base}/participants`,
    `${base}/export`,
    `${base}/settings`,
    `${base}/review`,
    `${base}/review/frequencies`,
    `${base}/review/cooccurrence`,
    `${base}/review/retrieval`,
    `${base}/review/agreement`,
    `${base}/search`,
    `${base}/documents/${study.documentId}`,
  ];
}

describe.skipIf(!chromiumAvailable())('every page beyond serious violations, in Chromium', () => {
  const { server, browser } = browserFixture();

  async function studyWithData(): Promise<Study> {
    const study = await buildStudy(server, { Outils: '#1f6fb2', Formation: '#2b8a3e' });
    const base = `/api/projects/${study.projectId}`;
    await study.admin.put(`${base}/attributes`, {
      attributes: [{ name: 'type de structure', type: 'text', choices: [] }],
    });
    const person = await study.admin.post(`${base}/participants`, {
      name: 'Léa Fabre',
      attributes: { 'type de structure': 'Théâtre municipal de la ville' },
    });
    await study.admin.patch(`${base}/documents/${study.documentId}`, { participantId: person.body.id });
    for (const [code, passage] of [
      ['Outils', 'j’exporte un tableur énorme'],
      ['Formation', 'On apprend sur le tas'],
    ] as const) {
      await study.admin.post(`${base}/codings`, {
        documentId: study.documentId,
        codeId: study.codes[code],
        ...codePointSpan(passage),
      });
    }
    return study;
  }

  it('has no axe violation of any impact on any page, the code editor included', async () => {
    const study = await studyWithData();
    const { page } = browser;
    await signIn(page, server.url, study.lead);
    for (const path of pages(study)) {
      await page.goto(server.url + path);
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      const audit = await new AxeBuilder({ page }).analyze();
      expect(
        audit.violations.map(
          (v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        ),
        path,
      ).toEqual([]);
    }
    await openDocument(page, study);
    await page.getByRole('button', { name: 'Outils (niveau 1)' }).click();
    await page.getByRole('dialog', { name: 'Code « Outils »' }).waitFor();
    const editor = await new AxeBuilder({ page }).analyze();
    expect(editor.violations.map((v) => `${v.impact} ${v.id}`)).toEqual([]);
  }, 180_000);

  it('reflows every page at 320 CSS px without scrolling sideways', async () => {
    const study = await studyWithData();
    const { page } = browser;
    await page.setViewportSize({ width: 320, height: 720 });
    await signIn(page, server.url, study.lead);
    for (const path of pages(study)) {
      await page.goto(server.url + path);
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      const { width, past } = await page.evaluate(() => ({
        width: document.documentElement.scrollWidth,
        // What reaches past the edge, to say where to look when this fails.
        past: Array.from(document.querySelectorAll('main *'))
          .filter((e) => e.getBoundingClientRect().right > 321 && !e.closest('.table-scroll, .data-table'))
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()}.${String(e.className).replace(/ /g, '.')}`),
      }));
      expect(width, `${path}: ${past.join(' | ')}`).toBeLessThanOrEqual(320);
    }
    await screenshot(page, 'reflow-320-coding');
  }, 180_000);

  it('keeps codings visible in forced-colours mode: underlined, doubled where codes overlap', async () => {
    const study = await studyWithData();
    await study.admin.post(`/api/projects/${study.projectId}/codings`, {
      documentId: study.documentId,
      codeId: study.codes.Formation,
      ...codePointSpan('un tableur énorme'),
    });
    const { page } = browser;
    await page.emulateMedia({ forcedColors: 'active' });
    await signIn(page, server.url, study.lead);
    await openDocument(page, study);
    const coded = page.locator('.transcript span.coded').first();
    await coded.waitFor();
    expect(await coded.evaluate((e) => getComputedStyle(e).textDecorationLine)).toBe('underline');
    const overlap = page.locator('.transcript span.coded.overlap').first();
    expect(await overlap.evaluate((e) => getComputedStyle(e).textDecorationStyle)).toBe('double');
    const stripe = page.locator('.stripe').first();
    await stripe.waitFor();
    expect(await stripe.evaluate((e) => getComputedStyle(e).forcedColorAdjust)).toBe('none');
    await screenshot(page, 'forced-colors-coding');
  }, 120_000);
});
