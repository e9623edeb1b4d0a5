/**
 * The export fixture study (fixtures/export/) loaded through the API into a fresh project, and
 * helpers to read back what an export wrote.
 */
import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import type { Client } from '../../helpers/server.ts';

const DIR = new URL('../../../fixtures/export/', import.meta.url);

export interface FixtureCoding {
  file: string;
  code: string;
  passage: string;
  memo: string;
}

/** The real names of the fixture, none of which may appear in a pseudonymised export. */
export const REAL_NAMES = ['Camille Martin', 'Camille', 'Dubœuf', 'Hélène', 'Lilas'];

/** The fixture's codings, as listed in codings.json. */
export async function fixtureCodings(): Promise<FixtureCoding[]> {
  return JSON.parse(await readFile(new URL('codings.json', DIR), 'utf8')) as FixtureCoding[];
}

function form(name: string, bytes: Uint8Array): FormData {
  const data = new FormData();
  data.append('file', new Blob([new Uint8Array(bytes)]), name);
  return data;
}

/** A new project holding the fixture study, led by `client`; returns its API base path. */
export async function loadFixtureProject(
  client: Client,
  options: { replacements?: boolean; publish?: boolean } = {},
): Promise<{ pid: string; base: string; codes: Record<string, string> }> {
  const project = await client.post('/api/projects', { name: 'Billetteries du Théâtre des Lilas' });
  const pid = project.body.id as string;
  const base = `/api/projects/${pid}`;
  const texts: Record<string, string> = {};
  for (const file of ['entretien-theatre.txt', 'entretien-festival.txt']) {
    texts[file] = await readFile(new URL(file, DIR), 'utf8');
    const added = await client.post(`${base}/documents`, { name: file, text: texts[file] });
    if (added.status !== 201) throw new Error(`loadFixtureProject: ${file} refused (${added.status})`);
  }
  const participants = await client.request(
    'POST',
    `${base}/participants/import`,
    form('participants.csv', await readFile(new URL('participants.csv', DIR))),
  );
  if (participants.status !== 200) throw new Error(`loadFixtureProject: participants ${participants.status}`);
  if (options.publish ?? true) {
    // The lead marks both attributes publishable, so citations and columns show them.
    const { attributes } = (await client.get(`${base}/attributes`)).body as { attributes: object[] };
    const put = await client.put(`${base}/attributes`, {
      attributes: attributes.map((a) => ({ ...a, publish: true })),
    });
    if (put.status !== 200) throw new Error(`loadFixtureProject: attributes ${JSON.stringify(put.body)}`);
  }
  const codebook = await client.request(
    'POST',
    `${base}/codes/import`,
    form('codebook.csv', await readFile(new URL('codebook.csv', DIR))),
  );
  if (codebook.status >= 300) throw new Error(`loadFixtureProject: codebook ${codebook.status}`);
  const codes: Record<string, string> = Object.fromEntries(
    (await client.get(`${base}/codes`)).body.codes.map((c: { name: string; id: string }) => [c.name, c.id]),
  );
  const documents: Record<string, string> = Object.fromEntries(
    (await client.get(`${base}/documents`)).body.documents.map((d: { name: string; id: string }) => [
      d.name,
      d.id,
    ]),
  );
  for (const coding of await fixtureCodings()) {
    const text = texts[coding.file] as string;
    const at = text.indexOf(coding.passage);
    if (at < 0) throw new Error(`loadFixtureProject: « ${coding.passage} » is not in ${coding.file}`);
    const start = [...text.slice(0, at)].length;
    const created = await client.post(`${base}/codings`, {
      documentId: documents[coding.file],
      codeId: codes[coding.code],
      start,
      end: start + [...coding.passage].length,
      memo: coding.memo,
    });
    if (created.status !== 201)
      throw new Error(`loadFixtureProject: coding refused ${JSON.stringify(created.body)}`);
  }
  if (options.replacements ?? true) {
    const list = JSON.parse(await readFile(new URL('replacements.json', DIR), 'utf8')) as unknown;
    const put = await client.put(`${base}/replacements`, { replacements: list });
    if (put.status !== 200) throw new Error(`loadFixtureProject: replacements ${JSON.stringify(put.body)}`);
  }
  return { pid, base, codes };
}

/** Download a binary export with the client's session. */
export async function download(
  url: string,
  client: Client,
): Promise<{ status: number; bytes: Uint8Array; headers: Headers }> {
  const res = await fetch(url, { headers: { cookie: client.cookie } });
  return { status: res.status, bytes: new Uint8Array(await res.arrayBuffer()), headers: res.headers };
}

/** Every part of a zip (a .docx, an .xlsx) as text. */
export function zipTexts(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#x([0-9a-f]+);/gi, (_m, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&amp;/g, '&');
}

/** The paragraphs of a WordprocessingML body: style id and text (breaks as line feeds). */
export function paragraphs(documentXml: string): { style: string; text: string }[] {
  return [...documentXml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => {
    const xml = m[0];
    const style = /<w:pStyle w:val="([^"]+)"/.exec(xml)?.[1] ?? '';
    const text = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:br\/>/g)]
      .map((t) => (t[0] === '<w:br/>' ? '\n' : decodeXml(t[1] ?? '')))
      .join('');
    return { style, text };
  });
}
