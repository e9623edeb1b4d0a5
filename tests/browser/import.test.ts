/**
 * Bringing a study in, in a real Chromium: a mixed batch of transcripts dropped at once, a
 * participants table imported from CSV, and the demo study loaded from an empty project list, whose
 * subtitle interview shows its times and sets the interviewer's turns apart. No console error, no
 * CSP violation, no serious accessibility violation on the way.
 */
import { AxeBuilder } from '@axe-core/playwright';
import iconv from 'iconv-lite';
import { copyFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { Client, type TestServer } from '../helpers/server.ts';
import { browserFixture, chromiumAvailable, screenshot } from './helpers.ts';

const available = chromiumAvailable();

const ADMIN = { username: 'camille.admin', password: 'un mot de passe solide' };

const CP1252_TRANSCRIPT = [
  'Entretien n° 7 — Régie du Théâtre des Saules',
  '',
  '[00:00:05] Enquêteur : Pouvez-vous décrire votre rôle ?',
  'Élodie Marchand : Je suis régisseuse générale ; c’est moi qui fais « tourner » la maison.',
  'Enquêteur : Et les outils ?',
  'Élodie Marchand : Un tableur, un agenda partagé… et beaucoup de café.',
].join('\r\n');

const VTT = [
  'WEBVTT',
  '',
  '00:00:01.000 --> 00:00:06.500',
  '<v Enquêtrice>Bonjour, pouvez-vous vous présenter ?</v>',
  '',
  '00:00:07.000 --> 00:00:14.000',
  '<v Karim Haddad>Je dirige un petit festival de jazz en Bretagne, depuis dix ans.</v>',
  '',
  '00:01:05.000 --> 00:01:09.000',
  '<v Enquêtrice>Combien de bénévoles ?</v>',
  '',
  '00:01:10.000 --> 00:01:20.000',
  '<v Karim Haddad>Une centaine chaque été, et autant de tableurs !</v>',
  '',
].join('\n');

const SRT = [
  '1',
  '00:00:02,000 --> 00:00:05,000',
  'Enquêteur : Quel logiciel de billetterie utilisez-vous ?',
  '',
  '2',
  '00:00:06,000 --> 00:00:12,000',
  'Sophie Lambert : Le même depuis 2015, et il ne parle à personne.',
  '',
].join('\n');

/** Bytes that are not a Word document, in a file that says it is one. */
function randomBytes(length: number): number[] {
  let seed = 7;
  return Array.from({ length }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed & 0xff;
  });
}

interface DroppedFile {
  name: string;
  type: string;
  bytes: number[];
}

/** Drop `files` on the drop zone as a user would: dragenter, dragover, drop, with real File objects. */
async function dropFiles(page: Page, files: DroppedFile[]): Promise<void> {
  const dataTransfer = await page.evaluateHandle((list) => {
    const transfer = new DataTransfer();
    for (const file of list) {
      transfer.items.add(new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
    }
    return transfer;
  }, files);
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent('[data-testid="drop-zone"]', type, { dataTransfer });
  }
  await dataTransfer.dispose();
}

/** The instance with its administrator, and an API client signed in as them. */
async function adminClient(server: TestServer): Promise<Client> {
  const admin = new Client(() => server.url);
  const setup = await admin.post('/api/auth/setup', ADMIN);
  if (setup.status !== 201) throw new Error(`adminClient: setup refused (${setup.status})`);
  return admin;
}

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('Identifiant').fill(ADMIN.username);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();
}

