/**
 * Exchange with other QDA tools from the interface: export a project as .qdpx from its project
 * page, open it again as a new project from the project list, and import a .qdc codebook.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Client } from '../helpers/server.ts';
import { browserFixture, chromiumAvailable } from './helpers.ts';

const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };
const available = chromiumAvailable();

describe.skipIf(!available)('REFI-QDA from the interface', () => {
  const { server, browser } = browserFixture();

  it('exports the demo study as .qdpx and opens it again as a new project with the same codings', async () => {
    const admin = new Client(() => server.url);
    await admin.post('/api/auth/setup', ADMIN);
    const demo = (await admin.post('/api/projects/demo')).body as { id: string; counts: { codings: number } };
    const { page } = browser;
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Identifiant').fill(ADMIN.username);
    await page.getByLabel('Mot de passe').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();
    await page.goto(`${server.url}/projects/${demo.id}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'projet complet (.qdpx)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Étude démo.qdpx');
    const file = join(await mkdtemp(join(tmpdir(), 'verbatim-qdpx-')), download.suggestedFilename());
    await download.saveAs(file);
    expect((await readFile(file)).subarray(0, 2).toString()).toBe('PK');

    await page.goto(`${server.url}/`);
    await page.getByLabel('Fichier .qdpx').setInputFiles(file);
    await page.getByRole('button', { name: 'Importer le projet' }).click();
    // The codings are now the importer's; the original coders are listed, kept as labels.
    await page.getByText('Tous les codages importés vous sont attribués').waitFor();
    await expect(page.getByText(/ : \d+ codages?$/).count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: '.test-results/refi-import-coders.png', fullPage: true });
    await page.getByRole('link', { name: 'Ouvrir le projet importé' }).click();
    await page.waitForURL(
      (url) => /\/projects\/[0-9a-f-]+$/.test(url.pathname) && !url.pathname.endsWith(demo.id),
    );
    const importedId = new URL(page.url()).pathname.split('/').at(-1) as string;
    const imported = (await admin.get(`/api/projects/${importedId}`)).body;
    expect(imported.counts.codings).toBe(demo.counts.codings);
    expect(imported.counts.documents).toBe(4);
    expect(browser.problems).toEqual([]);
  }, 120_000);
});
