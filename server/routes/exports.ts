import { Hono, type Context } from 'hono';
import { assertRole } from '../../shared/access.ts';
import { DomainError } from '../../shared/errors.ts';
import type { DocumentId, ProjectId } from '../../shared/ids.ts';
import type { ProjectState } from '../../shared/model.ts';
import { findPublicationRisks, type ExportPart } from '../../shared/publication-check.ts';
import { attributePublication, publicationReplacements } from '../../shared/publication.ts';
import { checkReplacementList, createReplacer } from '../../shared/pseudonymise.ts';
import { suggestReplacements } from '../../shared/suggestions.ts';
import { ExportQuery, type ExportQueryOutput } from '../../shared/queries.ts';
import { ReplacementsInput, TableInput } from '../../shared/schemas.ts';
import { toCsv } from '../../shared/table-csv.ts';
import { requireUser } from '../auth/sessions.ts';
import { collectSoon } from '../collect-garbage.ts';
import { csvStream, xlsxStream } from '../export/codings-table.ts';
import { tableToXlsx } from '../export/table-xlsx.ts';
import { buildReportDocx, describeFilters } from '../export/docx-report.ts';
import { reportMemos } from '../export/memos-docx.ts';
import { frenchLexicon } from '../export/lexicon.ts';
import { selectCodingRows } from '../export/coding-rows.ts';
import { flattenThemes, replacerFor, selectReport, type ExportOptions } from '../export/selection.ts';
import { idParam, projectFor } from '../http/access.ts';
import { attachment } from '../http/attachment.ts';
import { allowRealNames } from '../http/real-names.ts';
import type { Env } from '../http/env.ts';
import { exportOptionsOf } from '../http/export-options.ts';
import { validate } from '../http/validate.ts';
import type { Store } from '../storage/store.ts';

/**
 * The options of an export, checked against the caller's role: only a lead may export real names,
 * and such an export is recorded in the project's log before anything is sent.
 */
async function exportOptions(
  c: Context<Env>,
  store: Store,
  format: string,
  query: ExportQueryOutput,
): Promise<{ id: ProjectId; state: Readonly<ProjectState>; options: ExportOptions }> {
  const project = await projectFor(c, store, 'viewer');
  const options = exportOptionsOf(project.state, query);
  if (options.pseudonymise) return { id: project.id, state: project.state, options };
  // The query as received, for the audit trail.
  const filters = c.req.queries();
  return { id: project.id, state: await allowRealNames(c, store, project, format, filters), options };
}

/**
 * A review table (as the page shows it) made ready to leave: pseudonymised like every export unless
 * a lead asks for real names, which is recorded. The title is pseudonymised too (it may name a
 * structure or an attribute value).
 */
async function tableExport(
  c: Context<Env>,
  store: Store,
  input: { title: string; rows: (string | number | null)[][]; pseudonymise?: boolean | undefined },
  format: string,
): Promise<{ title: string; rows: (string | number | null)[][] }> {
  const project = await projectFor(c, store, 'viewer');
  const pseudonymise = input.pseudonymise ?? true;
  const state = pseudonymise
    ? project.state
    : await allowRealNames(c, store, project, format, { table: [input.title] });
  const replace = replacerFor(state, pseudonymise);
  return {
    title: replace.apply(input.title),
    rows: input.rows.map((row) => row.map((cell) => (typeof cell === 'string' ? replace.apply(cell) : cell))),
  };
}

function fileName(state: Readonly<ProjectState>, options: ExportOptions, what: string): string {
  const name = replacerFor(state, options.pseudonymise).apply(state.project.name);
  return `${name} - ${what}`;
}

/** Every text a pseudonymised export with these options holds, each with what it is part of. */
async function exportTexts(
  state: Readonly<ProjectState>,
  options: ExportOptions,
  readText: (documentId: DocumentId) => Promise<string>,
): Promise<{ where: ExportPart; text: string }[]> {
  const texts: { where: ExportPart; text: string }[] = [];
  // Every quote and memo, as the tables hold them, not only those the report shows.
  const all = { ...options, maxPerCode: null, memos: true };
  for (const theme of flattenThemes((await selectReport(state, all, readText)).themes)) {
    texts.push({ where: 'theme', text: theme.name }, { where: 'definition', text: theme.definition });
    for (const q of theme.quotes) {
      texts.push({ where: 'quote', text: q.text }, { where: 'citation', text: q.citation });
      for (const memo of q.memos) texts.push({ where: 'memo', text: memo });
    }
  }
  return texts;
}

