/**
 * Translation: `t(key, params)` reads the catalogue of the current locale, a signal persisted in
 * localStorage. French is the default and the reference; English has exactly the same keys.
 */
import { createSignal } from 'solid-js';
import { ApiError } from '../api/client.ts';
import { en } from './en.ts';
import { fr, type MessageKey, type Messages } from './fr.ts';

export type Locale = 'fr' | 'en';
export type { MessageKey } from './fr.ts';

const CATALOGUES: Record<Locale, Messages> = { fr, en };
const STORAGE_KEY = 'verbatim.locale';

function storedLocale(): Locale {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fr';
  } catch {
    // Storage may be disabled (private mode): French, as for a first visit.
    return 'fr';
  }
}

// A signal needs no owner: the locale lives as long as the page.
const [locale, setLocaleSignal] = createSignal<Locale>(storedLocale());

export { locale };

export function setLocale(next: Locale): void {
  setLocaleSignal(next);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // Not persisted: the choice still holds for this visit.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/** A plural choice in a message: `{count, plural, one {# codage} other {# codages}}`. */
const PLURAL =
  /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{(?:[^{}]|\{\w+\})*\})+)\s*\}/g;
const PLURAL_CASE = /(=\d+|zero|one|two|few|many|other)\s*\{((?:[^{}]|\{\w+\})*)\}/g;

/**
 * The message for `key` in the current locale: plural choices first, chosen by the language's own
 * rules (`Intl.PluralRules`: in French 0 and 1 are singular, in English only 1), `#` standing for
 * the number; then `{name}` placeholders filled from `params`.
 * @example t('codebook.count', { count: 1 }) → « 1 codage » (fr), « 1 coding » (en)
 */
export function t(key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  return formatMessage(CATALOGUES[locale()][key], params, locale());
}

/**
 * Each language's plural rules, made once: an `Intl.PluralRules` takes about 0.1 ms to make, and a
 * long transcript asks for thousands of messages as it is drawn (400 ms of its opening, measured).
 */
const pluralRules = new Map<Locale, Intl.PluralRules>();

function pluralRulesOf(lang: Locale): Intl.PluralRules {
  let rules = pluralRules.get(lang);
  if (!rules) {
    rules = new Intl.PluralRules(lang);
    pluralRules.set(lang, rules);
  }
  return rules;
}

/** {@link t} over any template, for a given locale. */
export function formatMessage(
  template: string,
  params: Readonly<Record<string, string | number>>,
  lang: Locale,
): string {
  const chosen = template.replace(PLURAL, (whole, name: string, cases: string) => {
    const value = params[name];
    // A number may come already formatted (« 1 240 », « 2,5 »): read it back.
    const n =
      typeof value === 'number'
        ? value
        : Number(
            String(value)
              .replace(/[\s\u00a0\u202f]/g, '')
              .replace(',', '.'),
          );
    if (value === undefined || !Number.isFinite(n)) return whole;
    const options = new Map([...cases.matchAll(PLURAL_CASE)].map((m) => [m[1] as string, m[2] as string]));
    const text =
      options.get(`=${n}`) ?? options.get(pluralRulesOf(lang).select(n)) ?? options.get('other') ?? whole;
    return text.replace(/#/g, String(value));
  });
  return chosen.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

function hasKey(key: string): key is MessageKey {
  return key in fr;
}

/**
 * What to tell the user about a failure. In French the server's own message is already the most
 * precise; in another language the error code's translation is used when there is one.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const unsafe = locale() === 'fr' ? undefined : unsafeCharacterMessage(error);
    if (unsafe) return unsafe;
    const key = `error.${error.code}`;
    if (locale() !== 'fr' && hasKey(key)) return t(key);
    return error.message || (hasKey(key) ? t(key) : t('error.unknown'));
  }
  if (error instanceof TypeError) return t('error.network');
  return t('error.unknown');
}

/**
 * A refused character (400 `invalid_input` whose first issue says which, see shared/safe-text.ts)
 * in the user's language, naming the field: « name: contains an invisible character (U+200B). »
 */
function unsafeCharacterMessage(error: ApiError): string | undefined {
  const issues = (error.body as { error?: { details?: { issues?: unknown } } } | undefined)?.error?.details
    ?.issues;
  const first = Array.isArray(issues) ? (issues[0] as { path?: unknown; params?: unknown }) : undefined;
  const params = first?.params as { kind?: unknown; character?: unknown } | undefined;
  const key = `error.unsafeCharacter.${String(params?.kind)}`;
  if (error.code !== 'invalid_input' || !hasKey(key) || typeof params?.character !== 'string')
    return undefined;
  const field = Array.isArray(first?.path) ? first.path.join('.') : '';
  return t(key, { field, character: params.character });
}

/** A date and time in the user's language, e.g. « 28 nov. 2026, 21:04 ». */
export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(locale() === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

/** A day (`AAAA-MM-JJ`) in the user's language, e.g. « jeudi 3 décembre 2026 »; as given if unreadable. */
export function formatDate(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(locale() === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'full',
    timeZone: 'UTC',
  }).format(date);
}

/** A number in the user's language (« 12 345 » in French). */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat(locale() === 'fr' ? 'fr-FR' : 'en-GB').format(value);
}
