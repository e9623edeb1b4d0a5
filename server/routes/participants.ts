import { Hono } from 'hono';
import type { z } from 'zod';
import { assertRole } from '../../shared/access.ts';
import { DomainError } from '../../shared/errors.ts';
import { newId, type ParticipantId, type UserId } from '../../shared/ids.ts';
import type { ProjectEventBody } from '../../shared/events.ts';
import type { AttributeDef, Participant, ProjectState } from '../../shared/model.ts';
import { nameRecord, nextPseudonym, parseAttributeValue } from '../../shared/attributes.ts';
import {
  assertUniqueParticipant,
  checkAttributes,
  planParticipantImport,
} from '../../shared/participants.ts';
import { AttributeDefsInput, NewParticipant, ParticipantPatch, SettingsPatch } from '../../shared/schemas.ts';
import { foldForComparison } from '../../shared/text.ts';
import { requireUser } from '../auth/sessions.ts';
import { idParam, projectFor } from '../http/access.ts';
import { uploadedFile } from '../http/multipart.ts';
import { uploadSlots } from '../http/upload-slots.ts';
import type { Env } from '../http/env.ts';
import { validate } from '../http/validate.ts';
import { parseCsvTable } from '../import/csv-table.ts';
import type { Change, Store } from '../storage/store.ts';

/** Participants with the documents linked to each, and the attribute definitions. */
function participantsView(state: Readonly<ProjectState>) {
  const documents = new Map<string, string[]>();
  for (const d of Object.values(state.documents)) {
    if (d.participantId) documents.set(d.participantId, [...(documents.get(d.participantId) ?? []), d.id]);
  }
  const participants = Object.values(state.participants)
    .map((p) => ({ ...p, documentIds: documents.get(p.id) ?? [] }))
    .sort((a, b) => a.pseudonym.localeCompare(b.pseudonym, 'fr', { numeric: true }));
  return { participants, attributes: state.attributes };
}

function getParticipant(state: Readonly<ProjectState>, id: ParticipantId): Participant {
  const participant = state.participants[id];
  if (!participant) throw new DomainError('not_found', 'Participant introuvable.');
  return participant;
}

export function participantRoutes(store: Store, options: { maxUploadBytes: number }) {
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/', async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      return c.json(participantsView(state), 200);
    })
    .post('/', validate('json', NewParticipant), async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const input = c.req.valid('json');
      const userId = c.get('user').id;
      const participant = await store.changeProject(id, userId, (s) => createParticipant(s, userId, input));
      return c.json({ ...participant, documentIds: [] }, 201);
    })
    .post('/import', uploadSlots.guard, async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const userId = c.get('user').id;
      const file = await uploadedFile(
        c,
        'Envoyez le tableau CSV comme fichier (multipart, champ « file »).',
        options.maxUploadBytes,
      );
      if (!/\.(csv|txt|tsv)$/i.test(file.name)) {
        throw new DomainError('unsupported_media_type', `« ${file.name} » : un tableau .csv est attendu.`);
      }
      const { header, rows } = parseCsvTable(file.name, file.bytes);
      const now = new Date().toISOString();
      const { report, state } = await store.changeProject(id, userId, (s) => {
        assertRole(s, userId, 'lead');
        const plan = planParticipantImport(s, header, rows, userId, now);
        return { events: plan.events, result: { report: plan.report, state: s } };
      });
      return c.json({ ...report, ...participantsView(state) }, 200);
    })
    .patch('/:participantId', validate('json', ParticipantPatch), async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const participantId = idParam<ParticipantId>(c, 'participantId', 'Participant');
      const input = c.req.valid('json');
      const userId = c.get('user').id;
      const { after, state } = await store.changeProject(id, userId, (s) =>
        updateParticipant(s, userId, participantId, input),
      );
      const view = participantsView(state).participants.find((p) => p.id === after.id);
      return c.json(view, 200);
    })
    .delete('/:participantId', async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const participantId = idParam<ParticipantId>(c, 'participantId', 'Participant');
      const userId = c.get('user').id;
      await store.changeProject(id, userId, (s) => deleteParticipant(s, userId, participantId));
      return c.body(null, 204);
    });
}

// ---- decisions: each runs synchronously against the project's state (store.changeProject) -------

/** A participant, given the next free pseudonym unless the request names one. */
function createParticipant(
  s: Readonly<ProjectState>,
  userId: UserId,
  input: z.infer<typeof NewParticipant>,
): Change<ProjectEventBody, Participant> {
  assertRole(s, userId, 'lead');
  const all = Object.values(s.participants);
  const created: Participant = {
    id: newId<ParticipantId>(),
    name: input.name,
    pseudonym: input.pseudonym || nextPseudonym(all),
    attributes: checkAttributes(s.attributes, input.attributes ?? {}),
    createdAt: new Date().toISOString(),
    createdBy: userId,
  };
  assertUniqueParticipant(all, created);
  return { events: [{ type: 'participant_created', participant: created }], result: created };
}