async function coderNames(store: Store): Promise<(id: string) => string> {
  const users = (await store.readInstance()).users;
  return (id) => {
    const user = users[id];
    return user ? user.displayName || user.username : id;
  };
}

/**
 * From this many quotes, a quote report is followed by a full garbage collection (`collectSoon`):
 * the report of 5,040 quotes of the large study leaves about 300 MB of garbage. The collection
 * holds the thread for 100–400 ms, paid by whichever request comes next: from 1,000 quotes, the
 * report of 334 quotes that followed one of 1,336 took 160 ms instead of 51–66.
 */
export const COLLECT_FROM_QUOTES = 3000;

/**
 * Exports of coded passages: the quote report (`report.docx`, and `report-preview` for its counts)
 * and the codings table (`codings.csv`, `codings.xlsx`). Pseudonymised unless `pseudonymise=false`.
 */
export function exportRoutes(store: Store) {
  return (
    new Hono<Env>()
      .use(requireUser(store))
      /**
       * A table of the review pages as an .xlsx or a CSV file, pseudonymised unless a lead asks for
       * real names (`pseudonymise: false`, recorded): the page's numbers are kept, its texts
       * (passages, document names, attribute values) pass through the export's replacements.
       */
      .post('/table.xlsx', validate('json', TableInput), async (c) => {
        const { title, rows } = await tableExport(c, store, c.req.valid('json'), 'table.xlsx');
        const bytes = await tableToXlsx(title, rows);
        c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        c.header('Content-Disposition', attachment(title, 'xlsx', 'tableau'));
        return c.body(bytes as Uint8Array<ArrayBuffer>, 200);
      })
      .post('/table.csv', validate('json', TableInput), async (c) => {
        const { title, rows } = await tableExport(c, store, c.req.valid('json'), 'table.csv');
        c.header('Content-Type', 'text/csv; charset=utf-8');
        c.header('Content-Disposition', attachment(title, 'csv', 'tableau'));
        return c.body(toCsv(rows), 200);
      })
      .get('/report-preview', validate('query', ExportQuery), async (c) => {
        const { id, state } = await projectFor(c, store, 'viewer');
        // Counts and theme names only: nothing here needs the real-name check.
        const options = exportOptionsOf(state, c.req.valid('query'));
        return c.json(
          await reportPreview(state, options, (documentId) => store.readText(id, documentId)),
          200,
        );
      })
      /**
       * The check before publishing a pseudonymised export with these options: which attributes
       * its citations may show and why, and what in its texts could still identify someone.
       */
      .get('/check', validate('query', ExportQuery), async (c) => {
        const { id, state } = await projectFor(c, store, 'viewer');
        const options = { ...exportOptionsOf(state, c.req.valid('query')), pseudonymise: true };
        return c.json(
          await publicationCheck(state, options, (documentId) => store.readText(id, documentId)),
          200,
        );
      })
      .get('/report.docx', validate('query', ExportQuery), async (c) => {
        const { id, state, options } = await exportOptions(c, store, 'docx', c.req.valid('query'));
        const { bytes, quotes } = await reportDocx(store, id, state, options);
        if (quotes >= COLLECT_FROM_QUOTES) collectSoon();
        c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
        c.header('Content-Disposition', attachment(fileName(state, options, 'verbatims'), 'docx'));
        c.header('Content-Length', String(bytes.byteLength));
        return c.body(bytes.slice().buffer, 200);
      })
      .get('/codings.csv', validate('query', ExportQuery), async (c) => {
        const { state, options } = await exportOptions(c, store, 'csv', c.req.valid('query'));
        const { header, rows } = selectCodingRows(state, options, await coderNames(store));
        c.header('Content-Type', 'text/csv; charset=utf-8');
        c.header('Content-Disposition', attachment(fileName(state, options, 'codages'), 'csv'));
        return c.body(csvStream(header, rows, options.delimiter), 200);
      })
      .get('/codings.xlsx', validate('query', ExportQuery), async (c) => {
        const { state, options } = await exportOptions(c, store, 'xlsx', c.req.valid('query'));
        const { header, rows } = selectCodingRows(state, options, await coderNames(store));
        c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        c.header('Content-Disposition', attachment(fileName(state, options, 'codages'), 'xlsx'));
        return c.body(xlsxStream(header, rows), 200);
      })
  );
}

