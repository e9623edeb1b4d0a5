/**
 * Text a data folder may hold but PostgreSQL cannot (a NUL, a lone surrogate), found before a
 * migration writes anything: written by a version of Verbatim that did not refuse it yet. Without
 * `--repair` the migration stops and names the project, the event and the field; with it, each such
 * character becomes U+FFFD (one code point for one, so that offsets into texts do not move) and the
 * repairs are listed.
 */
import type { InstanceEvent, ProjectEvent } from '../../shared/events.ts';
import { findUnstorable, isStorable, repairDeep, repairText } from '../../shared/safe-text.ts';
import type { ProjectContent } from './pg-transfer.ts';

/** What a migration does with text PostgreSQL cannot hold. */
export interface RepairPolicy {
  /** Replace it by U+FFFD (true), or stop with a message naming it (false). */
  readonly repair: boolean;
  /** Filled with one line per event or text repaired. */
  readonly repairs: string[];
}

/** The project's name, as its log last set it, for messages. */
export function projectLabel(content: Pick<ProjectContent, 'id' | 'events'>): string {
  let name = '';
  for (const event of content.events) {
    if (event.type === 'project_created') name = event.project.name;
    else if (event.type === 'project_updated') name = event.after.name;
  }
  return `projet ${content.id} « ${name} »`;
}

/** Stop the migration on `what`, saying how to go on. */
function unmovable(where: string, what: string): Error {
  return new Error(
    `Impossible de copier le ${where} : ${what} contient un caractère que PostgreSQL ne peut pas enregistrer ` +
      '(NUL ou moitié de paire de substitution UTF-16). Rien n’a été écrit dans la cible. Relancez avec ' +
      '--repair (npm run migrate -- --repair --from … --to …) pour remplacer chacun de ces caractères par ' +
      'U+FFFD (�) dans la copie ; la source reste inchangée.',
  );
}

function checkEvents<E extends { seq: number; type: string }>(
  where: string,
  events: readonly E[],
  policy: RepairPolicy,
): E[] {
  return events.map((event) => {
    const found = findUnstorable(event);
    if (!found) return event;
    const what = `l’évènement n° ${event.seq} (${event.type}), champ ${found.path}`;
    if (!policy.repair) throw unmovable(where, what);
    policy.repairs.push(`${where} : ${what}`);
    return repairDeep(event);
  });
}

/** The project's content as it can be written to PostgreSQL, or an error naming what cannot. */
export function storableProject(content: ProjectContent, policy: RepairPolicy): ProjectContent {
  const where = projectLabel(content);
  const events = checkEvents<ProjectEvent>(where, content.events, policy);
  const texts = new Map<string, string>();
  for (const [documentId, text] of content.texts) {
    if (isStorable(text)) {
      texts.set(documentId, text);
      continue;
    }
    const what = `le texte du document ${documentId}`;
    if (!policy.repair) throw unmovable(where, what);
    policy.repairs.push(`${where} : ${what}`);
    texts.set(documentId, repairText(text));
  }
  return { ...content, events, texts };
}

/** The instance's events as they can be written to PostgreSQL, or an error naming what cannot. */
export function storableInstance(events: readonly InstanceEvent[], policy: RepairPolicy): InstanceEvent[] {
  return checkEvents<InstanceEvent>('journal de l’instance', events, policy);
}
