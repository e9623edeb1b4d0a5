/**
 * The query strings of every route that reads one, as zod schemas: checked at the edge
 * (`validate('query', …)` in server/http/validate.ts), and typing the client's calls through
 * `hc<AppType>`. A query string arrives as hono hands it over: each parameter a string, or a list
 * when it was given several times. Messages are French and read after « Paramètre « name » : ».
 *
 * What a schema cannot know — whether an id, an attribute or a value exists in the project — is
 * checked by the route once it holds the project (server/http/review-filter.ts).
 */
import { z } from 'zod';
import { AUDIT_KINDS } from './audit.ts';
import { isId } from './ids.ts';
import { MEMO_KINDS } from './memos.ts';
import { AGREEMENT_UNITS } from './stats/agreement.ts';
import { COOCCURRENCE_UNITS } from './stats/cooccurrence.ts';
import { RETRIEVE_OPS, RETRIEVE_UNITS } from './stats/retrieve.ts';

/** A parameter as hono's validator hands it over: a list when it was given several times. */
export type QueryValue = string | string[];

const ONCE = "ne peut être donné qu'une fois.";

/** A received value, quoted for a message (cut short: a query string may be long). */
function quoted(value: unknown): string {
  const text = Array.isArray(value) ? value.join(',') : String(value);
  return `« ${text.length > 60 ? `${text.slice(0, 60)}…` : text} »`;
}

/** A parameter given once (given twice, it is refused rather than one value chosen). */
const single = z.string({ error: (issue) => (Array.isArray(issue.input) ? ONCE : 'texte attendu.') });

/** An identifier of this project's kind (a UUID), given once. */
const id = single.refine(isId, { error: (issue) => `identifiant attendu, pas ${quoted(issue.input)}.` });

/** A whole number in [min, max], written in digits, given once. */
function integer(min: number, max: number) {
  return single.transform((raw, ctx) => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      ctx.addIssue({
        code: 'custom',
        message: `nombre entier entre ${min} et ${max} attendu, pas ${quoted(raw)}.`,
      });
      return z.NEVER;
    }
    return n;
  });
}

/** One of `values`, given once. */
function choice<const T extends readonly string[]>(values: T) {
  return z.enum(values, {
    error: (issue) =>
      Array.isArray(issue.input)
        ? ONCE
        : `${values.map((v) => `« ${v} »`).join(' ou ')} attendu, pas ${quoted(issue.input)}.`,
  });
}

/** `true` or `false` (`1` and `0` too), given once. */
const flag = choice(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** A parameter that may be repeated: its values as a list, each checked by `item`. */
function repeated<Item extends z.ZodType<unknown, string>>(item: Item) {
  return z
    .union([z.string(), z.array(z.string())])
    .pipe(z.transform((v: QueryValue) => (Array.isArray(v) ? v : [v])).pipe(z.array(item)));
}

/**
 * Identifiers separated by commas (`codes=a,b`), or the parameter repeated: every one checked,
 * blanks between commas ignored, in the order given.
 */
const idList = z.union([z.string(), z.array(z.string())]).transform((v, ctx) => {
  const ids = (Array.isArray(v) ? v : [v])
    .flatMap((x) => x.split(','))
    .map((x) => x.trim())
    .filter((x) => x !== '');
  const bad = ids.find((x) => !isId(x));
  if (bad !== undefined) {
    ctx.addIssue({ code: 'custom', message: `identifiant attendu, pas ${quoted(bad)}.` });
    return z.NEVER;
  }
  return ids;
});

const MAX_VALUE = 1000;

/** A value of an attribute filter: on one line, not empty once trimmed. */
const filterValue = z
  .string()
  .transform((v) => v.trim())
  .refine((v) => v !== '', 'une valeur est attendue.')
  .refine((v) => v.length <= MAX_VALUE, `${MAX_VALUE} caractères au plus.`)
  // eslint-disable-next-line no-control-regex
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), 'une valeur tient sur une ligne.');

/** The review filters on coders and documents (`coderId`, `documentId`, repeatable). */
const coderFilter = { coderId: repeated(id).optional() };
const documentFilter = { documentId: repeated(id).optional() };