/** The counts of the report these options would make, and of each chosen theme. */
async function reportPreview(
  state: Readonly<ProjectState>,
  options: ExportOptions,
  readText: (documentId: DocumentId) => Promise<string>,
) {
  const selection = await selectReport(state, { ...options, pseudonymise: true }, readText, 'counts');
  const perTheme = flattenThemes(selection.themes)
    .filter((t) => t.selected)
    .map((t) => ({
      codeId: t.code.id,
      name: t.name,
      path: t.path,
      depth: t.depth,
      passages: t.total,
      quotes: t.shown,
      participants: t.participants,
    }));
  return { ...selection.counts, perTheme };
}

/** Which attributes a pseudonymised export's citations may show, and what could still identify someone. */
async function publicationCheck(
  state: Readonly<ProjectState>,
  options: ExportOptions,
  readText: (documentId: DocumentId) => Promise<string>,
) {
  const texts = await exportTexts(state, options, readText);
  const participants = Object.values(state.participants);
  const known = [
    ...participants.map((p) => p.pseudonym),
    ...state.settings.interviewerLabels,
    ...options.cite.flatMap((a) => participants.map((p) => String(p.attributes[a.name] ?? ''))),
  ];
  return {
    attributes: attributePublication(state.attributes, participants),
    cited: options.cite.map((a) => a.name),
    risks: findPublicationRisks(texts, frenchLexicon(), known),
  };
}

/** The quote report as a .docx file, its names and filters passed through the replacements. */
async function reportDocx(
  store: Store,
  id: ProjectId,
  state: Readonly<ProjectState>,
  options: ExportOptions,
): Promise<{ bytes: Uint8Array; quotes: number }> {
  const selection = await selectReport(state, options, (documentId) => store.readText(id, documentId));
  const replace = replacerFor(state, options.pseudonymise);
  const coder = await coderNames(store);
  const filters = describeFilters(options, {
    codes: (codeId) => replace.apply(state.codes[codeId]?.name ?? codeId),
    coder,
    documents: (documentId) => replace.apply(state.documents[documentId]?.name ?? documentId),
    value: (value) => replace.apply(value),
  });
  const bytes = await buildReportDocx(selection, options, {
    projectName: replace.apply(state.project.name),
    date: new Date(),
    filters,
    ...(options.memos
      ? {
          memos: {
            entries: reportMemos(state, options.filter, (text) => replace.apply(text)),
            author: coder,
          },
        }
      : {}),
  });
  return { bytes, quotes: selection.counts.quotes };
}

/**
 * The project's replacement list (real name → replacement), replaced as a whole by the lead, and
 * suggestions of names to add, found in the transcripts.
 */
export function replacementRoutes(store: Store) {
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/', async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      return c.json({ replacements: state.replacements ?? [] }, 200);
    })
    .put('/', validate('json', ReplacementsInput), async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const after = checkReplacementList(c.req.valid('json').replacements);
      const userId = c.get('user').id;
      const replacements = await store.changeProject(id, userId, (s) => {
        assertRole(s, userId, 'lead');
        return {
          events: [{ type: 'replacements_set', before: [...(s.replacements ?? [])], after }],
          result: after,
        };
      });
      return c.json({ replacements }, 200);
    })
    .get('/suggestions', async (c) => {
      const { id, state } = await projectFor(c, store, 'lead');
      const documents = await Promise.all(
        Object.values(state.documents).map(async (d) => ({
          text: await store.readText(id, d.id),
          turns: d.turns,
        })),
      );
      const lexicon = frenchLexicon();
      const suggestions = suggestReplacements({
        documents,
        participants: Object.values(state.participants),
        interviewerLabels: state.settings.interviewerLabels,
        covered: publicationReplacements(state, lexicon),
        listed: state.replacements ?? [],
        lexicon,
      });
      return c.json({ suggestions }, 200);
    });
}

/**
 * Where the anonymised view replaces names in one document: `{spans: [{start, end, replacement}]}`,
 * [start, end) in code points of the stored text, in order, without overlaps.
 */
export function documentReplacementRoutes(store: Store) {
  return new Hono<Env>().use(requireUser(store)).get('/', async (c) => {
    const { id, state } = await projectFor(c, store, 'viewer');
    const documentId = idParam<DocumentId>(c, 'documentId', 'Document');
    if (!state.documents[documentId]) throw new DomainError('not_found', 'Document introuvable.');
    const replacer = createReplacer(publicationReplacements(state, frenchLexicon()));
    const spans = replacer.spans(await store.readText(id, documentId));
    return c.json({ documentId, spans }, 200);
  });
}
