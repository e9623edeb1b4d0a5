/**
 * Listening while coding, in Chromium: a transcript with subtitle times, a recording made by the
 * test (a WAV of a tone), and the player of the coding view driven with the mouse and the keyboard.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Client } from '../helpers/server.ts';
import { browserFixture, chromiumAvailable, dragSelect, screenshot } from './helpers.ts';
import { expectAccessible, signIn } from './workbench-support.ts';

const available = chromiumAvailable();

/** Mono 16-bit PCM at 8 kHz: `seconds` of a 440 Hz tone, quiet. */
function toneWav(seconds: number): ArrayBuffer {
  const rate = 8000;
  const samples = Math.round(seconds * rate);
  const wav = new ArrayBuffer(44 + samples * 2);
  const view = new DataView(wav);
  const ascii = (at: number, text: string) =>
    [...text].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) {
    view.setInt16(44 + i * 2, Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / rate)), true);
  }
  return wav;
}

/** Cues at 0 s, 3 s and 5.5 s (Karim's two merged into one turn), 7.5 s: a 10 s recording. */
const VTT = [
  'WEBVTT',
  '',
  '00:00:00.000 --> 00:00:03.000',
  '<v Enquêtrice>Comment se passe la billetterie au festival ?',
  '',
  '00:00:03.000 --> 00:00:05.500',
  '<v Karim Haddad>Très bien, on vend tout en ligne.',
  '',
  '00:00:05.500 --> 00:00:07.500',
  '<v Karim Haddad>Sauf les jours de pluie.',
  '',
  '00:00:07.500 --> 00:00:10.000',
  '<v Enquêtrice>Merci beaucoup.',
].join('\n');

const mediaTime = (page: Page) => page.evaluate(() => document.querySelector('audio')?.currentTime ?? -1);
const mediaPaused = (page: Page) => page.evaluate(() => document.querySelector('audio')?.paused ?? null);
/** The words marked as being heard (the CSS highlight), without the spaces between turns. */
const heardText = (page: Page) =>
  page.evaluate(() => {
    const highlight = CSS.highlights.get('verbatim-heard');
    return highlight
      ? [...highlight]
          .map((range) => range.toString())
          .join('')
          .trim()
      : '';
  });

