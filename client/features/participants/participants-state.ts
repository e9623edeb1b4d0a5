/**
 * The participants of a project and their attribute definitions: read through one resource,
 * changed through actions that update the local copy at once and put it back if the server refuses.
 */
import { createResource, createSignal, type Setter } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { nameRecord } from '../../../shared/attributes.ts';
import { foldForComparison } from '../../../shared/text.ts';
import type { AttributeType } from '../../../shared/model.ts';
import type { ParticipantImportReport } from '../../../shared/participants.ts';

async function fetchParticipants(projectId: string) {
  return unwrap(api.projects[':projectId'].participants.$get({ param: { projectId } }));
}

export type ParticipantsView = Awaited<ReturnType<typeof fetchParticipants>>;
export type ParticipantRow = ParticipantsView['participants'][number];
export type AttributeDefView = ParticipantsView['attributes'][number];

/** A value as the API takes it; null removes it. */
export type AttributeInput = string | number | null;

/** An attribute definition being edited; `originalName` ties a renamed row to its saved values. */
export interface AttributeDraft {
  key: number;
  originalName: string | undefined;
  name: string;
  type: AttributeType;
  /** Allowed values for a choice, one per line or separated by semicolons. */
  choices: string;
  /** Whether pseudonymised exports may cite it: as the lead says, or by default (`auto`). */
  publish: 'auto' | 'yes' | 'no';
}

/** The choices written in a draft, trimmed, without blanks or repeats. */
export function splitChoices(raw: string): string[] {
  return [
    ...new Set(
      raw
        .split(/[;\n]/)
        .map((c) => c.trim())
        .filter((c) => c !== ''),
    ),
  ];
}

/**
 * The actions that change the whole view at once: the attribute definitions saved together, a
 * participants table imported.
 */
function createViewActions(
  projectId: () => string,
  mutate: Setter<ParticipantsView | undefined>,
  refetch: () => unknown,
  setError: Setter<unknown>,
) {
  /**
   * Save the attribute definitions in one change. A renamed row sends its saved name as
   * `previousName`, so the server carries its values across.
   */
  async function saveAttributes(drafts: readonly AttributeDraft[]): Promise<boolean> {
    const attributes = drafts.map((d) => ({
      name: d.name.trim(),
      type: d.type,
      ...(d.type === 'choice' ? { choices: splitChoices(d.choices) } : {}),
      ...(d.publish === 'auto' ? {} : { publish: d.publish === 'yes' }),
      ...(d.originalName !== undefined && foldForComparison(d.originalName) !== foldForComparison(d.name)
        ? { previousName: d.originalName }
        : {}),
    }));
    setError(undefined);
    try {
      await unwrap(
        api.projects[':projectId'].attributes.$put({
          param: { projectId: projectId() },
          json: { attributes },
        }),
      );
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      await refetch();
    }
  }

  /** Import a participants table; the answer carries the report and the whole new view. */
  async function importCsv(file: File): Promise<ParticipantImportReport | undefined> {
    const body = new FormData();
    body.append('file', file, file.name);
    setError(undefined);
    try {
      const result = await unwrap(
        api.projects[':projectId'].participants.import.$post(
          { param: { projectId: projectId() } },
          { init: { body } },
        ),
      );
      mutate({ participants: result.participants, attributes: result.attributes });
      return {
        created: result.created,
        updated: result.updated,
        linked: result.linked,
        attributesAdded: result.attributesAdded,
        errors: result.errors,
      };
    } catch (failure) {
      setError(failure);
      return undefined;
    }
  }

  return { saveAttributes, importCsv };
}

export function createParticipantsState(projectId: () => string) {
  const [view, { mutate, refetch }] = createResource(projectId, fetchParticipants);
  const [error, setError] = createSignal<unknown>();

  const replaceRow = (row: ParticipantRow) =>
    mutate((v) => v && { ...v, participants: v.participants.map((p) => (p.id === row.id ? row : p)) });

  /** Change a participant's name, pseudonym or attribute values. */
  async function update(
    participant: ParticipantRow,
    patch: { name?: string; pseudonym?: string; attributes?: Record<string, AttributeInput> },
  ): Promise<boolean> {
    const before = participant;
    const attributes = nameRecord(Object.entries(before.attributes));
    for (const [key, value] of Object.entries(patch.attributes ?? {})) {
      if (value === null || value === '') delete attributes[key];
      else attributes[key] = value;
    }
    setError(undefined);
    replaceRow({
      ...before,
      name: patch.name ?? before.name,
      pseudonym: patch.pseudonym ?? before.pseudonym,
      attributes,
    });
    try {
      const after = await unwrap(
        api.projects[':projectId'].participants[':participantId'].$patch({
          param: { projectId: projectId(), participantId: participant.id },
          json: patch,
        }),
      );
      if (after) replaceRow(after);
      return true;
    } catch (failure) {
      replaceRow(before);
      setError(failure);
      return false;
    }
  }

  async function add(input: { name: string; pseudonym: string }): Promise<boolean> {
    setError(undefined);
    try {
      const created = await unwrap(
        api.projects[':projectId'].participants.$post({
          param: { projectId: projectId() },
          json: input.pseudonym.trim() === '' ? { name: input.name } : input,
        }),
      );
      mutate((v) => v && { ...v, participants: [...v.participants, created] });
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    }
  }

  async function remove(participant: ParticipantRow): Promise<void> {
    const before = view();
    setError(undefined);
    mutate((v) => v && { ...v, participants: v.participants.filter((p) => p.id !== participant.id) });
    try {
      await unwrap(
        api.projects[':projectId'].participants[':participantId'].$delete({
          param: { projectId: projectId(), participantId: participant.id },
        }),
      );
    } catch (failure) {
      mutate(before);
      setError(failure);
    }
  }

  const { saveAttributes, importCsv } = createViewActions(projectId, mutate, refetch, setError);

  return { view, refetch, error, setError, update, add, remove, saveAttributes, importCsv };
}

export type ParticipantsState = ReturnType<typeof createParticipantsState>;
