/**
 * Safe by default: a study whose quotes name participants, colleagues, towns and organisations,
 * exported with no option touched once the lead has accepted the suggestions, lets none of them
 * through — in the Word report, the CSV and the XLSX — and the suggestions hold no common word.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frenchLexicon } from '../../server/export/lexicon.ts';
import { isCommonWord } from '../../shared/lexicon.ts';
import { foldForComparison } from '../../shared/text.ts';
import { download, paragraphs, zipTexts } from '../server/export/fixture.ts';
import { buildPublicationStudy, IDENTIFYING } from './publication-study.ts';
import { startWorld, type World } from './setup.ts';

let world: World;
let base: string;
let suggestions: { from: string; to: string; kind: string; count: number; contexts: string[] }[];

beforeAll(async () => {
  world = await startWorld();
  ({ base } = await buildPublicationStudy(world.admin));
  const res = await world.admin.get(`${base}/replacements/suggestions`);
  expect(res.status).toBe(200);
  suggestions = res.body.suggestions;
  // The lead accepts every suggestion, as « Tout accepter » does.
  const put = await world.admin.put(`${base}/replacements`, {
    replacements: suggestions.map(({ from, to, kind }) => ({ from, to, kind })),
  });
  expect(put.status).toBe(200);
}, 60_000);
afterAll(async () => {
  await world.server.stop();
});

function decodeXml(text: string): string {
  return text
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&amp;/g, '&');
}

/** The identifying names found in `text` as whole words, without regard to case or accents. */
function leaks(text: string): string[] {
  const folded = foldForComparison(text).replace(/\s+/gu, ' ');
  return IDENTIFYING.filter((name) => {
    const n = foldForComparison(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(?<![\\p{L}\\p{N}])${n}(?![\\p{L}\\p{N}])`, 'u').test(folded);
  });
}

describe('suggestions for the study', () => {
  it('propose the third parties, places and organisations, each with a label of its kind', () => {
    const byName = Object.fromEntries(suggestions.map((s) => [s.from, s]));
    expect(byName['Hugo Bertin']).toMatchObject({ kind: 'person', count: 2 });
    expect(byName['Sami Haddad']?.kind).toBe('person');
    expect(byName['Léa Fabre']?.kind).toBe('person');
    expect(byName['Mme Fabre']?.kind).toBe('person');
    expect(byName['M. Garnier']?.kind).toBe('person');
    // « [structure A] », « [ville A] » and « B » are the participants' own, from their attributes.
    expect(byName['Festival des Ormeaux']).toMatchObject({ kind: 'organisation', to: '[structure C]' });
    expect(byName['Brévilly']).toMatchObject({ kind: 'place', to: '[ville C]' });
    expect(byName['Hugo Bertin']?.contexts[0]).toContain('Hugo Bertin, notre régisseur');
    expect(new Set(suggestions.map((s) => s.to)).size).toBe(suggestions.length);
  });

  it('hold no common French word and none of what is already replaced', () => {
    const lexicon = frenchLexicon();
    for (const s of suggestions) {
      if (!/\s/u.test(s.from)) expect(isCommonWord(s.from, lexicon), s.from).toBe(false);
    }
    const names = suggestions.map((s) => s.from);
    for (const word of [
      'Les',
      'Et',
      'Je',
      'Avec',
      'Oui',
      'Pouvez-vous',
      'Écrivez-moi',
      'Bonjour',
      'Enquêtrice',
    ]) {
      expect(names).not.toContain(word);
    }
    // Participants' names and attribute values are replaced without being listed.
    for (const covered of [
      'Élodie Marchand',
      'Élodie',
      'Marie-Laure',
      'Théâtre des Tilleuls',
      'Saint-Aubin',
    ]) {
      expect(names).not.toContain(covered);
    }
  });
});

describe('exports with default options', () => {
  it('report.docx names nobody and cites only the publishable attribute', async () => {
    const res = await download(`${world.server.url}${base}/exports/report.docx?memos=true`, world.admin);
    expect(res.status).toBe(200);
    const parts = zipTexts(res.bytes);
    expect(leaks(Object.values(parts).map(decodeXml).join('\n'))).toEqual([]);
    const body = paragraphs(parts['word/document.xml'] as string);
    const quotes = body.filter((p) => p.style === 'Quote').map((p) => p.text);
    expect(quotes.some((q) => q.includes('Bonjour P01'))).toBe(true);
    expect(quotes.some((q) => q.includes('le travail de P01'))).toBe(true);
    const citations = body.filter((p) => p.style === 'VerbatimCitation').map((p) => p.text);
    // Interviewer's turns are the interviewer's; a passage over two turns names both speakers.
    expect(citations).toContain('— Enquêtrice, 00:00:05');
    expect(citations).toContain('— Enquêteur, 00:00:03');
    expect(citations).toContain('— Enquêtrice et P01, Occitanie, 00:01:10');
    expect(citations).toContain('— P01, Occitanie, 00:00:20');
    expect(citations).toContain('— P02, Occitanie, 00:00:15');
    // The memos option adds the journal and the documents' memos in an annex, pseudonymised too.
    const texts = body.map((p) => p.text);
    expect(texts).toContain('Annexe — journal du projet et mémos des documents');
    expect(texts.some((t) => /lundi 2 mars 2026 — Après l’entretien avec P01/u.test(t))).toBe(true);
    expect(texts.some((t) => t.startsWith('Entretien à [ville A]'))).toBe(true);
  });

  it('report.docx without the memos option has no memo annex', async () => {
    const res = await download(`${world.server.url}${base}/exports/report.docx`, world.admin);
    const body = paragraphs(zipTexts(res.bytes)['word/document.xml'] as string).map((p) => p.text);
    expect(body.join('\n')).not.toMatch(/Annexe — journal|Après l’entretien/u);
  });

  it('the memos as CSV and as a Word document name nobody', async () => {
    const csv = await download(`${world.server.url}${base}/memos/export.csv`, world.admin);
    expect(csv.status).toBe(200);
    const text = new TextDecoder().decode(csv.bytes);
    expect(text).toContain('Après l’entretien avec P01');
    expect(leaks(text)).toEqual([]);
    const docx = await download(`${world.server.url}${base}/memos/export.docx`, world.admin);
    expect(docx.status).toBe(200);
    const parts = zipTexts(docx.bytes);
    expect(leaks(Object.values(parts).map(decodeXml).join('\n'))).toEqual([]);
    const body = paragraphs(parts['word/document.xml'] as string);
    const headings = body.filter((p) => p.style === 'Heading1').map((p) => p.text);
    expect(headings).toEqual(['Journal du projet', 'Mémos des documents', 'Mémos des codages']);
    expect(
      body.some((p) => p.style === 'Heading2' && p.text === 'lundi 2 mars 2026 — Après l’entretien avec P01'),
    ).toBe(true);
    expect(body.some((p) => p.style === 'VerbatimMemo' && /^Relire avec P01 et /u.test(p.text))).toBe(true);
  });

  it('the memos with real names: a lead only, and recorded', async () => {
    const before = (await world.admin.get(`${base}/events?after=0`)).body.events.length as number;
    const real = await download(
      `${world.server.url}${base}/memos/export.docx?pseudonymise=false&kind=journal`,
      world.admin,
    );
    expect(real.status).toBe(200);
    expect(leaks(Object.values(zipTexts(real.bytes)).map(decodeXml).join('\n'))).toEqual(
      expect.arrayContaining(['Élodie Marchand', 'Hugo Bertin']),
    );
    const events = (await world.admin.get(`${base}/events?after=0`)).body.events;
    expect(events.length).toBe(before + 1);
    expect(events.at(-1)).toMatchObject({
      type: 'export_with_real_names',
      format: 'memos.docx',
      filters: { kind: ['journal'] },
    });
    const { client: coder, id: coderId } = await world.user('memos.coder');
    expect((await world.admin.put(`${base}/members/${coderId}`, { role: 'coder' })).status).toBe(200);
    expect((await coder.get(`${base}/memos/export.csv?pseudonymise=false`)).status).toBe(403);
    expect((await coder.get(`${base}/memos/export.csv`)).status).toBe(200);
  });

  it('report.docx filtered by an identifying value does not print it on its title page', async () => {
    const res = await download(
      `${world.server.url}${base}/exports/report.docx?structure=${encodeURIComponent('Théâtre des Tilleuls')}`,
      world.admin,
    );
    expect(res.status).toBe(200);
    const parts = zipTexts(res.bytes);
    expect(leaks(Object.values(parts).map(decodeXml).join('\n'))).toEqual([]);
    expect(decodeXml(parts['word/document.xml'] as string)).toMatch(/structure\s:\s\[structure A\]/u);
  });

  it('codings.csv names nobody and has a column only for the publishable attribute', async () => {
    const res = await download(`${world.server.url}${base}/exports/codings.csv`, world.admin);
    expect(res.status).toBe(200);
    const text = new TextDecoder().decode(res.bytes);
    expect(leaks(text)).toEqual([]);
    const header = text
      .replace(/^\uFEFF/u, '')
      .split('\r\n')[0]
      ?.split(';');
    expect(header).toContain('région');
    expect(header).not.toContain('structure');
    expect(header).not.toContain('ville');
    expect(header).not.toContain('fonction');
    // The last column says who spoke, as the report's citations do.
    const speakers = text
      .replace(/^\uFEFF/u, '')
      .split('\r\n')
      .slice(1)
      .filter((line) => line !== '')
      .map((line) => line.split(';').at(-1));
    expect(speakers).toEqual(expect.arrayContaining(['Enquêtrice', 'Enquêteur', 'Enquêtrice et P01', 'P02']));
  });

  it('codings.xlsx names nobody', async () => {
    const res = await download(`${world.server.url}${base}/exports/codings.xlsx`, world.admin);
    expect(res.status).toBe(200);
    expect(leaks(Object.values(zipTexts(res.bytes)).map(decodeXml).join('\n'))).toEqual([]);
  });

  /** A review page's tables as the browser sends them: passages with who spoke, and a crosstab. */
  async function reviewTables(): Promise<(string | number | null)[][]> {
    const codes = (await world.admin.get(`${base}/codes`)).body.codes as { id: string }[];
    const retrieved = await world.admin.get(
      `${base}/retrieve?codes=${codes.map((c) => c.id).join(',')}&op=or`,
    );
    expect(retrieved.status).toBe(200);
    const crosstab = (await world.admin.get(`${base}/stats/frequencies?attribute=structure`)).body
      .crosstab as {
      columns: { value: string; codings: number }[];
    };
    return [
      ['Document', 'Participant·e', 'Qui parle', 'Passage', 'Structure'],
      ...(
        retrieved.body.passages as {
          documentName: string;
          speaker: string;
          text: string;
          participant: { pseudonym: string; attributes: Record<string, string> } | null;
        }[]
      ).map((p) => [
        p.documentName,
        p.participant?.pseudonym ?? '',
        p.speaker,
        p.text,
        p.participant?.attributes.structure ?? '',
      ]),
      ['Codages par structure', ...crosstab.columns.map((c) => c.value)],
      ['Tous les codes', ...crosstab.columns.map((c) => c.codings)],
    ];
  }

  it('review tables (CSV and XLSX) name nobody, though the page sent them with the names', async () => {
    const rows = await reviewTables();
    // The rows as the page holds them do name people and structures: the export must not.
    expect(leaks(JSON.stringify(rows))).toEqual(
      expect.arrayContaining(['Élodie Marchand', 'Théâtre des Tilleuls']),
    );
    const title = 'Extraits de « Théâtre des Tilleuls »';
    const csv = await world.admin.request('POST', `${base}/exports/table.csv`, { title, rows });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = String(csv.body);
    expect(text.replace(/^\uFEFF/u, '').startsWith('Document;Participant·e;')).toBe(true);
    expect(leaks(text)).toEqual([]);
    expect(leaks(decodeURIComponent(csv.headers.get('content-disposition') ?? ''))).toEqual([]);
    const xlsx = await fetch(`${world.server.url}${base}/exports/table.xlsx`, {
      method: 'POST',
      headers: { cookie: world.admin.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ title, rows }),
    });
    expect(xlsx.status).toBe(200);
    const parts = zipTexts(new Uint8Array(await xlsx.arrayBuffer()));
    expect(leaks(Object.values(parts).map(decodeXml).join('\n'))).toEqual([]);
    // Numbers stay numbers: the crosstab's counts are there as they were.
    expect(text).toContain(`Tous les codes;${(rows.at(-1) as number[]).slice(1).join(';')}`);
  });

  it('review tables with real names: a lead only, and recorded', async () => {
    const rows = await reviewTables();
    const before = (await world.admin.get(`${base}/events?after=0`)).body.events as { type: string }[];
    const real = await world.admin.request('POST', `${base}/exports/table.csv`, {
      title: 'Extraits',
      rows,
      pseudonymise: false,
    });
    expect(real.status).toBe(200);
    expect(leaks(String(real.body))).toEqual(
      expect.arrayContaining(['Élodie Marchand', 'Théâtre des Tilleuls']),
    );
    const after = (await world.admin.get(`${base}/events?after=0`)).body.events as {
      type: string;
      format?: string;
      filters?: Record<string, string[]>;
    }[];
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)).toMatchObject({
      type: 'export_with_real_names',
      format: 'table.csv',
      filters: { table: ['Extraits'] },
    });

    const { client: coder, id: coderId } = await world.user('tables.coder');
    expect((await world.admin.put(`${base}/members/${coderId}`, { role: 'coder' })).status).toBe(200);
    const refused = await coder.request('POST', `${base}/exports/table.xlsx`, {
      title: 'Extraits',
      rows,
      pseudonymise: false,
    });
    expect(refused.status).toBe(403);
    expect(
      (await coder.request('POST', `${base}/exports/table.csv`, { title: 'Extraits', rows })).status,
    ).toBe(200);
    // The whole project as .qdpx carries every text as it is: a real-name export too.
    expect((await coder.get(`${base}/exports/project.qdpx`)).status).toBe(403);
    const qdpx = await fetch(`${world.server.url}${base}/exports/project.qdpx`, {
      headers: { cookie: world.admin.cookie },
    });
    expect(qdpx.status).toBe(200);
    const last = (await world.admin.get(`${base}/events?after=0`)).body.events.at(-1);
    expect(last).toMatchObject({ type: 'export_with_real_names', format: 'qdpx' });
  });

  it('refuses to cite an attribute that is not publishable (400), and cites it once marked so', async () => {
    const refused = await world.admin.get(`${base}/exports/report-preview?cite=structure`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/publiable/);
    const check = await world.admin.get(`${base}/exports/check`);
    expect(check.body.attributes).toEqual([
      { name: 'structure', publishable: false, reason: 'unique_values' },
      { name: 'ville', publishable: false, reason: 'unique_values' },
      { name: 'fonction', publishable: false, reason: 'unique_values' },
      { name: 'région', publishable: true, reason: 'shared_values' },
    ]);
    expect(check.body.cited).toEqual(['région']);
  });
});

describe('GET …/exports/check', () => {
  it('lists what could still identify someone, with its context', async () => {
    const res = await world.admin.get(`${base}/exports/check`);
    expect(res.status).toBe(200);
    const risks = res.body.risks as {
      kind: string;
      text: string;
      contexts: { where: string; context: string }[];
    }[];
    const byText = Object.fromEntries(risks.map((r) => [r.text, r]));
    expect(byText['contact@tilleuls-exemple.org']?.kind).toBe('email');
    expect(byText['06 12 34 56 78']?.kind).toBe('phone');
    expect(byText['12/03/1978']?.kind).toBe('date');
    expect(byText['12/03/1978']?.contexts[0]).toMatchObject({ where: 'quote' });
    expect(byText['12/03/1978']?.contexts[0]?.context).toContain('née le 12/03/1978');
    // Names replaced, pseudonyms and the interviewer's label are not risks.
    for (const fine of ['P01', 'P02', 'Enquêtrice', 'Hugo', 'Occitanie'])
      expect(byText[fine]).toBeUndefined();
  });

  it('finds a name the list forgot', async () => {
    const list = (await world.admin.get(`${base}/replacements`)).body.replacements as { from: string }[];
    await world.admin.put(`${base}/replacements`, {
      replacements: list.filter((r) => r.from !== 'Sami Haddad'),
    });
    const risks = (await world.admin.get(`${base}/exports/check`)).body.risks as {
      text: string;
      kind: string;
    }[];
    expect(risks.filter((r) => r.kind === 'name').map((r) => r.text)).toEqual(
      expect.arrayContaining(['Sami', 'Haddad']),
    );
    await world.admin.put(`${base}/replacements`, { replacements: list });
  });
});
