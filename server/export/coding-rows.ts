/**
 * The codings table an export holds: one row per coding its filters select, by document then
 * position, pseudonymised (see selection.ts for the options and the replacer).
 */
import { attributeValueOf } from '../../shared/attributes.ts';
import { codePath } from '../../shared/codebook.ts';
import type { DocumentMeta, ProjectState } from '../../shared/model.ts';
import { publishableAttributes } from '../../shared/publication.ts';
import { codingsInScope, documentsInScope } from '../../shared/stats/filters.ts';
import { citationOf, quoteSpeakers } from './citation.ts';
import { attributeText, replacerFor, timeOf, type ExportOptions } from './selection.ts';
import { formatTime } from './typography.ts';

/** One row of the codings table: one coding, with its document, participant, theme and coder. */
export interface CodingRow {
  readonly document: string;
  readonly participant: string;
  /** The participant's real name, only in an export without pseudonymisation. */
  readonly participantName: string | null;
  readonly attributes: readonly string[];
  readonly codePath: string;
  readonly coder: string;
  readonly start: number;
  readonly end: number;
  readonly time: string;
  readonly quote: string;
  readonly memo: string;
  /** Who said it: the pseudonym, the interviewer's label, or both (« Enquêtrice et P01 »). */
  readonly speaker: string;
}

/**
 * The codings an export's filters select, one row each, by document then position, pseudonymised.
 * `coderName` gives the name shown for a coder's id.
 */
export function selectCodingRows(
  state: Readonly<ProjectState>,
  options: ExportOptions,
  coderName: (id: string) => string,
): { header: string[]; rows: CodingRow[] } {
  const replace = replacerFor(state, options.pseudonymise);
  const documents = documentsInScope(state, options.filter);
  const order = new Map(documents.map((d, i) => [d.id as string, i]));
  const byId = new Map(documents.map((d) => [d.id as string, d]));
  const chosen = options.codeIds === null ? null : new Set<string>(options.codeIds);
  const codings = codingsInScope(state, options.filter, documents)
    .filter((c) => chosen === null || chosen.has(c.codeId))
    .sort(
      (a, b) =>
        (order.get(a.documentId) ?? 0) - (order.get(b.documentId) ?? 0) ||
        a.start - b.start ||
        a.end - b.end ||
        a.createdAt.localeCompare(b.createdAt),
    );
  const paths = new Map<string, string>();
  const columns = options.pseudonymise ? publishableAttributes(state) : state.attributes;
  const rows = codings.map((c): CodingRow => {
    const document = byId.get(c.documentId) as DocumentMeta;
    const participant =
      document.participantId === null ? undefined : state.participants[document.participantId];
    let path = paths.get(c.codeId);
    if (path === undefined) {
      path = replace.apply(codePath(state.codes, c.codeId).join(' > '));
      paths.set(c.codeId, path);
    }
    const time = timeOf(document, c.start, c.end);
    return {
      document: replace.apply(document.name),
      participant: participant?.pseudonym ?? '',
      participantName: options.pseudonymise ? null : (participant?.name ?? ''),
      attributes: columns.map((a) =>
        replace.apply(attributeText(attributeValueOf(participant?.attributes, a.name))),
      ),
      codePath: path,
      coder: coderName(c.coderId),
      start: c.start,
      end: c.end,
      time: time === null ? '' : formatTime(time),
      quote: replace.apply(c.text),
      memo: replace.apply(c.memo),
      speaker: replace.apply(
        citationOf(
          participant,
          document,
          [],
          null,
          quoteSpeakers(document, c.start, c.end, state.settings.interviewerLabels),
        ),
      ),
    };
  });
  const header = [
    'document',
    'participant',
    ...(options.pseudonymise ? [] : ['nom du participant']),
    ...columns.map((a) => a.name),
    'code',
    'codeur',
    'début',
    'fin',
    'temps',
    'citation',
    'mémo',
    'locuteur',
  ];
  return { header, rows };
}

/** A row as the cells of the table, in the header's order. */
export function rowCells(row: CodingRow): (string | number)[] {
  return [
    row.document,
    row.participant,
    ...(row.participantName === null ? [] : [row.participantName]),
    ...row.attributes,
    row.codePath,
    row.coder,
    row.start,
    row.end,
    row.time,
    row.quote,
    row.memo,
    row.speaker,
  ];
}
