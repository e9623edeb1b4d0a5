import { CodePointIndex } from './offsets.ts';
import { foldForComparison } from './text.ts';

/** A speaker turn of a transcript. */
export interface Turn {
  /** [start, end) in Unicode code points of the stored (normalised) text. */
  readonly start: number;
  readonly end: number;
  /** The speaker label as written (« Camille Martin », « Q »); '' when a timed passage names nobody. */
  readonly speaker: string;
  /** Where the turn starts in the recording, in seconds, when the transcript says so. */
  readonly time?: number;
}

/** Where a turn starts; its end is found by {@link turnsFromStarts}. */
export interface TurnStart {
  /** Code-point offset of the first character of the turn (the start of its line). */
  readonly start: number;
  readonly speaker: string;
  readonly time?: number;
}

/** What {@link parseSpeakerLine} found at the start of a line. */
export interface SpeakerLine {
  readonly speaker: string;
  readonly time?: number;
  /** UTF-16 index in the line where the speech itself begins, after the label. */
  readonly contentStart: number;
}

/** Labels that, by default, mark the interviewer's turns (compared accent- and case-insensitively). */
export const DEFAULT_INTERVIEWER_LABELS: readonly string[] = [
  'Enquêteur',
  'Enquêtrice',
  'Enquêteur·rice',
  'Enquêteur·ice',
  'Intervieweur',
  'Intervieweuse',
  'Interviewer',
  'Q',
  'Question',
  'Chercheur',
  'Chercheuse',
  'Animateur',
  'Animatrice',
  'Modérateur',
  'Modératrice',
];

/**
 * Whether a speaker label names the interviewer: equal to one of `labels` once accents and case are
 * folded, possibly followed by a number or a single letter (« Enquêtrice 2 », « Q1 », « Chercheur B »).
 * @example isInterviewer('enquetrice', DEFAULT_INTERVIEWER_LABELS) === true
 */
export function isInterviewer(
  speaker: string,
  labels: readonly string[] = DEFAULT_INTERVIEWER_LABELS,
): boolean {
  // Reports and searches ask this of every turn they read: the answer is kept per list of labels.
  const key = labels.join('\u0000');
  let known = verdicts.get(key);
  if (!known) {
    if (verdicts.size >= 16) verdicts.clear();
    verdicts.set(key, (known = new Map()));
  }
  let verdict = known.get(speaker);
  if (verdict === undefined) {
    if (known.size >= 10_000) known.clear();
    known.set(speaker, (verdict = namesInterviewer(speaker, labels)));
  }
  return verdict;
}

/** Verdicts of `isInterviewer`, by labels (joined) then speaker: folding accents is its whole cost. */
const verdicts = new Map<string, Map<string, boolean>>();

function namesInterviewer(speaker: string, labels: readonly string[]): boolean {
  const folded = foldForComparison(speaker.trim());
  return labels.some((label) => {
    const l = foldForComparison(label.trim());
    if (l === '' || !folded.startsWith(l)) return false;
    const rest = folded.slice(l.length);
    return rest === '' || /^\d+$/.test(rest) || /^ (?:\d+|\p{L})$/u.test(rest);
  });
}

// Separators French typography puts before a colon: space, tab, no-break space, narrow no-break space.
const SP = '[ \\t\\u00a0\\u202f]';
const TIME = String.raw`(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?`;
const LEADING_TIME = new RegExp(
  `^(?:\\[(${TIME})\\]|\\((${TIME})\\)|(${TIME})(?=${SP}))${SP}*(?:[-–—]${SP}*)?`,
);
const EMPHASIS = new RegExp(`^(\\*\\*|__)([^*_\\n]{1,45}?)\\1(${SP}*:)?(?=\\s|$)`);
const BRACKET = new RegExp(`^\\[([^\\]\\n]{1,40})\\](${SP}*:)?(?=\\s|$)`);
const COLON = new RegExp(`^([^:\\n]{1,40}?)${SP}*(?:[[(](${TIME})[\\])]${SP}*)?:(?=\\s|$)`);

