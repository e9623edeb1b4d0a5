import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normaliseText } from '../../shared/text.ts';
import {
  canValidate,
  form,
  haveSamples,
  listFiles,
  noticeMissingSamples,
  qdpx,
  SAMPLES_DIR,
  validateXml,
} from '../server/refi/support.ts';
import { startWorld, type World } from './setup.ts';
import { withDeclaredSize } from '../helpers/hostile-zips.ts';
import type { Client } from '../helpers/server.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

interface CodeRow {
  id: string;
  name: string;
  parentId: string | null;
  color: string;
  description: string;
}
interface CodingRow {
  documentId: string;
  codeId: string;
  start: number;
  end: number;
  text: string;
  coderId: string;
  memo: string;
}

const INTERVIEW_1 =
  'Enquêtrice : Comment gérez-vous la billetterie ?\n' +
  'Zoé : On ressaisit tout à la main 😩, deux fois par semaine.\n' +
  'Enquêtrice : Et la paie ?\n' +
  'Zoé : Le logiciel de paie ne parle pas au planning 🗓️ : c’est épuisant.\n';
const INTERVIEW_2 =
  'Q : Quels outils utilisez-vous ?\nR : Un tableur partagé, et Notre-Dame-des-Landes 🎭 pour la com.\nQ : Ça marche ?\nR : Pas vraiment, à cause des accès.\n';

/** Code points of `passage` in `text`. */
function span(text: string, passage: string): { start: number; end: number } {
  const at = text.indexOf(passage);
  if (at < 0) throw new Error(`passage absent: ${passage}`);
  const start = Array.from(text.slice(0, at)).length;
  return { start, end: start + Array.from(passage).length };
}

/**
 * The fixture project: nested codes, two interviews with emoji and accents, two participants with
 * attributes of every type, codings by three coders (one memo), a document memo.
 */
async function buildFixtureProject() {
  const admin = world.admin;
  const camille = await world.user('camille');
  const dominique = await world.user('dominique');
  const project = await admin.post('/api/projects', {
    name: 'Outils du spectacle vivant',
    description: 'Étude sur la ressaisie.',
  });
  const pid = project.body.id as string;
  const base = `/api/projects/${pid}`;
  for (const member of [camille, dominique])
    await admin.put(`${base}/members/${member.id}`, { role: 'coder' });
  const docs = await Promise.all([
    admin.post(`${base}/documents`, { name: 'entretien-zoé.txt', text: INTERVIEW_1 }),
    admin.post(`${base}/documents`, { name: 'entretien-02.txt', text: INTERVIEW_2 }),
  ]);
  const [doc1, doc2] = docs.map((d) => d.body.documents[0].id as string) as [string, string];
  await admin.patch(`${base}/documents/${doc1}`, { memo: 'Entretien mené au théâtre, bruit de fond.' });
  const code = async (name: string, parentId: string | null, description = '') =>
    (await admin.post(`${base}/codes`, { name, parentId, description })).body.id as string;
  const outils = await code('Outils numériques', null, 'Tout outil cité.');
  const billetterie = await code('Billetterie', outils);
  const ressaisie = await code('Double saisie', billetterie, 'Ressaisir une donnée déjà saisie ailleurs.');
  const emotions = await code('Émotions 😀', null);
  await admin.put(`${base}/attributes`, {
    attributes: [
      { name: 'type de structure', type: 'choice', choices: ['Théâtre', 'Festival'] },
      { name: 'effectif', type: 'number' },
      { name: 'date entretien', type: 'date' },
      { name: 'ville', type: 'text' },
    ],
  });
  const zoe = await admin.post(`${base}/participants`, {
    name: 'Zoé Petit',
    pseudonym: 'P01',
    attributes: {
      'type de structure': 'Théâtre',
      effectif: 12,
      'date entretien': '2026-03-14',
      ville: 'Saint-Étienne',
    },
  });
  const p2 = await admin.post(`${base}/participants`, {
    name: 'Hélène Dubœuf',
    pseudonym: 'P02',
    attributes: { 'type de structure': 'Festival', effectif: 8.5 },
  });
  await admin.patch(`${base}/documents/${doc1}`, { participantId: zoe.body.id });
  await admin.patch(`${base}/documents/${doc2}`, { participantId: p2.body.id });
  const coding = async (
    who: Client,
    documentId: string,
    codeId: string,
    text: string,
    passage: string,
    memo?: string,
  ) => {
    const res = await who.post(`${base}/codings`, {
      documentId,
      codeId,
      ...span(text, passage),
      ...(memo ? { memo } : {}),
    });
    expect(res.status).toBe(201);
  };
  await coding(admin, doc1, ressaisie, INTERVIEW_1, 'On ressaisit tout à la main 😩', 'Typique.');
  await coding(camille.client, doc1, ressaisie, INTERVIEW_1, 'On ressaisit tout à la main 😩');
  await coding(camille.client, doc1, emotions, INTERVIEW_1, 'On ressaisit tout à la main 😩');
  await coding(dominique.client, doc1, emotions, INTERVIEW_1, 'c’est épuisant');
  await coding(dominique.client, doc1, outils, INTERVIEW_1, 'planning 🗓️');
  await coding(admin, doc2, billetterie, INTERVIEW_2, 'Notre-Dame-des-Landes 🎭');
  await coding(camille.client, doc2, outils, INTERVIEW_2, 'Un tableur partagé');
  return { pid, base, doc1, doc2 };
}