/** What a query string with attribute filters is read as: its own parameters, then the filters. */
export type WithAttributes<Out> = Out & {
  /** `<attribute name>=<value>` filters, by the name as written, in an object without prototype. */
  readonly attributes: Readonly<Record<string, readonly string[]>>;
};

/**
 * A query string whose parameters are those of `shape`, and whose other parameters are filters on
 * the participants' attributes, `<attribute name>=<value>` (repeatable: any of the values), whose
 * names the route checks against the project. `reserved` names parameters that other routes read
 * and this one does not: never taken for an attribute, they are refused.
 */
function withAttributeFilters<Shape extends z.ZodRawShape>(shape: Shape, reserved: readonly string[] = []) {
  const own = z.strictObject(shape);
  type Input = z.input<typeof own> & { [attribute: string]: QueryValue };
  return z
    .custom<Input>(
      (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
      'Paramètres attendus.',
    )
    .transform((input, ctx): WithAttributes<z.output<typeof own>> => {
      const known: Record<string, unknown> = {};
      const attributes = Object.create(null) as Record<string, string[]>;
      for (const key of Object.keys(input)) {
        const value: unknown = input[key];
        if (Object.hasOwn(shape, key)) {
          known[key] = value;
        } else if (reserved.includes(key)) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'cette route ne lit pas ce paramètre.' });
        } else {
          const parsed = repeated(filterValue).safeParse(value);
          if (parsed.success) attributes[key] = parsed.data;
          else for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [key] });
        }
      }
      const parsed = own.safeParse(known);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) ctx.addIssue({ ...issue });
        return z.NEVER;
      }
      return Object.assign(parsed.data, { attributes });
    });
}

/** `GET …/codings`: the codings of a document, of a code, of a coder (all optional). */
export const CodingQuery = z.strictObject({
  documentId: id.optional(),
  codeId: id.optional(),
  coderId: id.optional(),
});

/** `GET …/events`: a page of the event log, the events after `after` (a seq), at most `limit`. */
export const EventPageQuery = z.strictObject({
  after: integer(0, Number.MAX_SAFE_INTEGER).default(0),
  limit: integer(1, 1000).default(200),
  /** Read by the live feed when it is asked for on this route (`Accept: text/event-stream`). */
  documentId: id.optional(),
});

/** `GET …/events/live`: the feed from after `after`, and the document its page shows (presence). */
export const LiveFeedQuery = z.strictObject({
  after: integer(0, Number.MAX_SAFE_INTEGER).default(0),
  documentId: id.optional(),
});

/** `GET …/stats/frequencies`: the review filters, and `attribute` to break the figures down by. */
export const FrequenciesQuery = withAttributeFilters({
  ...coderFilter,
  ...documentFilter,
  attribute: single.optional(),
});

/** `GET …/stats/coders`: the review filters. */
export const CodersQuery = withAttributeFilters({ ...coderFilter, ...documentFilter });

/** `GET …/stats/cooccurrence`: the review filters and the unit codes co-occur in. */
export const CooccurrenceQuery = withAttributeFilters({
  ...coderFilter,
  ...documentFilter,
  unit: choice(COOCCURRENCE_UNITS).default('overlap'),
});

/** `GET …/stats/agreement`: the coders compared (2 to 20, distinct) instead of the coder filter. */
export const AgreementQuery = withAttributeFilters(
  {
    ...documentFilter,
    coders: idList
      .transform((ids) => [...new Set(ids)])
      .refine(
        (ids) => ids.length >= 2 && ids.length <= 20,
        'entre 2 et 20 codeurs distincts attendus, séparés par des virgules (coders=a,b).',
      ),
    unit: choice(AGREEMENT_UNITS).default('character'),
  },
  ['coderId'],
);