describe.skipIf(!available)('the recording player of the coding view, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('plays from a clicked turn, follows the passage heard, plays a coded passage, and works from the keyboard', async () => {
    const admin = new Client(() => server.url);
    const lead = { username: 'camille', password: 'mot de passe camille' };
    await admin.post('/api/auth/setup', lead);
    const projectId = (await admin.post('/api/projects', { name: 'Festival' })).body.id as string;
    const base = `/api/projects/${projectId}`;
    const transcript = new FormData();
    transcript.append('file', new Blob([VTT]), 'karim.vtt');
    const documentId = (await admin.request('POST', `${base}/documents`, transcript)).body.documents[0]
      .id as string;
    const recording = new FormData();
    recording.append('file', new Blob([toneWav(10)], { type: 'audio/wav' }), 'karim.wav');
    const attached = await admin.request('POST', `${base}/documents/${documentId}/media`, recording);
    expect(attached.status).toBeLessThan(300);
    const text = (await admin.get(`${base}/documents/${documentId}`)).body.text as string;
    const code = await admin.post(`${base}/codes`, { name: 'Météo', color: '#4363d8' });
    const passage = 'Sauf les jours de pluie.';
    const start = [...text.slice(0, text.indexOf(passage))].length;
    await admin.post(`${base}/codings`, {
      documentId,
      codeId: code.body.id,
      start,
      end: start + [...passage].length,
    });

    const { page } = browser;
    await signIn(page, server.url, lead);
    await page.goto(`${server.url}/projects/${projectId}/documents/${documentId}`);
    const player = page.getByRole('region', { name: 'Enregistrement « karim.wav »' });
    await player.waitFor();
    await expect
      .poll(() => page.evaluate(() => document.querySelector('audio')?.readyState ?? 0))
      .toBeGreaterThan(0);

    // A click on Karim's time plays from his turn's time, 0:03.
    const karim = page.locator('.block.turn', { hasText: 'Très bien' });
    await karim.locator('.block-time time').click();
    expect(await mediaPaused(page)).toBe(false);
    const startedAt = await mediaTime(page);
    expect(startedAt).toBeGreaterThanOrEqual(3);
    expect(startedAt).toBeLessThan(4);
    await expect.poll(() => karim.getAttribute('class')).toContain('heard');
    await expect.poll(() => heardText(page)).toBe('Très bien, on vend tout en ligne.');
    // Coding while listening: paused, a passage inside the heard one is coded, and it stays marked
    // over the pieces the new coding cuts.
    await player.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => mediaPaused(page)).toBe(true);
    const vend = [...text.slice(0, text.indexOf('on vend tout'))].length;
    await dragSelect(page, vend, vend + 'on vend tout'.length);
    const picker = page.getByRole('dialog', { name: 'Coder le passage' });
    await picker.waitFor();
    await picker.getByRole('combobox').fill('météo');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.transcript span[data-codes]').count()).toBe(2);
    await expect.poll(() => heardText(page)).toBe('Très bien, on vend tout en ligne.');
    await player.getByRole('button', { name: 'Lecture' }).click();
    // The passage heard moves on with the recording: Karim's second cue, then the next turn.
    await expect.poll(() => heardText(page), { timeout: 6000 }).toBe('Sauf les jours de pluie.');
    await screenshot(page, 'player-following');
    const last = page.locator('.block.turn', { hasText: 'Merci beaucoup' });
    await expect.poll(() => last.getAttribute('class'), { timeout: 6000 }).toContain('heard');
    expect(await karim.getAttribute('class')).not.toContain('heard');

    // « Écouter ce passage » plays exactly the coded passage: from 5.5 s, stopping at 7.5 s.
    await page.locator('.transcript span[data-codes]', { hasText: 'Sauf les jours' }).first().click();
    const details = page.getByRole('dialog', { name: 'Codages de ce passage' });
    await details.waitFor();
    await details.getByRole('button', { name: 'Écouter ce passage' }).click();
    await expect.poll(() => mediaPaused(page), { timeout: 6000 }).toBe(true);
    expect(await mediaTime(page)).toBeCloseTo(7.5, 1);
    await screenshot(page, 'player-passage');
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });

    // Keyboard only: into the transcript, down to Karim's turn, Alt+Enter plays from it.
    await page.getByRole('button', { name: 'Raccourcis (?)' }).focus();
    await page.keyboard.press('Tab');
    // Up to the first turn (the cursor stays on the first), then down to Karim's.
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Karim Haddad, 0:03');
    await page.keyboard.press('Alt+Enter');
    await expect.poll(() => mediaPaused(page)).toBe(false);
    const fromKeyboard = await mediaTime(page);
    expect(fromKeyboard).toBeGreaterThanOrEqual(3);
    expect(fromKeyboard).toBeLessThan(4);
    // Alt+Space pauses, Alt+→ and Alt+← move 5 s, without moving the transcript's cursor.
    await page.keyboard.press('Alt+Space');
    await expect.poll(() => mediaPaused(page)).toBe(true);
    const paused = await mediaTime(page);
    await page.keyboard.press('Alt+ArrowRight');
    await expect.poll(() => mediaTime(page)).toBeCloseTo(paused + 5, 1);
    await page.keyboard.press('Alt+ArrowLeft');
    await expect.poll(() => mediaTime(page)).toBeCloseTo(paused, 1);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Karim Haddad, 0:03',
    );
    expect(await page.locator('.transcript .pending').count()).toBe(0);
    await page.keyboard.press('Alt+Space');
    await expect.poll(() => mediaPaused(page)).toBe(false);

    // Following can be switched off, and the shortcuts are in the help.
    await player.getByRole('checkbox', { name: 'Suivre le texte' }).uncheck();
    await page.keyboard.press('Alt+Space');
    await page.locator('.transcript .block[tabindex="0"]').focus();
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Raccourcis clavier' });
    await help.waitFor();
    expect(await help.textContent()).toContain('écouter à partir du tour courant');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await expectAccessible(page);

    // A time written in a speaker's label (kept in the text) plays from there when clicked.
    const labelled = new FormData();
    labelled.append('file', new Blob(['Notes\nSam [00:00:06] : Salut.\nLéa : Bonjour.']), 'sam.txt');
    const samId = (await admin.request('POST', `${base}/documents`, labelled)).body.documents[0].id as string;
    const samRecording = new FormData();
    samRecording.append('file', new Blob([toneWav(10)], { type: 'audio/wav' }), 'sam.wav');
    expect(
      (await admin.request('POST', `${base}/documents/${samId}/media`, samRecording)).status,
    ).toBeLessThan(300);
    await page.goto(`${server.url}/projects/${projectId}/documents/${samId}`);
    await page.getByRole('region', { name: 'Enregistrement « sam.wav »' }).waitFor();
    await page.locator('.block-text .speaker', { hasText: 'Sam [00:00:06]' }).click();
    await expect.poll(() => mediaPaused(page)).toBe(false);
    const fromLabel = await mediaTime(page);
    expect(fromLabel).toBeGreaterThanOrEqual(6);
    expect(fromLabel).toBeLessThan(7);
    expect(browser.problems).toEqual([]);
  }, 120_000);
});