async function download(
  client: Client,
  path: string,
): Promise<{ status: number; bytes: Uint8Array; type: string }> {
  const res = await fetch(`${world.server.url}${path}`, { headers: { cookie: client.cookie } });
  return {
    status: res.status,
    bytes: new Uint8Array(await res.arrayBuffer()),
    type: res.headers.get('content-type') ?? '',
  };
}

/** A project's content as comparable data: names and paths instead of ids. */
async function snapshot(client: Client, base: string) {
  const codes = (await client.get(`${base}/codes`)).body.codes as CodeRow[];
  const byId = new Map(codes.map((c) => [c.id, c]));
  const path = (id: string): string => {
    const c = byId.get(id) as CodeRow;
    return c.parentId ? `${path(c.parentId)} › ${c.name}` : c.name;
  };
  const documents = (await client.get(`${base}/documents`)).body.documents as {
    id: string;
    name: string;
    memo: string;
    participantId: string | null;
  }[];
  const participants = (await client.get(`${base}/participants`)).body;
  const pseudonymOf = new Map<string, string>(
    (participants.participants as { id: string; pseudonym: string }[]).map((p) => [p.id, p.pseudonym]),
  );
  const docName = new Map(documents.map((d) => [d.id, d.name]));
  const texts = Object.fromEntries(
    await Promise.all(
      documents.map(async (d) => [
        d.name,
        (await client.get(`${base}/documents/${d.id}`)).body.text as string,
      ]),
    ),
  );
  const codings = ((await client.get(`${base}/codings`)).body.codings as CodingRow[])
    .map((c) => ({
      document: docName.get(c.documentId),
      code: path(c.codeId),
      start: c.start,
      end: c.end,
      text: c.text,
      coderId: c.coderId,
      memo: c.memo,
    }))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return {
    codes: codes
      .map((c) => ({ path: path(c.id), color: c.color, description: c.description }))
      .sort((a, b) => a.path.localeCompare(b.path)),
    documents: documents
      .map((d) => ({
        name: d.name,
        memo: d.memo,
        participant: d.participantId && pseudonymOf.get(d.participantId),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    texts,
    attributes: participants.attributes,
    participants: (participants.participants as { pseudonym: string; attributes: unknown }[])
      .map((p) => ({ pseudonym: p.pseudonym, attributes: p.attributes }))
      .sort((a, b) => a.pseudonym.localeCompare(b.pseudonym)),
    codings,
  };
}

async function importQdpx(client: Client, bytes: Uint8Array, name = 'projet.qdpx') {
  return client.request('POST', '/api/projects/import', form(bytes, name));
}

describe('REFI-QDA export', () => {
  it('exports a .qdpx whose project.qde validates against Project.xsd and whose texts are the stored texts', async () => {
    const { base, doc1, doc2 } = await buildFixtureProject();
    const res = await download(world.admin, `${base}/exports/project.qdpx`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/zip');
    const files = unzipSync(res.bytes);
    expect(Object.keys(files).sort()).toEqual(
      ['project.qde', `sources/${doc1}.txt`, `sources/${doc2}.txt`].sort(),
    );
    expect(strFromU8(files[`sources/${doc1}.txt`] as Uint8Array)).toBe(INTERVIEW_1);
    const xml = strFromU8(files['project.qde'] as Uint8Array);
    expect(xml).toContain('xmlns="urn:QDA-XML:project:1.0"');
    expect(xml).toMatch(/<PlainTextSelection [^>]*startPosition="\d+" endPosition="\d+"/);
    expect(xml).not.toMatch(/<(Users|Codes|Variables|Cases|Sources|Notes)\s*\/>/);
    // The same passage coded by three coders: one selection, one Coding per code and coder.
    const first = span(INTERVIEW_1, 'On ressaisit tout à la main 😩');
    expect(
      xml.match(new RegExp(`startPosition="${first.start}" endPosition="${first.end}"`, 'g'))?.length,
    ).toBe(2);
    if (canValidate()) {
      const verdict = await validateXml(xml, 'Project');
      expect(verdict.output).toBe('');
      expect(verdict.valid).toBe(true);
    }
  });

  it('refuses with a plain error, before sending a byte, when a stored text cannot be read', async () => {
    const { base, doc2 } = await buildFixtureProject();
    // Restarted, so that no text is in memory; then one text is gone from the disk.
    await world.server.restart(() =>
      rm(join(world.server.dataDir, 'projects', base.split('/').at(-1) as string, 'texts', `${doc2}.txt`)),
    );
    const res = await fetch(`${world.server.url}${base}/exports/project.qdpx`, {
      headers: { cookie: world.admin.cookie },
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect((await res.json()).error.message).toMatch(/texte/);
  });

  it('gives the same GUIDs, and the same project.qde, on every export of the same project', async () => {
    const { base } = await buildFixtureProject();
    const once = unzipSync((await download(world.admin, `${base}/exports/project.qdpx`)).bytes)[
      'project.qde'
    ];
    const twice = unzipSync((await download(world.admin, `${base}/exports/project.qdpx`)).bytes)[
      'project.qde'
    ];
    expect(strFromU8(twice as Uint8Array)).toBe(strFromU8(once as Uint8Array));
  });

  it('exports the codebook as a .qdc that validates against Codebook.xsd', async () => {
    const { base } = await buildFixtureProject();
    const res = await download(world.admin, `${base}/exports/codebook.qdc`);
    expect(res.status).toBe(200);
    const xml = strFromU8(res.bytes);
    expect(xml).toContain('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"');
    expect(xml).toContain('name="Émotions 😀"');
    if (canValidate()) expect(await validateXml(xml, 'Codebook')).toEqual({ valid: true, output: '' });
  });

  it('exports the codebook as it is now after each change: created, renamed, moved, merged, deleted, undone', async () => {
    const pid = (await world.admin.post('/api/projects', { name: 'Codebook suivi' })).body.id as string;
    const base = `/api/projects/${pid}`;
    const qdc = async () => strFromU8((await download(world.admin, `${base}/exports/codebook.qdc`)).bytes);
    const names = (xml: string) => [...xml.matchAll(/ name="([^"]*)"/g)].map((m) => m[1]);
    const code = async (name: string) =>
      (await world.admin.post(`${base}/codes`, { name, color: '#1f77b4' })).body.id as string;

    const a = await code('Coûts');
    expect(names(await qdc())).toEqual(['Coûts']);
    expect(names(await qdc())).toEqual(['Coûts']); // Asked twice, nothing changed between.
    const b = await code('Accessibilité');
    expect(names(await qdc())).toEqual(['Accessibilité', 'Coûts']);
    expect((await world.admin.patch(`${base}/codes/${a}`, { name: 'Coûts cachés' })).status).toBe(200);
    expect(names(await qdc())).toEqual(['Accessibilité', 'Coûts cachés']);
    expect((await world.admin.patch(`${base}/codes/${b}`, { parentId: a })).status).toBe(200);
    const nested = await qdc();
    expect(nested).toMatch(/name="Coûts cachés"[^>]*>\s*<Code [^>]*name="Accessibilité"/);
    expect((await world.admin.patch(`${base}/codes/${b}`, { description: 'Accès aux outils' })).status).toBe(
      200,
    );
    expect(await qdc()).toContain('<Description>Accès aux outils</Description>');
    const c = await code('Redondance de saisie');
    expect((await world.admin.post(`${base}/codes/${c}/merge`, { targetId: a })).status).toBe(200);
    expect(names(await qdc())).toEqual(['Coûts cachés', 'Accessibilité']);
    expect((await world.admin.delete(`${base}/codes/${b}`)).status).toBe(200);
    expect(names(await qdc())).toEqual(['Coûts cachés']);
    expect((await world.admin.post(`${base}/undo`)).status).toBe(200);
    expect(names(await qdc())).toEqual(['Coûts cachés', 'Accessibilité']);
  });

  it('refuses to export an empty codebook as .qdc (the schema requires a code), with 422', async () => {
    const pid = (await world.admin.post('/api/projects', { name: 'Vide' })).body.id as string;
    const res = await world.admin.get(`/api/projects/${pid}/exports/codebook.qdc`);
    expect(res.status).toBe(422);
  });

  it('exports an empty project as a valid project.qde (no empty wrapper)', async () => {
    const pid = (await world.admin.post('/api/projects', { name: 'Vide' })).body.id as string;
    const files = unzipSync((await download(world.admin, `/api/projects/${pid}/exports/project.qdpx`)).bytes);
    const xml = strFromU8(files['project.qde'] as Uint8Array);
    if (canValidate()) expect(await validateXml(xml, 'Project')).toEqual({ valid: true, output: '' });
  });

  it('answers 404 to a non-member', async () => {
    const { base } = await buildFixtureProject();
    const outsider = await world.user('outsider');
    expect((await outsider.client.get(`${base}/exports/project.qdpx`)).status).toBe(404);
  });
});

describe('REFI-QDA round trip', () => {
  it('re-importing an export gives back the codebook, texts, participants, attributes and codings', async () => {
    const { base } = await buildFixtureProject();
    const exported = (await download(world.admin, `${base}/exports/project.qdpx`)).bytes;
    const res = await importQdpx(world.admin, exported);
    expect(res.status).toBe(201);
    expect(res.body.project.role).toBe('lead');
    expect(res.body.report).toMatchObject({
      documents: 2,
      codes: 4,
      codings: 7,
      participants: 2,
      attributes: 4,
      memos: 2,
    });
    // The three original coders are labels, each with their codings; every coding is now the
    // importer's (no account is matched by the file's GUIDs), its original coder named in its memo.
    const me = (await world.admin.get('/api/auth/me')).body.user.id as string;
    expect(res.body.report.attributedTo).toBe(me);
    const names = (res.body.report.coders as { name: string; codings: number }[]).map((c) => c.name).sort();
    expect(names).toEqual(['admin', 'camille', 'dominique']);
    expect(res.body.report.coders.reduce((n: number, c: { codings: number }) => n + c.codings, 0)).toBe(7);
    const imported = await snapshot(world.admin, `/api/projects/${res.body.project.id}`);
    const original = await snapshot(world.admin, base);
    const label = /^Codeur d'origine : ([^\n]+)(?:\n\n)?/;
    const users = (await world.admin.get('/api/users')).body.users as { id: string; displayName: string }[];
    const nameOf = new Map(users.map((u) => [u.id, u.displayName]));
    const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(
      sorted(
        imported.codings.map((c) => ({
          ...c,
          memo: c.memo.replace(label, ''),
          from: label.exec(c.memo)?.[1],
        })),
      ),
    ).toEqual(sorted(original.codings.map((c) => ({ ...c, coderId: me, from: nameOf.get(c.coderId) }))));
    expect({ ...imported, codings: [] }).toEqual({ ...original, codings: [] });
  });
});

describe('REFI-QDA import of a project written by another tool', () => {
  it('maps selections through BOM removal, CRLF → LF and NFC composition, with GUIDs in braces and upper case', async () => {
    // « Ére » typed with a combining accent, an emoji, CRLF line ends and a BOM, as tools write them.
    const raw =
      '\uFEFFQ : Vous êtes où ?\r\nR : À l\u0301\u00e9cole E\u0301mile-Zola 🏫, en CM2.\r\nQ : Merci.\r\n';
    const plain = raw.slice(1);
    const select = (passage: string) => {
      const at = plain.indexOf(passage);
      return {
        start: Array.from(plain.slice(0, at)).length,
        end: Array.from(plain.slice(0, at + passage.length)).length,
      };
    };
    const passages = ['E\u0301mile-Zola 🏫', 'en CM2.\r\nQ : Merci.', 'Q : Vous êtes où ?'];
    const selections = passages
      .map((p, i) => {
        const { start, end } = select(p);
        return `<PlainTextSelection guid="{0000000${i}-AAAA-4AAA-8AAA-00000000000${i}}" startPosition="${start}" endPosition="${end}" creatingUser="{11111111-1111-4111-8111-111111111111}"><Coding guid="0000001${i}-AAAA-4AAA-8AAA-00000000000${i}"><CodeRef targetGUID="{C0DE0000-0000-4000-8000-000000000001}"/></Coding></PlainTextSelection>`;
      })
      .join('');
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:0:10" name="École" origin="Outil de test 1.0">
  <Users><User guid="11111111-1111-4111-8111-111111111111" name="Ana Souza"/></Users>
  <CodeBook><Codes><Code guid="c0de0000-0000-4000-8000-000000000001" name="Lieux" isCodable="true" color="#F0A"/></Codes></CodeBook>
  <Sources><TextSource guid="{5E5E5E5E-0000-4000-8000-000000000001}" name="entretien-ana" plainTextPath="internal://5E5E5E5E-0000-4000-8000-000000000001.txt">${selections}</TextSource></Sources>
</Project>`;
    const archive = qdpx(xml, { '5E5E5E5E-0000-4000-8000-000000000001.txt': raw }, 'Sources');
    const res = await importQdpx(world.admin, archive);
    expect(res.status).toBe(201);
    expect(res.body.report.sources[0]).toMatchObject({ positionUnit: 'code-points', inexact: 0, codings: 3 });
    const base = `/api/projects/${res.body.project.id}`;
    const codings = (await world.admin.get(`${base}/codings`)).body.codings as CodingRow[];
    expect(codings.map((c) => c.text).sort()).toEqual(passages.map(normaliseText).sort());
    const doc = (await world.admin.get(`${base}/documents/${codings[0]?.documentId}`)).body;
    expect(doc.text).toBe(normaliseText(raw));
    for (const c of codings) expect(Array.from(doc.text).slice(c.start, c.end).join('')).toBe(c.text);
    const codes = (await world.admin.get(`${base}/codes`)).body.codes as CodeRow[];
    expect(codes[0]).toMatchObject({ name: 'Lieux', color: '#ff00aa' });
  });

  it("creates no account and matches none: a file claiming the admin's GUID or a new name only labels codings", async () => {
    const adminId = (await world.admin.get('/api/auth/me')).body.user.id as string;
    const intruder = await world.user('intrus');
    const usersBefore = (await world.admin.get('/api/users')).body.users;
    const xml = `<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p"><Users><User guid="${adminId}" name="admin"/><User guid="22222222-2222-4222-8222-222222222222" name="marie.curie"/></Users>
<CodeBook><Codes><Code guid="c0de0000-0000-4000-8000-000000000002" name="Code" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="5e5e5e5e-0000-4000-8000-000000000002" name="t"><PlainTextContent>Bonjour à tous.</PlainTextContent>
<PlainTextSelection guid="00000000-0000-4000-8000-000000000009" startPosition="0" endPosition="7"><Coding guid="00000000-0000-4000-8000-000000000010" creatingUser="${adminId}"><CodeRef targetGUID="c0de0000-0000-4000-8000-000000000002"/></Coding><Coding guid="00000000-0000-4000-8000-000000000011" creatingUser="22222222-2222-4222-8222-222222222222"><CodeRef targetGUID="c0de0000-0000-4000-8000-000000000002"/></Coding></PlainTextSelection></TextSource></Sources></Project>`;
    const res = await importQdpx(intruder.client, qdpx(xml));
    expect(res.status).toBe(201);
    expect(res.body.report.attributedTo).toBe(intruder.id);
    expect(res.body.report.coders).toEqual([
      { guid: adminId, name: 'admin', codings: 1 },
      { guid: '22222222-2222-4222-8222-222222222222', name: 'marie.curie', codings: 1 },
    ]);
    // The admin is not made a member, and the codings are the importer's, labelled.
    const base = `/api/projects/${res.body.project.id}`;
    expect((await world.admin.get(base)).status).toBe(404);
    expect(Object.keys((await world.server.store.readProject(res.body.project.id))?.members ?? {})).toEqual([
      intruder.id,
    ]);
    const codings = (await intruder.client.get(`${base}/codings`)).body.codings as CodingRow[];
    expect(codings.map((c) => [c.coderId, c.memo]).sort()).toEqual([
      [intruder.id, "Codeur d'origine : admin"],
      [intruder.id, "Codeur d'origine : marie.curie"],
    ]);
    // No account was created: the name « marie.curie » is still free for the administrator.
    expect((await world.admin.get('/api/users')).body.users).toEqual(usersBefore);
    const created = await world.admin.post('/api/users', {
      username: 'marie.curie',
      password: 'mot-de-passe-marie',
    });
    expect(created.status).toBe(201);
  });
});

describe('REFI-QDA import of real samples', () => {
  noticeMissingSamples();

  it.skipIf(!haveSamples)(
    'imports NVivo 12.6: 97 codings, each covering exactly the text NVivo coded',
    async () => {
      const bytes = new Uint8Array(await readFile(join(SAMPLES_DIR, 'nvivo-12.6-win_oltas.qdpx')));
      const res = await importQdpx(world.admin, bytes, 'nvivo-12.6-win_oltas.qdpx');
      expect(res.status).toBe(201);
      expect(res.body.report).toMatchObject({ documents: 1, codes: 60, codings: 97 });
      expect(res.body.report.sources[0]).toMatchObject({ positionUnit: 'utf-16', inexact: 0 });
      // What NVivo coded: its own .txt (BOM stripped, CRLF kept), sliced in UTF-16 units.
      const files = unzipSync(bytes);
      const raw = strFromU8(files['Sources/56a79789-d535-4fb8-bedd-a915504c54ba.txt'] as Uint8Array).replace(
        /^\uFEFF/,
        '',
      );
      const xml = strFromU8(files['project.qde'] as Uint8Array);
      const expected = new Map<string, string>();
      for (const m of xml.matchAll(
        /startPosition="(\d+)" endPosition="(\d+)"[^>]*>\s*<Description \/>\s*<Coding guid="([^"]+)"/g,
      )) {
        expected.set(m[3] as string, normaliseText(raw.slice(Number(m[1]), Number(m[2]))));
      }
      expect(expected.size).toBe(97);
      const codings = (await world.admin.get(`/api/projects/${res.body.project.id}/codings`)).body
        .codings as (CodingRow & { id: string })[];
      expect(codings).toHaveLength(97);
      const differing = codings.filter((c) => c.text !== expected.get(c.id));
      expect(differing).toEqual([]);
      // The NVivo user who coded is a label on the codings, which are the importer's.
      expect(res.body.report.coders.map((c: { name: string }) => c.name)).toEqual(['floriansipos']);
    },
  );

  it.skipIf(!haveSamples)(
    'imports the codebook-only projects of NVivo 15 (Mac) and ATLAS.ti 23',
    async () => {
      const nvivo = await importQdpx(
        world.admin,
        new Uint8Array(await readFile(join(SAMPLES_DIR, 'nvivo-15.0-mac_nvivo_project.qdpx'))),
        'nvivo-15.0-mac_nvivo_project.qdpx',
      );
      expect(nvivo.status).toBe(201);
      // Its two sources hold a single newline each: left aside, said so.
      expect(nvivo.body.report).toMatchObject({ documents: 0, codes: 262, codings: 0 });
      expect(nvivo.body.report.warnings).toHaveLength(2);
      const atlas = await importQdpx(
        world.admin,
        new Uint8Array(await readFile(join(SAMPLES_DIR, 'atlasti-23.2-win_target-atlas-project.qdpx'))),
        'atlasti-23.2-win_target-atlas-project.qdpx',
      );
      expect(atlas.status).toBe(201);
      const codes = (await world.admin.get(`/api/projects/${atlas.body.project.id}/codes`)).body
        .codes as CodeRow[];
      expect(codes).toHaveLength(3);
      const parent = codes.find((c) => c.name === 'Commits');
      expect(codes.filter((c) => c.parentId === parent?.id)).toHaveLength(2);
    },
  );

  it.skipIf(!haveSamples)(
    'takes the Taguette codebook, empty <Sets/> and all, into an existing codebook',
    async () => {
      const pid = (await world.admin.post('/api/projects', { name: 'Taguette' })).body.id as string;
      const qdc = await readFile(join(SAMPLES_DIR, 'taguette-1.4.1_codebook.qdc'));
      const first = await world.admin.request(
        'POST',
        `/api/projects/${pid}/codes/import`,
        form(qdc, 'codebook.qdc'),
      );
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ created: 3, existing: 0, errors: [] });
      const again = await world.admin.request(
        'POST',
        `/api/projects/${pid}/codes/import`,
        form(qdc, 'codebook.qdc'),
      );
      expect(again.body).toEqual({ created: 0, existing: 3, errors: [] });
      const codes = (await world.admin.get(`/api/projects/${pid}/codes`)).body.codes as CodeRow[];
      expect(codes.map((c) => c.id)).toContain('098ac082-a9c7-50f4-9728-48730081a95e');
    },
  );

  it.skipIf(!haveSamples)(
    'refuses the bare MAXQDA and ATLAS.ti 8.4 XML wrapped without their texts, naming the missing file',
    async () => {
      for (const name of ['maxqda-24.7_project.qde', 'atlasti-8.4-mac_standard-project.qde']) {
        const xml = await readFile(join(SAMPLES_DIR, name), 'utf8');
        const res = await importQdpx(world.admin, qdpx(xml));
        expect(res.status).toBe(422);
        expect(res.body.error.message).toMatch(/absent du dossier sources/);
      }
    },
  );
});

describe('REFI-QDA codebook import through the codes route', () => {
  it('merges a .qdc into the codebook, nested codes under existing parents', async () => {
    const pid = (await world.admin.post('/api/projects', { name: 'Codebook' })).body.id as string;
    const base = `/api/projects/${pid}`;
    await world.admin.post(`${base}/codes`, { name: 'Outils', color: '#000075' });
    const qdc = `<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1:0" origin="NVivo"><Codes>
<Code guid="{AAAAAAAA-0000-4000-8000-000000000001}" name="outils" isCodable="false"><Code guid="aaaaaaaa-0000-4000-8000-000000000002" name="Tableur" isCodable="true" color="#123456"><Description>Excel &amp; co</Description></Code></Code>
</Codes></CodeBook>`;
    const res = await world.admin.request('POST', `${base}/codes/import`, form(qdc, 'nvivo.qdc'));
    expect(res.body).toEqual({ created: 1, existing: 1, errors: [] });
    const codes = (await world.admin.get(`${base}/codes`)).body.codes as CodeRow[];
    const outils = codes.find((c) => c.name === 'Outils');
    expect(codes.find((c) => c.name === 'Tableur')).toMatchObject({
      parentId: outils?.id,
      color: '#123456',
      description: 'Excel & co',
    });
  });

  it('keeps the order of the .qdc’s codes, not the alphabet', async () => {
    const pid = (await world.admin.post('/api/projects', { name: 'Ordre' })).body.id as string;
    const base = `/api/projects/${pid}`;
    const qdc = `<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1:0"><Codes>
<Code guid="bbbbbbbb-0000-4000-8000-000000000001" name="Redondance de saisie" isCodable="true"><Code guid="bbbbbbbb-0000-4000-8000-000000000002" name="Tableurs" isCodable="true"/><Code guid="bbbbbbbb-0000-4000-8000-000000000003" name="Double saisie" isCodable="true"/></Code>
<Code guid="bbbbbbbb-0000-4000-8000-000000000004" name="Coûts" isCodable="true"/>
<Code guid="bbbbbbbb-0000-4000-8000-000000000005" name="Accessibilité" isCodable="true"/>
</Codes></CodeBook>`;
    expect((await world.admin.request('POST', `${base}/codes/import`, form(qdc, 'ordre.qdc'))).status).toBe(
      200,
    );
    const csv = await fetch(`${world.server.url}${base}/codes/export.csv`, {
      headers: { cookie: world.admin.cookie },
    });
    const names = (await csv.text())
      .split('\r\n')
      .slice(1, -1)
      .map((line) => line.split(',')[0]);
    expect(names).toEqual(['Redondance de saisie', 'Tableurs', 'Double saisie', 'Coûts', 'Accessibilité']);
  });

  it('refuses a .qdc that declares an entity, changing nothing', async () => {
    const pid = (await world.admin.post('/api/projects', { name: 'Codebook' })).body.id as string;
    const qdc = `<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="aaaaaaaa-0000-4000-8000-000000000001" name="&lol2;" isCodable="true"/></Codes></CodeBook>`;
    const res = await world.admin.request(
      'POST',
      `/api/projects/${pid}/codes/import`,
      form(qdc, 'bombe.qdc'),
    );
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/DOCTYPE/);
    expect((await world.admin.get(`/api/projects/${pid}/codes`)).body.codes).toEqual([]);
  });
});

describe('REFI-QDA import refusals leave nothing behind', () => {
  const GOOD_XML = `<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0" name="p">
<CodeBook><Codes><Code guid="c0de0000-0000-4000-8000-000000000003" name="Code" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="5e5e5e5e-0000-4000-8000-000000000003" name="t" plainTextPath="internal://5e5e5e5e-0000-4000-8000-000000000003.txt">
<PlainTextSelection guid="00000000-0000-4000-8000-000000000011" startPosition="START" endPosition="END"><Coding guid="00000000-0000-4000-8000-000000000012"><CodeRef targetGUID="CODE"/></Coding></PlainTextSelection></TextSource></Sources></Project>`;
  const TEXT = { '5e5e5e5e-0000-4000-8000-000000000003.txt': 'Bonjour 👋 à tous.' };
  const project = (start: string, end: string, code = 'c0de0000-0000-4000-8000-000000000003') =>
    GOOD_XML.replace('START', start).replace('END', end).replace('CODE', code);

  function manyEntries(count: number): Uint8Array {
    const files: Record<string, Uint8Array> = { 'project.qde': new TextEncoder().encode(project('0', '7')) };
    for (let i = 0; i < count; i++) files[`sources/f${i}.txt`] = new Uint8Array(0);
    return qdpxFrom(files);
  }
  /** fflate writes any entry name, which is what a hostile archive needs. */
  const qdpxFrom = (files: Record<string, Uint8Array>): Uint8Array => zipSync(files);

  const cases: [string, () => Uint8Array, number, RegExp][] = [
    ['a file that is not a zip', () => new TextEncoder().encode('pas une archive'), 422, /archive/],
    [
      'an entry with ..',
      () => qdpxFrom({ 'project.qde': enc(project('0', '7')), '../evil.txt': enc('x') }),
      422,
      /chemin/,
    ],
    [
      'an absolute entry path',
      () => qdpxFrom({ 'project.qde': enc(project('0', '7')), '/etc/evil.txt': enc('x') }),
      422,
      /chemin/,
    ],
    ['more than 1000 entries', () => manyEntries(1001), 422, /plus de 1000/],
    [
      'a DOCTYPE (XXE)',
      () =>
        qdpx(
          project('0', '7').replace(
            '<Project',
            '<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Project',
          ),
          TEXT,
        ),
      422,
      /DOCTYPE/,
    ],
    ['a selection past the end of its text', () => qdpx(project('0', '99'), TEXT), 422, /sort du texte/],
    ['a reversed selection', () => qdpx(project('5', '2'), TEXT), 422, /sort du texte/],
    [
      'a CodeRef to no code',
      () => qdpx(project('0', '7', 'c0de0000-0000-4000-8000-00000000dead'), TEXT),
      422,
      /ne définit pas/,
    ],
    ['a malformed GUID', () => qdpx(project('0', '7', 'not-a-guid'), TEXT), 422, /GUID/],
    ['a missing source file', () => qdpx(project('0', '7')), 422, /absent du dossier sources/],
    [
      'a codebook instead of a project',
      () => qdpx('<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>'),
      422,
      /projet REFI-QDA/,
    ],
  ];
  it.each(cases)('refuses %s', async (_label, build, status, message) => {
    await world.admin.post('/api/projects', { name: 'Existant' });
    const before = await listFiles(world.server.dataDir);
    const projectsBefore = (await world.admin.get('/api/projects')).body.projects;
    const res = await importQdpx(world.admin, build());
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(await listFiles(world.server.dataDir)).toEqual(before);
    expect((await world.admin.get('/api/projects')).body.projects).toEqual(projectsBefore);
  });

  it('refuses a zip bomb before inflating it', async () => {
    // The central directory declares 300 MB (the data is tiny): refused from the directory alone.
    const bomb = withDeclaredSize(
      { 'project.qde': enc('<Project/>'), 'sources/big.txt': new Uint8Array(1000) },
      'sources/big.txt',
      300 * 1024 * 1024,
    );
    const before = await listFiles(world.server.dataDir);
    const res = await importQdpx(world.admin, bomb);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/200 Mo/);
    expect(await listFiles(world.server.dataDir)).toEqual(before);
  });

  it('refuses another extension with 415', async () => {
    const res = await world.admin.request(
      'POST',
      '/api/projects/import',
      form(qdpx(project('0', '7'), TEXT), 'projet.nvp'),
    );
    expect(res.status).toBe(415);
  });

  it('accepts the same archive once its selection fits', async () => {
    const res = await importQdpx(world.admin, qdpx(project('0', '10'), TEXT));
    expect(res.status).toBe(201);
    const codings = (await world.admin.get(`/api/projects/${res.body.project.id}/codings`)).body
      .codings as CodingRow[];
    expect(codings.map((c) => c.text)).toEqual(['Bonjour 👋 ']);
  });
});

function enc(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
