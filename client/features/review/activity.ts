/**
 * The event log as plain sentences for the dashboard: « Camille a codé un passage avec « Coûts »
 * dans entretien-01.txt ». Names are looked up at display time; a code or document deleted since
 * is named from the event itself when it carries it.
 */
import { isRedacted, type LoggedProjectEvent, type ProjectEvent } from '../../../shared/events.ts';
import { t, type MessageKey } from '../../i18n/index.ts';

export interface ActivityNames {
  user(id: string): string | undefined;
  code(id: string): string | undefined;
  document(id: string): string | undefined;
}

/** One event as a sentence in the reader's language. */
export function describeEvent(event: LoggedProjectEvent, names: ActivityNames): string {
  const user = names.user(event.userId) ?? t('review.activity.someone');
  const code = (id: string) => names.code(id) ?? t('review.activity.deletedCode');
  const documentName = (id: string) => names.document(id) ?? t('review.activity.deletedDocument');
  const say = (key: MessageKey, params: Record<string, string | number> = {}) => t(key, { user, ...params });
  const words: Words = { names, say, code, documentName };
  // Its content was erased (withdrawal of consent): who and when remain, nothing else.
  const sentence = isRedacted(event) ? say('review.activity.redacted') : contentSentence(event, words);
  return event.undoOf !== undefined ? t('review.activity.undone', { sentence }) : sentence;
}

/** What a sentence is made with: the names, and the user's sentence with its parameters. */
interface Words {
  names: ActivityNames;
  say: (key: MessageKey, params?: Record<string, string | number>) => string;
  code: (id: string) => string;
  documentName: (id: string) => string;
}

/** Changes to codings, codes and documents. */
function contentSentence(event: ProjectEvent, words: Words): string {
  switch (event.type) {
    case 'coding_created':
      return words.say(
        event.coding.consensus ? 'review.activity.consensus' : 'review.activity.coding_created',
        {
          code: words.code(event.coding.codeId),
          document: words.documentName(event.coding.documentId),
        },
      );
    case 'coding_updated':
      return words.say('review.activity.coding_updated', {
        code: words.code(event.after.codeId),
        document: words.documentName(event.after.documentId),
      });
    case 'coding_deleted':
      return words.say('review.activity.coding_deleted', {
        code: words.code(event.coding.codeId),
        document: words.documentName(event.coding.documentId),
      });
    case 'code_created':
      return words.say('review.activity.code_created', { code: event.code.name });
    case 'code_updated':
      return event.before.name !== event.after.name
        ? words.say('review.activity.code_renamed', { before: event.before.name, after: event.after.name })
        : words.say('review.activity.code_updated', { code: event.after.name });
    case 'codes_deleted':
      return words.say('review.activity.codes_deleted', {
        code: event.codes[0]?.name ?? '',
        count: event.codings.length,
      });
    case 'codes_restored':
      return words.say('review.activity.codes_restored', { code: event.codes[0]?.name ?? '' });
    case 'document_added':
      return words.say('review.activity.document_added', { document: event.document.name });
    case 'document_updated':
      return event.before.name !== event.after.name
        ? words.say('review.activity.document_renamed', {
            before: event.before.name,
            after: event.after.name,
          })
        : words.say('review.activity.document_updated', { document: event.after.name });
    case 'document_deleted':
      return words.say('review.activity.document_deleted', { document: event.document.name });
    case 'document_restored':
      return words.say('review.activity.document_restored', { document: event.document.name });
    default:
      return peopleSentence(event, words);
  }
}

/** Changes to participants, members, the project and its settings. */
function peopleSentence(event: ProjectEvent, words: Words): string {
  switch (event.type) {
    case 'participant_created':
      return words.say('review.activity.participant_created', { pseudonym: event.participant.pseudonym });
    case 'participant_updated':
      return words.say('review.activity.participant_updated', { pseudonym: event.after.pseudonym });
    case 'participant_deleted':
      return words.say('review.activity.participant_deleted', { pseudonym: event.participant.pseudonym });
    case 'participant_restored':
      return words.say('review.activity.participant_restored', { pseudonym: event.participant.pseudonym });
    case 'attributes_set':
      return words.say('review.activity.attributes_set');
    case 'member_set':
      return words.say(
        event.previousRole === null ? 'review.activity.member_added' : 'review.activity.member_role',
        {
          member: words.names.user(event.memberId) ?? t('review.activity.someone'),
          role: t(`role.${event.role}`),
        },
      );
    case 'member_removed':
      return words.say('review.activity.member_removed', {
        member: words.names.user(event.memberId) ?? t('review.activity.someone'),
      });
    case 'project_created':
      return words.say('review.activity.project_created', { project: event.project.name });
    case 'project_updated':
      return words.say('review.activity.project_updated');
    case 'settings_updated':
      return words.say('review.activity.settings_updated');
    case 'erasure':
      return words.say('review.activity.erasure', { ...event.counts });
    case 'journal_entry_added':
    case 'journal_entry_deleted':
      return words.say(`review.activity.${event.type}`, { title: event.entry.title, date: event.entry.date });
    case 'journal_entry_updated':
      return words.say('review.activity.journal_entry_updated', {
        title: event.after.title,
        date: event.after.date,
      });
    default:
      // A kind of change added since these sentences were written: said plainly, not hidden.
      return words.say('review.activity.other');
  }
}
