/**
 * The citation under a quote: who said it and what may be said of them. A passage inside an
 * interviewer's turn is the interviewer's, not the participant's; one spanning both names both.
 */
import { attributeValueOf } from '../../shared/attributes.ts';
import { DomainError } from '../../shared/errors.ts';
import type { AttributeDef, DocumentMeta, Participant, ProjectState } from '../../shared/model.ts';
import { publishableAttributes } from '../../shared/publication.ts';
import { unitsOverlapping } from '../../shared/stats/sweep.ts';
import { isInterviewer } from '../../shared/turns.ts';
import { formatTime } from './typography.ts';

/** How the interviewer is named when their label is a mere letter (« Q », « E »). */
const INTERVIEWER = 'Enquêteur·rice';

/** Who speaks in [start, end): the interviewer, the participant, or both (in order of speech). */
export function quoteSpeakers(
  document: DocumentMeta,
  start: number,
  end: number,
  interviewerLabels: readonly string[],
): { interviewer: string | null; participant: boolean; interviewerFirst: boolean } {
  let interviewer: string | null = null;
  let participant = false;
  let interviewerFirst = false;
  const indexes = unitsOverlapping(document.turns, { start, end });
  for (const i of indexes) {
    const speaker = document.turns[i]?.speaker.trim() ?? '';
    if (speaker !== '' && isInterviewer(speaker, interviewerLabels)) {
      if (interviewer === null) {
        interviewer = /\p{L}{2}/u.test(speaker) ? speaker : INTERVIEWER;
        interviewerFirst = !participant;
      }
    } else participant = true;
  }
  // A passage outside every turn (a transcript without speakers) is the participant's.
  if (interviewer === null) participant = true;
  return { interviewer, participant, interviewerFirst };
}

/**
 * The citation of a passage: its speakers (the participant's pseudonym, or the document's name when
 * the document has no participant; the interviewer's label), the cited attribute values of the
 * participant, the time of the turn.
 * @example « P03, responsable billetterie, 00:12:34 », « Enquêtrice, 00:03:10 », « Enquêtrice et P03, 00:05:00 »
 */
export function citationOf(
  participant: Participant | undefined,
  document: DocumentMeta,
  cite: readonly AttributeDef[],
  time: number | null,
  speakers: ReturnType<typeof quoteSpeakers>,
): string {
  const who = participant ? participant.pseudonym : document.name;
  const names = !speakers.interviewer
    ? [who]
    : !speakers.participant
      ? [speakers.interviewer]
      : speakers.interviewerFirst
        ? [speakers.interviewer, who]
        : [who, speakers.interviewer];
  const parts = [names.join(' et ')];
  if (speakers.participant) {
    for (const a of cite) {
      const value = attributeValueOf(participant?.attributes, a.name);
      if (value !== undefined && String(value) !== '') parts.push(String(value));
    }
  }
  if (time !== null) parts.push(formatTime(time));
  return parts.join(', ');
}

/**
 * The attributes cited after the pseudonym: those named by `cite` (by default, every one a
 * pseudonymised export may show, else the text and choice attributes).
 * @throws DomainError `invalid_input` for an attribute not publishable in a pseudonymised export.
 */
export function citedAttributes(
  state: Readonly<ProjectState>,
  cite: readonly string[] | undefined,
  pseudonymise: boolean,
  /** The attribute a `cite` value names; throws when none. */
  resolve: (name: string) => AttributeDef,
): AttributeDef[] {
  const publishable = publishableAttributes(state);
  if (cite === undefined) {
    return pseudonymise
      ? publishable
      : state.attributes.filter((a) => a.type === 'text' || a.type === 'choice');
  }
  const chosen = cite.filter((c) => c !== '').map(resolve);
  const refused = pseudonymise ? chosen.find((a) => !publishable.includes(a)) : undefined;
  if (refused) {
    throw new DomainError(
      'invalid_input',
      `« ${refused.name} » n’est pas publiable : ses valeurs pourraient identifier une personne. Un·e responsable peut le marquer publiable dans les attributs des participant·es.`,
      { attribute: refused.name, reason: 'not_publishable' },
    );
  }
  return chosen;
}
