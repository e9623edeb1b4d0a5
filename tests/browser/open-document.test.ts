/**
 * Opening a small document costs what that document costs: in a project holding 20,000 codings on
 * another document, the coding view reads one document view (plus the live feed), and the bytes it
 * transfers stay far below what those other codings would weigh (about 7 MB as JSON). The page
 * holds only that document's codings, so what needs the others (splitting a code) reads them.
 */
import type { Response } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newId, type CodingId, type DocumentId, type ProjectId, type UserId } from '../../shared/ids.ts';
import type { Coding } from '../../shared/model.ts';
import { browserFixture, chromiumAvailable } from './helpers.ts';
import { buildStudy, codePointSpan, openDocument, signIn, TRANSCRIPT } from './workbench-support.ts';

const available = chromiumAvailable();
const OTHER_CODINGS = 20_000;

describe.skipIf(!available)('opening a document in a large project, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('transfers a bound of bytes that does not depend on the project’s other codings, and still counts them', async () => {
    const study = await buildStudy(server, { 'Redondance de saisie': '#c92a2a' });
    const codeId = study.codes['Redondance de saisie'] as string;
    const base = `/api/projects/${study.projectId}`;
    const other = (await study.admin.post(`${base}/documents`, { name: 'autre.txt', text: TRANSCRIPT })).body
      .documents[0].id as DocumentId;
    const passage = codePointSpan('je ressaisis tout dans le logiciel de paie');
    expect(
      (await study.admin.post(`${base}/codings`, { documentId: study.documentId, codeId, ...passage }))
        .status,
    ).toBe(201);

    // The other codings go straight into the store, a thousand per change: creating 20,000 through
    // HTTP one by one would take minutes.
    const lead = Object.entries(
      (await server.store.readProject(study.projectId as ProjectId))?.members ?? {},
    ).find(([, role]) => role === 'lead')?.[0] as UserId;
    const length = [...TRANSCRIPT].length;
    for (let batch = 0; batch < OTHER_CODINGS / 1000; batch++) {
      const events = Array.from({ length: 1000 }, (_, i) => {
        const n = batch * 1000 + i;
        const start = n % (length - 20);
        const coding: Coding = {
          id: newId<CodingId>(),
          documentId: other,
          codeId: codeId as Coding['codeId'],
          start,
          end: start + 10 + (n % 7),
          text: [...TRANSCRIPT].slice(start, start + 10 + (n % 7)).join(''),
          coderId: lead,
          createdAt: new Date(Date.UTC(2026, 3, 1, 10, 0, 0, n)).toISOString(),
          memo: '',
        };
        return { type: 'coding_created' as const, coding };
      });
      await server.store.changeProject(study.projectId as ProjectId, lead, () => ({ events, result: null }));
    }

    await signIn(browser.page, server.url, study.lead);
    const responses: Response[] = [];
    browser.page.on('response', (response) => responses.push(response));
    await openDocument(browser.page, study);
    const count = browser.page.locator('.code-item', { hasText: 'Redondance de saisie' }).locator('.count');
    await expect
      .poll(async () => (await count.textContent())?.replace(/\D/g, ''))
      .toBe(String(OTHER_CODINGS + 1));
    await browser.page.locator('.transcript span.coded').first().waitFor();

    const api = responses.filter((r) => new URL(r.url()).pathname.startsWith('/api/'));
    const paths = api.map((r) => new URL(r.url()).pathname);
    expect(paths).toContain(`${base}/documents/${study.documentId}/view`);
    expect(paths).not.toContain(`${base}/codings`);
    expect(paths).toContain(`${base}/events/live`);
    // The live feed streams for as long as the page is open: its size is not the document's.
    const finished = api.filter((r) => !/\/events(\/live)?$/.test(new URL(r.url()).pathname));
    let bytes = 0;
    for (const response of finished) bytes += (await response.request().sizes()).responseBodySize;
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(100 * 1024);
  });

  it('splits a code across documents: its editor lists its codings in the other documents too', async () => {
    const study = await buildStudy(server, { 'Double saisie': '#c92a2a', Formation: '#2b8a3e' });
    const base = `/api/projects/${study.projectId}`;
    const other = (await study.admin.post(`${base}/documents`, { name: 'autre.txt', text: TRANSCRIPT })).body
      .documents[0].id as string;
    const codeId = study.codes['Double saisie'];
    const here = codePointSpan('je ressaisis tout dans le logiciel de paie');
    const there = codePointSpan('On apprend sur le tas');
    await study.admin.post(`${base}/codings`, { documentId: study.documentId, codeId, ...here });
    const elsewhere = (await study.admin.post(`${base}/codings`, { documentId: other, codeId, ...there }))
      .body;

    const { page } = browser;
    await signIn(page, server.url, study.lead);
    await openDocument(page, study);
    const count = (name: string) =>
      page
        .locator('.code-item', { has: page.getByRole('button', { name: `${name} (niveau 1)`, exact: true }) })
        .locator('.count')
        .textContent();
    await expect.poll(() => count('Double saisie')).toBe('2');
    await page.getByRole('button', { name: 'Double saisie (niveau 1)' }).click();
    const editor = page.getByRole('region', { name: 'Code « Double saisie »' });
    await editor.getByText('Déplacer des codages (2)').click();
    await editor.getByRole('checkbox', { name: /On apprend sur le tas/ }).check();
    await editor.getByLabel('Vers le code').selectOption({ label: 'Formation' });
    await editor.getByRole('button', { name: 'Déplacer 1 codage' }).click();

    await expect.poll(() => count('Formation')).toBe('1');
    await expect.poll(() => count('Double saisie')).toBe('1');
    const moved = await study.admin.get(`${base}/codings?codeId=${study.codes.Formation}`);
    expect(moved.body.codings.map((c: { id: string }) => c.id)).toEqual([elsewhere.id]);
    // The open document's own coding stayed, and is still drawn.
    await page.locator('.transcript span.coded').first().waitFor();
  });
});