/** Role labels that are not capitalised word by word but are speakers all the same. */
const LOWERCASE_ROLES = new Set(['personne interrogee', 'personne enquetee', 'personne interviewee']);

/**
 * Capitalised single words that often open a line with a colon without naming anyone: discourse
 * markers, interview header fields, pronouns, and the annotations transcribers put in brackets.
 */
const NOT_SPEAKERS = new Set(
  (
    'bref donc alors ensuite enfin puis mais et ou or ainsi voila voici exemple ex note nota nb ps ' +
    'remarque attention conclusion resume rappel objectif theme sujet date lieu duree heure horaire contexte ' +
    'observation observations titre source oui non bon bien total important pourquoi comment resultat ' +
    'probleme solution consigne consignes introduction transcription entretien legende moi toi lui elle ' +
    'nous vous eux elles ils il on je tu ca cela ceci rires rire silence inaudible incomprehensible pause ' +
    'hesitation soupir soupirs blanc coupure bruit bruits interruption fin debut toux sourire'
  ).split(' '),
);

const PARTICLES = new Set([
  'de',
  'du',
  'des',
  'la',
  'le',
  'les',
  'van',
  'von',
  'der',
  'den',
  'da',
  'di',
  'del',
  'dos',
  'el',
  'ben',
  'n°',
]);
const CAPITALISED_WORD = /^(?:[dl]['’])?\p{Lu}[\p{L}\p{M}\d'’·-]*$/u;
const ABBREVIATION = /^(?:M|Mme|Mlle|Dr|Pr|Me|St|Ste)\.$/u;
const NUMBER = /^(?:n°)?\d+$/;
const SENTENCE_PUNCTUATION = /[,;!?«»"“”()[\]{}…:*_<>/\\|=+#@&%$]/;

/**
 * Whether `label` can be a speaker label. Emphasised labels (bold in a document, `**…**` in
 * Markdown) only need to be short and free of sentence punctuation; plain labels must also be one to
 * four capitalised words (« Camille Martin », « NOM », « Participant 3 »), so that « Il m'a dit : »
 * is not mistaken for a speaker.
 */
function isSpeakerLabel(label: string, emphasised: boolean): boolean {
  if (label === '' || label.length > 40 || SENTENCE_PUNCTUATION.test(label)) return false;
  const words = label.split(/[ \t\u00a0\u202f]+/);
  const folded = foldForComparison(label);
  if (words.length === 1 && NOT_SPEAKERS.has(folded)) return false;
  if (emphasised) return words.length <= 5 && !label.endsWith('.');
  if (LOWERCASE_ROLES.has(folded)) return true;
  if (words.length > 4) return false;
  return words.every((word, i) => {
    if (CAPITALISED_WORD.test(word) || ABBREVIATION.test(word)) return true;
    if (i === 0) return false;
    return NUMBER.test(word) || PARTICLES.has(word.toLowerCase());
  });
}

/** Seconds of a `[hh:]mm:ss[.mmm]` timestamp. */
export function parseTimestamp(value: string): number {
  const [main = '', fraction = ''] = value.split(/[.,]/);
  const parts = main.split(':').map(Number);
  const seconds = parts.reduce((total, part) => total * 60 + part, 0);
  return fraction === '' ? seconds : seconds + Number(`0.${fraction}`);
}

/**
 * Read a speaker label at the start of one line: `Camille Martin :`, `NOM:`, `Q :`, `**Nom :**`,
 * `**Nom** :`, `[Nom]`, `Nom [00:12:34] :`, each optionally after a timestamp `[00:12:34]`,
 * `(12:34)` or `00:12:34`. A line that starts with a bracketed timestamp and names nobody gives the
 * speaker ''. Returns undefined when the line does not open a turn.
 * @example parseSpeakerLine('[00:01:02] Enquêtrice : Bonjour') → { speaker: 'Enquêtrice', time: 62, contentStart: 24 }
 */
export function parseSpeakerLine(line: string): SpeakerLine | undefined {
  const indent = /^[ \t]{0,3}/.exec(line)?.[0].length ?? 0;
  let at = indent;
  let time: number | undefined;
  let bracketedTime = false;
  const stamp = LEADING_TIME.exec(line.slice(at));
  if (stamp) {
    const value = stamp[1] ?? stamp[2] ?? stamp[3] ?? '';
    time = parseTimestamp(value);
    bracketedTime = stamp[3] === undefined;
    at += stamp[0].length;
  }
  const rest = line.slice(at);
  const found = matchLabel(rest);
  const withTime = (speaker: string, end: number, inlineTime?: number): SpeakerLine => {
    const contentStart = at + end + (/^[ \t\u00a0\u202f]*/.exec(rest.slice(end))?.[0].length ?? 0);
    const t = time ?? inlineTime;
    return t === undefined ? { speaker, contentStart } : { speaker, time: t, contentStart };
  };
  if (found) return withTime(found.speaker, found.end, found.time);
  if (bracketedTime) return withTime('', 0);
  return undefined;
}

function matchLabel(rest: string): { speaker: string; end: number; time?: number } | undefined {
  const emphasis = EMPHASIS.exec(rest);
  if (emphasis) {
    const inner = (emphasis[2] ?? '').trim();
    const innerColon = /[ \t\u00a0\u202f]*:$/.exec(inner);
    if (innerColon || emphasis[3]) {
      const label = innerColon ? inner.slice(0, innerColon.index).trim() : inner;
      if (isSpeakerLabel(label, true)) return { speaker: label, end: emphasis[0].length };
    }
    return undefined;
  }
  const bracket = BRACKET.exec(rest);
  if (bracket) {
    const label = (bracket[1] ?? '').trim();
    return isSpeakerLabel(label, false) ? { speaker: label, end: bracket[0].length } : undefined;
  }
  const colon = COLON.exec(rest);
  if (colon) {
    const label = (colon[1] ?? '').trim();
    if (!isSpeakerLabel(label, false)) return undefined;
    const time = colon[2] === undefined ? undefined : parseTimestamp(colon[2]);
    return time === undefined
      ? { speaker: label, end: colon[0].length }
      : { speaker: label, end: colon[0].length, time };
  }
  return undefined;
}

/**
 * Turn starts into turns: each runs to the next start (or the end of the text), without the
 * whitespace and newlines that trail it. Starts are in code points of `text`.
 */
export function turnsFromStarts(text: string, starts: readonly TurnStart[]): Turn[] {
  const sorted = [...starts].sort((a, b) => a.start - b.start);
  // Whitespace is never astral, so trimming k UTF-16 units trims k code points.
  const index = new CodePointIndex(text);
  const turns: Turn[] = [];
  sorted.forEach((s, i) => {
    const next = Math.min(sorted[i + 1]?.start ?? index.length, index.length);
    const nextUnit = index.toUtf16(next);
    const startUnit = index.toUtf16(Math.min(s.start, index.length));
    let endUnit = nextUnit;
    while (endUnit > startUnit && /\s/.test(text.charAt(endUnit - 1))) endUnit--;
    const end = next - (nextUnit - endUnit);
    if (end <= s.start) return;
    turns.push(
      s.time === undefined
        ? { start: s.start, end, speaker: s.speaker }
        : { start: s.start, end, speaker: s.speaker, time: s.time },
    );
  });
  return turns;
}

/**
 * Find the speaker turns of a normalised text: a turn opens at every line that starts with a
 * speaker label (see {@link parseSpeakerLine}) and runs to the next one. Text before the first
 * label belongs to no turn.
 * @example detectTurns('Q : Ça va ?\nR : Oui.') → [{start:0,end:11,speaker:'Q'},{start:12,end:20,speaker:'R'}]
 */
export function detectTurns(text: string): Turn[] {
  const starts: TurnStart[] = [];
  let codePoint = 0;
  for (const line of text.split('\n')) {
    const found = parseSpeakerLine(line);
    if (found) {
      starts.push(
        found.time === undefined
          ? { start: codePoint, speaker: found.speaker }
          : { start: codePoint, speaker: found.speaker, time: found.time },
      );
    }
    codePoint += [...line].length + 1;
  }
  return turnsFromStarts(text, starts);
}
