/**
 * A Markdown transcript in the coding view, in a real Chromium: its headings are headings (outside
 * every turn), its emphasis is emphasis, and no markup (`#`, `**`) is shown; a coding across
 * emphasised words is drawn over exactly its code points.
 */
import { describe, expect, it } from 'vitest';
import { browserFixture, chromiumAvailable, screenshot } from './helpers.ts';
import { buildStudy, expectAccessible, openDocument, signIn } from './workbench-support.ts';

const MARKDOWN = [
  '# Entretien 3 — Théâtre des Tilleuls',
  '',
  'Date : 12 mars 2025',
  '',
  '## Première partie',
  '',
  '**Enquêtrice :** Qu’est-ce qui vous *pèse* le plus ?',
  '**Léa Moreau** : La ressaisie, c’est **vraiment** *épuisant*, chaque lundi.',
  '',
  '## Deuxième partie',
  '',
  '**Enquêtrice :** D’accord.',
  '',
].join('\n');

describe.skipIf(!chromiumAvailable())('a Markdown transcript, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('shows headings as headings and emphasis as emphasis, with no markup', async () => {
    const study = await buildStudy(server, { Ressaisie: '#d97706' });
    const form = new FormData();
    form.append('file', new Blob([MARKDOWN]), 'entretien-3.md');
    const upload = await study.admin.post(`/api/projects/${study.projectId}/documents`, form);
    expect(upload.status).toBe(201);
    const documentId = upload.body.documents[0].id as string;
    const stored = (await study.admin.get(`/api/projects/${study.projectId}/documents/${documentId}`)).body;
    const text = stored.text as string;
    const chars = Array.from(text);
    const from = chars.join('').indexOf('vraiment');
    const start = Array.from(text.slice(0, from)).length;
    const end = start + Array.from('vraiment épuisant').length;
    const coding = await study.admin.post(`/api/projects/${study.projectId}/codings`, {
      documentId,
      codeId: study.codes.Ressaisie,
      start,
      end,
    });
    expect(coding.status).toBe(201);

    const { page } = browser;
    await signIn(page, server.url, study.lead);
    await openDocument(page, { ...study, documentId });

    const transcript = page.locator('.transcript');
    const shown = (await transcript.locator('.block-text').allTextContents()).join('\n');
    expect(shown).not.toMatch(/[*#]/);
    expect(shown).toContain('Léa Moreau : La ressaisie, c’est vraiment épuisant, chaque lundi.');

    // Headings: one level under the page's title, and never a speaker's turn.
    const headings = transcript.getByRole('heading');
    expect(await headings.allTextContents()).toEqual([
      'Entretien 3 — Théâtre des Tilleuls',
      'Première partie',
      'Deuxième partie',
    ]);
    expect(await transcript.getByRole('heading', { level: 2 }).textContent()).toBe(
      'Entretien 3 — Théâtre des Tilleuls',
    );
    expect(await transcript.locator('.block.heading[data-speaker-role]').count()).toBe(0);
    expect(await transcript.locator('.block.turn').count()).toBe(3);

    // Emphasis is type: bold and italic as the writer meant.
    expect(await transcript.locator('.md-strong').allTextContents()).toEqual([
      'Enquêtrice :',
      'Léa Moreau',
      'vraiment',
      'Enquêtrice :',
    ]);
    expect(await transcript.locator('.md-emphasis').allTextContents()).toEqual(['pèse', 'épuisant']);
    const weight = await transcript
      .locator('.md-strong', { hasText: 'vraiment' })
      .evaluate((e) => getComputedStyle(e).fontWeight);
    expect(Number(weight)).toBeGreaterThanOrEqual(700);
    const style = await transcript
      .locator('.md-emphasis', { hasText: 'épuisant' })
      .evaluate((e) => getComputedStyle(e).fontStyle);
    expect(style).toBe('italic');

    // The coding across both is drawn over exactly its code points, emphasis cuts and all.
    const coded = transcript.locator('.coded');
    expect((await coded.allTextContents()).join('')).toBe('vraiment épuisant');
    const bounds = await coded.evaluateAll((els) =>
      els.map((e) => [Number(e.getAttribute('data-start')), Number(e.getAttribute('data-end'))]),
    );
    expect(bounds[0]?.[0]).toBe(start);
    expect(bounds.at(-1)?.[1]).toBe(end);
    await expectAccessible(page);
    await screenshot(page, 'markdown-transcript');
  });
});