async function expectNoSeriousViolations(page: Page): Promise<void> {
  const audit = await new AxeBuilder({ page }).analyze();
  const serious = audit.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** [start, end) in code points of the first occurrence of `passage` in `text`. */
function codePointSpan(text: string, passage: string): { start: number; end: number } {
  const at = text.indexOf(passage);
  if (at < 0) throw new Error(`codePointSpan: « ${passage} » is not in the text`);
  const start = [...text.slice(0, at)].length;
  return { start, end: start + [...passage].length };
}

describe.skipIf(!available)('bringing a study’s transcripts in, in Chromium', () => {
  const { server, browser } = browserFixture();

  it('imports a dropped mixed batch, reports each file in French, and shows speakers and times', async () => {
    const admin = await adminClient(server);
    const project = (await admin.post('/api/projects', { name: 'Régies et festivals' })).body;
    const { page } = browser;
    await signIn(page, server.url);
    await page.goto(`${server.url}/projects/${project.id}`);
    await page.getByRole('link', { name: 'Importer des transcriptions' }).click();
    await page.getByRole('heading', { name: 'Importer des transcriptions', level: 1 }).waitFor();

    await dropFiles(page, [
      {
        name: 'regie-saules.txt',
        type: 'text/plain',
        bytes: [...iconv.encode(CP1252_TRANSCRIPT, 'win1252')],
      },
      { name: 'festival-jazz.vtt', type: 'text/vtt', bytes: [...Buffer.from(VTT, 'utf8')] },
      { name: 'billetterie.srt', type: 'application/x-subrip', bytes: [...Buffer.from(SRT, 'utf8')] },
      {
        name: 'compte-rendu.docx',
        type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        bytes: randomBytes(2048),
      },
    ]);

    const batch = page.locator('[data-batch="1"]');
    await batch.getByText('3 importés, 1 refusé').waitFor();
    const progress = batch.getByRole('progressbar');
    expect(await progress.getAttribute('aria-valuenow')).toBe('100');
    const outcome = (file: string) => batch.locator(`li[data-file="${file}"]`);
    expect(await outcome('regie-saules.txt').getAttribute('class')).toBe('ok');
    expect(await outcome('regie-saules.txt').textContent()).toContain(
      'importé : 4 tours de parole, encodage Windows-1252',
    );
    expect(await outcome('festival-jazz.vtt').textContent()).toContain(
      'importé : 4 tours de parole, encodage UTF-8',
    );
    expect(await outcome('billetterie.srt').textContent()).toContain('importé : 2 tours de parole');
    expect(await outcome('compte-rendu.docx').getAttribute('class')).toBe('failed');
    expect(await outcome('compte-rendu.docx').textContent()).toMatch(
      /compte-rendu\.docx — refusé : Le fichier « compte-rendu\.docx » (n'est pas un document Word|est endommagé)/,
    );

    // A second drop is a second batch, with its own progress and results, listed first.
    await dropFiles(page, [{ name: 'vide.txt', type: 'text/plain', bytes: [] }]);
    const second = page.locator('[data-batch="2"]');
    await second.getByText('0 importé, 1 refusé').waitFor();
    expect(await second.locator('li.failed').textContent()).toContain('vide.txt');
    expect(await page.locator('.batch').first().getAttribute('data-batch')).toBe('2');
    expect(await page.getByRole('progressbar').count()).toBe(2);

    await screenshot(page, 'import-mixed-batch');
    await expectNoSeriousViolations(page);

    // The good files are in the project's document list; the broken ones are not.
    await page.getByRole('link', { name: 'Régies et festivals' }).click();
    const list = page.locator('.document-list');
    await list.getByRole('link', { name: 'regie-saules.txt' }).waitFor();
    expect(await list.getByRole('link').allTextContents()).toEqual([
      'billetterie.srt',
      'festival-jazz.vtt',
      'regie-saules.txt',
    ]);

    // The Windows-1252 transcript was decoded: its accented speakers are read back intact.
    await list.getByRole('link', { name: 'regie-saules.txt' }).click();
    await page.getByRole('heading', { name: 'regie-saules.txt', level: 1 }).waitFor();
    await expect.poll(() => page.locator('.block.turn').count()).toBe(4);
    expect(await page.locator('.block.turn .speaker').allTextContents()).toEqual([
      'Enquêteur : ',
      'Élodie Marchand : ',
      'Enquêteur : ',
      'Élodie Marchand : ',
    ]);
    expect(await page.locator('.block.turn').first().getAttribute('data-speaker-role')).toBe('interviewer');

    // The subtitles keep their times, shown beside each speaker.
    await page.goBack();
    await list.getByRole('link', { name: 'festival-jazz.vtt' }).click();
    await page.getByRole('heading', { name: 'festival-jazz.vtt', level: 1 }).waitFor();
    await expect.poll(() => page.locator('.block.turn').count()).toBe(4);
    expect(await page.locator('.block.turn .speaker').allTextContents()).toEqual([
      'Enquêtrice : ',
      'Karim Haddad : ',
      'Enquêtrice : ',
      'Karim Haddad : ',
    ]);
    expect(await page.locator('.block.turn .block-time').allTextContents()).toEqual([
      '0:01',
      '0:07',
      '1:05',
      '1:10',
    ]);
    expect(browser.problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
  }, 90_000);

  it('imports a participants table from CSV, fills the table and links the documents', async () => {
    const admin = await adminClient(server);
    const project = (await admin.post('/api/projects', { name: 'Compagnies' })).body;
    const base = `/api/projects/${project.id}`;
    await admin.post(`${base}/documents`, { name: 'entretien-a.txt', text: 'Q : Et vous ?\nR : Moi.' });
    await admin.post(`${base}/documents`, { name: 'entretien-b.txt', text: 'Q : Et ensuite ?\nR : Rien.' });
    const csv =
      'fichier;participant;pseudonyme;type de structure;effectif;date entretien\r\n' +
      'entretien-a.txt;Nadia Benali;P01;Compagnie;4;18/04/2024\r\n' +
      'entretien-b.txt;Louis Perrin;P02;Festival;12;07/05/2024\r\n';

    const { page } = browser;
    await signIn(page, server.url);
    await page.goto(`${server.url}/projects/${project.id}`);
    await page.getByRole('link', { name: 'Participant·es et attributs' }).click();
    await page.getByRole('heading', { name: 'Participant·es', level: 1 }).waitFor();
    await page.getByText('Aucun·e participant·e.').waitFor();

    await page.getByLabel('Tableau des participant·es (.csv)').setInputFiles({
      name: 'participants.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\ufeff${csv}`, 'utf8'),
    });
    await page.getByRole('button', { name: 'Importer le tableau' }).click();
    const report = page.getByTestId('participants-report');
    await report.waitFor();
    expect(await report.textContent()).toContain('2 créés, 0 mis à jour, 2 documents liés');
    expect(await report.textContent()).toContain(
      'Attributs ajoutés : type de structure, effectif, date entretien',
    );

    const table = page.locator('.participants-table');
    expect(await table.locator('thead th').allTextContents()).toEqual([
      'Pseudonyme',
      'Nom',
      'type de structuretexte',
      'effectifnombre',
      'date entretiendate',
      'Documents',
      'Actions',
    ]);
    const nadia = table.locator('tr[data-participant="P01"]');
    expect(await nadia.getByLabel('Nom de P01').inputValue()).toBe('Nadia Benali');
    expect(await nadia.getByLabel('effectif de P01').getAttribute('type')).toBe('number');
    expect(await nadia.getByLabel('date entretien de P01').inputValue()).toBe('2024-04-18');
    expect(await nadia.locator('.documents-cell').textContent()).toBe('entretien-a.txt');

    // Retype « type de structure » as a choice and rename « effectif »: the values follow.
    const rows = page.locator('.attribute-row');
    await rows.nth(0).getByLabel('Type', { exact: true }).selectOption({ label: 'choix' });
    await rows.nth(0).getByLabel('Valeurs possibles').fill('Compagnie; Festival; Théâtre');
    await rows.nth(1).getByLabel('Nom de l’attribut').fill('taille');
    await page.getByRole('button', { name: 'Enregistrer les attributs' }).click();
    await page.getByText('Attributs enregistrés.').waitFor();
    await nadia.getByLabel('taille de P01').waitFor();
    expect(await nadia.getByLabel('taille de P01').inputValue()).toBe('4');
    expect(await nadia.getByLabel('type de structure de P01').evaluate((e) => e.tagName)).toBe('SELECT');
    expect(await nadia.getByLabel('type de structure de P01').inputValue()).toBe('Compagnie');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'participants-table');
    await expectNoSeriousViolations(page);

    // An inline edit is saved when the field is left.
    await nadia.getByLabel('taille de P01').fill('5');
    await nadia.getByLabel('taille de P01').press('Tab');
    await nadia.getByLabel('type de structure de P01').selectOption('Théâtre');
    await expect
      .poll(async () => (await admin.get(`${base}/participants`)).body.participants[0].attributes)
      .toEqual({ 'type de structure': 'Théâtre', taille: 5, 'date entretien': '2024-04-18' });

    // The documents list shows each document's participant, and a lead can change it.
    await page.getByRole('link', { name: 'Compagnies' }).click();
    const rowA = page.locator('li[data-document="entretien-a.txt"]');
    await rowA.locator('.badge.pseudonym', { hasText: 'P01' }).waitFor();
    await page.locator('li[data-document="entretien-b.txt"] .badge.pseudonym', { hasText: 'P02' }).waitFor();
    await rowA
      .getByLabel('Participant·e interrogé·e dans « entretien-a.txt »')
      .selectOption({ label: 'P02 — Louis Perrin' });
    await rowA.locator('.badge.pseudonym', { hasText: 'P02' }).waitFor();
    await expect
      .poll(async () => {
        const documents = (await admin.get(`${base}/documents`)).body.documents as {
          name: string;
          participantId: string | null;
        }[];
        const participants = (await admin.get(`${base}/participants`)).body.participants as {
          id: string;
          pseudonym: string;
        }[];
        const a = documents.find((d) => d.name === 'entretien-a.txt');
        return participants.find((p) => p.id === a?.participantId)?.pseudonym;
      })
      .toBe('P02');

    // The codebook comes in and goes out as CSV, from the same page.
    await page.getByLabel('Codebook à importer (.csv)').setInputFiles({
      name: 'codebook.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'code,parent,couleur,description\nOutils,,#1f6fb2,\nTableurs,Outils,#2b8a3e,\n',
        'utf8',
      ),
    });
    await page.getByRole('button', { name: 'Importer le codebook' }).click();
    await page.getByText('2 codes créés, 0 déjà présent.').waitFor();
    const exportLink = page.getByRole('link', { name: 'Télécharger le codebook (CSV)' });
    const exported = await page.request.get(`${server.url}${await exportLink.getAttribute('href')}`);
    expect(await exported.text()).toContain('Tableurs,Outils,#2b8a3e');
    expect(browser.problems).toEqual([]);
  }, 90_000);

  it('loads the demo study from an empty project list, and sets the interviewer’s turns apart', async () => {
    const admin = await adminClient(server);
    const { page } = browser;
    await signIn(page, server.url);
    await page.getByRole('heading', { name: 'Verbatim, l’atelier de codage d’entretiens' }).waitFor();
    await screenshot(page, 'project-list-empty');
    await expectNoSeriousViolations(page);
    await page.getByRole('button', { name: 'Charger l’étude démo' }).click();

    await page.getByRole('heading', { name: 'Étude démo', level: 1 }).waitFor();
    const list = page.locator('.document-list');
    await list.getByRole('link').first().waitFor();
    expect(await list.getByRole('link').count()).toBe(4);
    expect(await list.locator('.badge.pseudonym').allTextContents()).toEqual(['P01', 'P02', 'P03', 'P04']);
    await screenshot(page, 'project-page-demo');
    await expectNoSeriousViolations(page);
    const projectId = new URL(page.url()).pathname.split('/')[2] as string;

    // A few codings, as a researcher would have made them, for the README's picture.
    const base = `/api/projects/${projectId}`;
    const documents = (await admin.get(`${base}/documents`)).body.documents as { id: string; name: string }[];
    const vtt = documents.find((d) => d.name.endsWith('.vtt'));
    if (!vtt) throw new Error('the demo has no .vtt interview');
    const text = (await admin.get(`${base}/documents/${vtt.id}`)).body.text as string;
    const codes = (await admin.get(`${base}/codes`)).body.codes as { id: string; name: string }[];
    const codeId = (name: string) => {
      const code = codes.find((c) => c.name === name);
      if (!code) throw new Error(`no code « ${name} » in the demo codebook`);
      return code.id;
    };
    for (const [code, passage] of [
      ['Exports et bricolages', 'un énorme tableur partagé qui est en fait notre outil de planification'],
      [
        'Fragmentation des données',
        'si quelqu’un supprime une ligne par erreur, personne ne s’en rend compte',
      ],
      ['Redondance de saisie', 'je ressaisis tout dans le logiciel de paie'],
      ['Formation et compétences', 'on est multi-casquettes, comme toutes les petites compagnies'],
      ['Coûts des licences et connecteurs', 'On m’a fait un devis à 150 € par mois et par utilisateur'],
    ] as const) {
      const created = await admin.post(`${base}/codings`, {
        documentId: vtt.id,
        codeId: codeId(code),
        ...codePointSpan(text, passage),
      });
      expect(created.status).toBe(201);
    }

    await list.getByRole('link', { name: vtt.name }).click();
    await page.getByRole('heading', { name: vtt.name, level: 1 }).waitFor();
    await page.locator('.transcript span.coded').first().waitFor();
    // The participant and their attributes head the document.
    const card = page.getByRole('group', { name: 'Participant·e interrogé·e' });
    expect(await card.locator('.badge.pseudonym').textContent()).toBe('P03');
    expect(await card.textContent()).toContain('Compagnie');
    // Times beside the speakers, in m:ss.
    expect(await page.locator('.block.turn .block-time').first().textContent()).toBe('0:01');
    // The interviewer's turns are marked apart, and only hers.
    const roles = await page.locator('.block.turn').evaluateAll((blocks) =>
      blocks.map((b) => ({
        speaker: b.querySelector('.speaker')?.textContent ?? '',
        role: b.getAttribute('data-speaker-role'),
      })),
    );
    expect(roles.length).toBeGreaterThan(4);
    for (const { speaker, role } of roles) {
      expect(role).toBe(speaker.startsWith('Enquêtrice') ? 'interviewer' : 'interviewee');
    }
    expect(await page.locator('.block.interviewer').count()).toBe(
      roles.filter(({ speaker }) => speaker.startsWith('Enquêtrice')).length,
    );
    // Not by colour alone: the interviewer's label is in italics and her turn is indented.
    const style = await page
      .locator('.block.interviewer')
      .first()
      .evaluate((block) => {
        const text = block.querySelector('.block-text') as HTMLElement;
        const speaker = block.querySelector('.speaker') as HTMLElement;
        return {
          fontStyle: getComputedStyle(speaker).fontStyle,
          paddingLeft: getComputedStyle(text).paddingLeft,
        };
      });
    expect(style).toEqual({ fontStyle: 'italic', paddingLeft: '24px' });

    // Each margin label stands level with the first line its code covers (pushed down, never up,
    // when labels would overlap), and a long code name wraps rather than being cut.
    await expect
      .poll(() => page.locator('.margin-codes.placed').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    // Blocks far below the screen are measured once scrolled to: only placed ones are checked.
    const margins = await page.locator('.block:has(.margin-codes.placed)').evaluateAll((blocks) =>
      blocks.flatMap((block) => {
        const labels = [...block.querySelectorAll<HTMLElement>('.margin-code')].map((li) => {
          const stripeTops = [...block.querySelectorAll<HTMLElement>('.stripe')]
            .filter((s) => s.dataset.codeId === li.dataset.codeId)
            .map((s) => s.getBoundingClientRect().top);
          const box = li.getBoundingClientRect();
          return {
            top: box.top,
            bottom: box.bottom,
            stripeTop: Math.min(...stripeTops),
            clipped: li.scrollWidth > li.clientWidth + 1,
          };
        });
        return labels.length === 0 ? [] : [labels.sort((a, b) => a.top - b.top)];
      }),
    );
    expect(margins.length).toBeGreaterThan(0);
    for (const labels of margins) {
      expect(Math.abs((labels[0]?.top ?? 0) - (labels[0]?.stripeTop ?? 0))).toBeLessThan(4);
      labels.forEach((label, i) => {
        expect(label.top).toBeGreaterThan(label.stripeTop - 4);
        expect(label.clipped).toBe(false);
        if (i > 0) expect(label.top).toBeGreaterThanOrEqual((labels[i - 1]?.bottom ?? 0) - 0.5);
      });
    }

    const shot = await screenshot(page, 'coding-view-demo-vtt');
    // The README's picture is refreshed on request only: a test run leaves the repository as it was.
    if (process.env.UPDATE_README_SCREENSHOT) await copyFile(shot, 'docs/screenshot-coding.png');
    await expectNoSeriousViolations(page);
    expect(browser.problems).toEqual([]);
  }, 90_000);
});
