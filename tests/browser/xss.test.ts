/**
 * Every text a user or a transcript can bring in is filled with script payloads, then every page is
 * rendered in Chromium: no script may run (no dialog, no console error, no CSP violation), and
 * every response carries the Content-Security-Policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, startTestServer, type TestServer } from '../helpers/server.ts';
import { chromiumAvailable, launchBrowser, type Browser } from './helpers.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };
const PAYLOADS = [
  '<script>alert("xss-script")</script>',
  '<img src=x onerror=alert("xss-img")>',
  '"><svg onload=alert("xss-svg")>',
  "javascript:alert('xss-href')",
  '{{constructor.constructor("alert(1)")()}}',
];
const payload = (i: number) => `${PAYLOADS[i % PAYLOADS.length]} n°${i}`;

const available = chromiumAvailable();
let server: TestServer;
let browser: Browser;
let pages: string[] = [];

beforeAll(async () => {
  if (!available) return;
  server = await startTestServer({ withClient: true });
  const admin = new Client(() => server.url);
  await admin.post('/api/auth/setup', ADMIN);
  let i = 0;
  const project = await admin.post('/api/projects', { name: payload(i++), description: payload(i++) });
  const base = `/api/projects/${project.body.id}`;
  const text = `${payload(i++)} : ${payload(i++)}\nEnquêtrice : ${payload(i++)}\n${payload(i++)} : fin.`;
  const doc = (await admin.post(`${base}/documents`, { name: `${payload(i++)}.txt`, text })).body.documents[0]
    .id;
  await admin.patch(`${base}/documents/${doc}`, { memo: payload(i++) });
  const parent = (await admin.post(`${base}/codes`, { name: payload(i++), description: payload(i++) })).body
    .id;
  const code = (
    await admin.post(`${base}/codes`, { name: payload(i++), parentId: parent, description: payload(i++) })
  ).body.id;
  await admin.post(`${base}/codings`, {
    documentId: doc,
    codeId: code,
    start: 0,
    end: 20,
    memo: payload(i++),
  });
  await admin.post(`${base}/codings`, {
    documentId: doc,
    codeId: parent,
    start: 10,
    end: 40,
    memo: payload(i++),
  });
  await admin.put(`${base}/attributes`, { attributes: [{ name: payload(i++), type: 'text' }] });
  const attribute = (await admin.get(`${base}/attributes`)).body.attributes[0].name;
  const participant = await admin.post(`${base}/participants`, {
    name: payload(i++),
    pseudonym: payload(i++),
    attributes: { [attribute]: payload(i++) },
  });
  await admin.patch(`${base}/documents/${doc}`, { participantId: participant.body.id });
  await admin.post('/api/users', {
    username: 'camille',
    password: 'secret-camille',
    displayName: payload(i++),
  });
  const p = `/projects/${project.body.id}`;
  pages = ['/', p, `${p}/import`, `${p}/participants`, `${p}/documents/${doc}`, '/admin/users'];
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('hostile text everywhere', () => {
  it.skipIf(!available)('runs no script on any page, and every response carries the CSP', async () => {
    const { page, problems } = browser;
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    const missingCsp: string[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(server.url) && !response.headers()['content-security-policy']) {
        missingCsp.push(response.url());
      }
    });
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Identifiant').fill(ADMIN.username);
    await page.getByLabel('Mot de passe').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();
    for (const path of pages) {
      await page.goto(server.url + path);
      await page.waitForLoadState('networkidle');
      // The payloads are shown as text, not interpreted.
      expect(await page.locator('img[src="x"], svg[onload]').count(), path).toBe(0);
    }
    // Open the coding details of a highlight, where memos and coders are shown.
    await page.goto(server.url + (pages[4] as string));
    await page.waitForLoadState('networkidle');
    const highlight = page
      .locator('[data-start]')
      .filter({ has: page.locator('xpath=self::*[@data-code-ids or @data-codes or @title]') });
    if ((await highlight.count()) > 0) await highlight.first().click();
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(missingCsp).toEqual([]);
    expect(await page.content()).toContain('&lt;script&gt;alert("xss-script")&lt;/script&gt;');
  });
});