/** A participant renamed, given another pseudonym, or other attribute values; the result holds the state. */
function updateParticipant(
  s: Readonly<ProjectState>,
  userId: UserId,
  participantId: ParticipantId,
  input: z.infer<typeof ParticipantPatch>,
): Change<ProjectEventBody, { after: Participant; state: Readonly<ProjectState> }> {
  assertRole(s, userId, 'lead');
  const before = getParticipant(s, participantId);
  const next: Participant = {
    ...before,
    name: input.name ?? before.name,
    pseudonym: input.pseudonym ?? before.pseudonym,
    attributes: input.attributes
      ? checkAttributes(s.attributes, input.attributes, before.attributes)
      : before.attributes,
  };
  assertUniqueParticipant(Object.values(s.participants), next);
  return {
    events: [{ type: 'participant_updated', before, after: next }],
    result: { after: next, state: s },
  };
}

/** A participant deleted; the documents linked to them are unlinked. */
function deleteParticipant(
  s: Readonly<ProjectState>,
  userId: UserId,
  participantId: ParticipantId,
): Change<ProjectEventBody, null> {
  assertRole(s, userId, 'lead');
  const participant = getParticipant(s, participantId);
  const documentIds = Object.values(s.documents)
    .filter((d) => d.participantId === participantId)
    .map((d) => d.id);
  return { events: [{ type: 'participant_deleted', participant, documentIds }], result: null };
}

/** Attribute definitions, replaced as a whole; existing values are checked against the new types. */
export function attributeRoutes(store: Store) {
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/', async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      return c.json({ attributes: state.attributes }, 200);
    })
    .put('/', validate('json', AttributeDefsInput), async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const input = c.req.valid('json');
      const userId = c.get('user').id;
      const after: AttributeDef[] = input.attributes.map((a) => ({
        name: a.name,
        type: a.type,
        choices: a.type === 'choice' ? [...new Set(a.choices ?? [])] : [],
        ...(a.publish === undefined ? {} : { publish: a.publish }),
      }));
      const folded = after.map((a) => foldForComparison(a.name));
      if (new Set(folded).size !== folded.length)
        throw new DomainError('duplicate_name', 'Deux attributs portent le même nom.');
      if (after.some((a) => a.type === 'choice' && a.choices.length === 0)) {
        throw new DomainError('invalid_input', 'Un attribut à choix doit proposer au moins une valeur.');
      }
      const state = await store.changeProject(id, userId, (s) => {
        assertRole(s, userId, 'lead');
        const events: ProjectEventBody[] = [{ type: 'attributes_set', before: s.attributes, after }];
        for (const before of Object.values(s.participants)) {
          const attributes = nameRecord<string | number>();
          // Each new definition takes the value held under its previous name (a rename) or its name.
          for (const [i, def] of after.entries()) {
            const source = foldForComparison(input.attributes[i]?.previousName ?? def.name);
            const entry = Object.entries(before.attributes).find(
              ([key]) => foldForComparison(key) === source,
            );
            if (!entry) continue; // A new attribute, or one removed: no value.
            try {
              const parsed = parseAttributeValue(def, entry[1]);
              if (parsed !== undefined) attributes[def.name] = parsed;
            } catch (error) {
              throw new DomainError('unprocessable', `${before.name} : ${(error as Error).message}`);
            }
          }
          if (JSON.stringify(attributes) !== JSON.stringify(before.attributes)) {
            events.push({ type: 'participant_updated', before, after: { ...before, attributes } });
          }
        }
        return { events, result: s };
      });
      return c.json({ attributes: state.attributes }, 200);
    });
}

/** Project settings: the speaker labels that mark the interviewer. */
export function settingsRoutes(store: Store) {
  return new Hono<Env>()
    .use(requireUser(store))
    .get('/', async (c) => {
      const { state } = await projectFor(c, store, 'viewer');
      return c.json(state.settings, 200);
    })
    .patch('/', validate('json', SettingsPatch), async (c) => {
      const { id } = await projectFor(c, store, 'lead');
      const input = c.req.valid('json');
      const userId = c.get('user').id;
      const settings = await store.changeProject(id, userId, (s) => {
        assertRole(s, userId, 'lead');
        const after = { ...s.settings, interviewerLabels: [...new Set(input.interviewerLabels)] };
        return { events: [{ type: 'settings_updated', before: s.settings, after }], result: after };
      });
      return c.json(settings, 200);
    });
}
