/**
 * What the coding-view tests share: a project built through the API (an admin who leads it, a
 * coder, a transcript, a few codes), signing in a browser page, and an accessibility check.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { Client, type TestServer } from '../helpers/server.ts';

export const TRANSCRIPT = [
  'Entretien n° 5 — « Les outils de la billetterie », Nantes, avril 2026',
  '',
  'Enquêtrice : Pouvez-vous me décrire une journée de vente ?',
  '',
  'Nadia Benali : Le matin, je ressaisis tout dans le logiciel de paie 😩 parce que la billetterie ne parle à personne. Ensuite j’exporte un tableur énorme, qu’on corrige à la main.',
  '',
  'Enquêtrice : Et la formation des équipes ?',
  '',
  'Nadia Benali : Personne n’a été formé. On apprend sur le tas, entre deux spectacles, et c’est épuisant pour tout le monde.',
].join('\n');

/** [start, end) in code points of the first occurrence of `passage` in `text`. */
export function codePointSpan(passage: string, text = TRANSCRIPT): { start: number; end: number } {
  const at = text.indexOf(passage);
  if (at < 0) throw new Error(`codePointSpan: « ${passage} » is not in the transcript`);
  const start = [...text.slice(0, at)].length;
  return { start, end: start + [...passage].length };
}

export interface Study {
  admin: Client;
  projectId: string;
  documentId: string;
  /** Code ids by name. */
  codes: Record<string, string>;
  coder: { id: string; username: string; password: string };
  lead: { username: string; password: string };
  url: (path: string) => string;
}

/**
 * A project led by the admin, with a coder « nadia », one transcript and the given top-level
 * codes (name → colour).
 */
export async function buildStudy(server: TestServer, codes: Record<string, string> = {}): Promise<Study> {
  const admin = new Client(() => server.url);
  const lead = { username: 'camille', password: 'mot de passe camille' };
  await admin.post('/api/auth/setup', lead);
  const coder = { username: 'nadia', password: 'mot de passe nadia' };
  const created = (await admin.post('/api/users', { ...coder, displayName: 'Nadia Benali' })).body.user;
  const project = (await admin.post('/api/projects', { name: 'Billetterie' })).body;
  await admin.put(`/api/projects/${project.id}/members/${created.id}`, { role: 'coder' });
  const document = (
    await admin.post(`/api/projects/${project.id}/documents`, { name: 'nadia.txt', text: TRANSCRIPT })
  ).body.documents[0];
  const ids: Record<string, string> = {};
  for (const [name, color] of Object.entries(codes)) {
    const code = await admin.post(`/api/projects/${project.id}/codes`, { name, color });
    expect(code.status).toBe(201);
    ids[name] = code.body.id;
  }
  return {
    admin,
    projectId: project.id,
    documentId: document.id,
    codes: ids,
    coder: { id: created.id, ...coder },
    lead,
    url: (path) => `${server.url}${path}`,
  };
}

/** Sign in on the login page and wait for the project list. */
export async function signIn(page: Page, url: string, user: { username: string; password: string }) {
  await page.goto(`${url}/login`);
  await page.getByLabel('Identifiant').fill(user.username);
  await page.getByLabel('Mot de passe').fill(user.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('heading', { name: 'Projets', level: 1 }).waitFor();
}

/** Open the study's document and wait until its codebook and transcript are drawn. */
export async function openDocument(page: Page, study: Study): Promise<void> {
  await page.goto(study.url(`/projects/${study.projectId}/documents/${study.documentId}`));
  await page.locator('.transcript .block').first().waitFor();
  await page.locator('.coding-toolbar .live-dot:not(.off)').waitFor();
}

/** No serious or critical axe violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const audit = await new AxeBuilder({ page }).analyze();
  const serious = audit.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** The study's codings as the server has them. */
export async function serverCodings(study: Study) {
  return (await study.admin.get(`/api/projects/${study.projectId}/codings?documentId=${study.documentId}`))
    .body.codings as {
    id: string;
    codeId: string;
    start: number;
    end: number;
    text: string;
    coderId: string;
  }[];
}