/** `GET …/retrieve`: the passages of codes combined by `op`, a page of them at a time. */
export const RetrieveQuery = withAttributeFilters({
  ...coderFilter,
  ...documentFilter,
  codes: idList
    .refine((ids) => ids.length > 0, 'au moins un code attendu (codes=a,b).')
    .refine((ids) => new Set(ids).size === ids.length, 'le même code est nommé deux fois.'),
  op: choice(RETRIEVE_OPS).default('or'),
  unit: choice(RETRIEVE_UNITS).default('passage'),
  context: integer(0, 2000).default(200),
  offset: integer(0, Number.MAX_SAFE_INTEGER).default(0),
  limit: integer(1, 5000).default(500),
}).superRefine((query, ctx) => {
  if (query.op !== 'or' && query.codes.length < 2) {
    ctx.addIssue({
      code: 'custom',
      path: ['op'],
      message: `« ${query.op} » combine au moins deux codes (codes=a,b).`,
    });
  }
});

/** The filters of a search: as query parameters of `GET …/search`, and in `POST …/autocode`. */
const searchFilters = {
  ...documentFilter,
  /** `interviewees`, or a speaker's name. */
  speaker: single.max(200).optional(),
  /** Only matches inside a passage coded with this code. */
  codeId: id.optional(),
  /** Only matches that no coding covers. */
  uncoded: flag.default(false),
  prefix: flag.default(true),
  fuzzy: flag.default(false),
};

/** The `filters` of `POST …/autocode`: those of the search it codes. */
export const SearchFiltersQuery = withAttributeFilters(searchFilters, ['coderId', 'q', 'offset', 'limit']);

/** `GET …/search`: the words, the filters and a page of hits. */
export const SearchQuery = withAttributeFilters(
  {
    ...searchFilters,
    q: single.max(1000).refine((q) => q.trim() !== '', 'saisissez un ou plusieurs mots à chercher.'),
    offset: integer(0, Number.MAX_SAFE_INTEGER).default(0),
    limit: integer(1, 1000).default(100),
  },
  ['coderId'],
);

export const EXPORT_SORTS = ['document', 'time', 'length'] as const;

/**
 * The exports' options: the review filters, the themes (`codes`, none for all), pseudonymisation,
 * the quotes per theme (0 for all), their order, memos, the breakdown attribute (`attribute`, ''
 * for none), the attributes cited (`cite`, repeatable; `cite=` alone for none) and the CSV
 * delimiter.
 */
export const ExportQuery = withAttributeFilters({
  ...coderFilter,
  ...documentFilter,
  codes: idList.transform((ids) => [...new Set(ids)]).optional(),
  pseudonymise: flag.default(true),
  maxPerCode: integer(0, 100_000).default(0),
  sort: choice(EXPORT_SORTS).default('document'),
  memos: flag.default(false),
  attribute: single.optional(),
  cite: repeated(single.max(200)).optional(),
  delimiter: choice(['semicolon', 'comma']).default('semicolon'),
});

/** A day, `AAAA-MM-JJ`, given once. */
const isoDay = single.regex(/^\d{4}-\d{2}-\d{2}$/, 'date attendue : AAAA-MM-JJ.');

/** `GET …/audit` and its CSV: the trail filtered by person, kind and dates, a page at a time. */
export const AuditQuery = z.strictObject({
  /** Entries older than this seq (the `next` of the page before); the newest when absent. */
  before: integer(1, Number.MAX_SAFE_INTEGER).optional(),
  limit: integer(1, 500).default(50),
  userId: single.min(1).max(100).optional(),
  kind: choice(AUDIT_KINDS).optional(),
  from: isoDay.optional(),
  to: isoDay.optional(),
});

/** `GET …/memos` and its CSV: every memo, searched (`q`) and filtered by kind. */
export const MemoQuery = z.strictObject({
  q: single.max(200).optional(),
  kind: choice(MEMO_KINDS).optional(),
});

/** The memos' CSV and DOCX: the same list, pseudonymised unless a lead asks for real names. */
export const MemoExportQuery = MemoQuery.extend({ pseudonymise: flag.default(true) });

/** What each schema hands the route. */
export type ReviewFilterQuery = WithAttributes<{
  readonly coderId?: readonly string[];
  readonly documentId?: readonly string[];
}>;
export type ExportQueryOutput = z.output<typeof ExportQuery>;
export type SearchFiltersOutput = z.output<typeof SearchFiltersQuery>;
