/**
 * The small review project of fixtures/expected/review-project.json as a ProjectState, with ids
 * made from its keys, and the values fixtures/expected/review.py computed from it.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CodeId, CodingId, DocumentId, ParticipantId, ProjectId, UserId } from '../../../shared/ids.ts';
import type {
  AttributeDef,
  Code,
  Coding,
  DocumentMeta,
  Participant,
  ProjectState,
} from '../../../shared/model.ts';
import { codePointLength } from '../../../shared/offsets.ts';
import { detectTurns } from '../../../shared/turns.ts';

export interface FixtureCoding {
  key: string;
  doc: string;
  code: string;
  coder: string;
  start: number;
  end: number;
  quote: string;
}
export interface FixtureProject {
  attributes: AttributeDef[];
  participants: {
    key: string;
    name: string;
    pseudonym: string;
    attributes: Record<string, string | number>;
  }[];
  codes: { key: string; name: string; parent: string | null }[];
  coders: string[];
  documents: { key: string; name: string; participant: string | null; text: string }[];
  codings: FixtureCoding[];
}

const dir = resolve(import.meta.dirname, '../../../fixtures/expected');
export const project = JSON.parse(
  readFileSync(resolve(dir, 'review-project.json'), 'utf8'),
) as FixtureProject;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const expected = JSON.parse(readFileSync(resolve(dir, 'review.json'), 'utf8')) as any;

/** A stable UUID-shaped id for a fixture key. */
export function idOf(key: string): string {
  const hex = [...key].map((ch) => ch.codePointAt(0)?.toString(16).padStart(2, '0')).join('');
  return `00000000-0000-4000-8000-${hex.slice(0, 12).padStart(12, '0')}`;
}

/** Key of an id made by {@link idOf} (for reading results back in the fixture's terms). */
export const keyOf = new Map<string, string>(
  [
    ...project.documents.map((d) => d.key),
    ...project.codes.map((c) => c.key),
    ...project.coders,
    ...project.participants.map((p) => p.key),
    ...project.codings.map((k) => k.key),
  ].map((key) => [idOf(key), key]),
);

const at = '2026-01-01T00:00:00.000Z';

export function buildState(): ProjectState {
  const lead = idOf('alice') as UserId;
  const documents: Record<string, DocumentMeta> = {};
  for (const d of project.documents) {
    documents[idOf(d.key)] = {
      id: idOf(d.key) as DocumentId,
      name: d.name,
      length: codePointLength(d.text),
      memo: '',
      createdAt: at,
      createdBy: lead,
      format: 'txt',
      encoding: 'utf-8',
      turns: detectTurns(d.text),
      participantId: d.participant === null ? null : (idOf(d.participant) as ParticipantId),
    };
  }
  const codes: Record<string, Code> = {};
  for (const c of project.codes) {
    codes[idOf(c.key)] = {
      id: idOf(c.key) as CodeId,
      name: c.name,
      parentId: c.parent === null ? null : (idOf(c.parent) as CodeId),
      color: '#e6194b',
      description: '',
      createdAt: at,
      createdBy: lead,
      version: 1,
    };
  }
  const codings: Record<string, Coding> = {};
  for (const k of project.codings) {
    codings[idOf(k.key)] = {
      id: idOf(k.key) as CodingId,
      documentId: idOf(k.doc) as DocumentId,
      codeId: idOf(k.code) as CodeId,
      start: k.start,
      end: k.end,
      text: k.quote,
      coderId: idOf(k.coder) as UserId,
      createdAt: at,
      memo: '',
    };
  }
  const participants: Record<string, Participant> = {};
  for (const p of project.participants) {
    participants[idOf(p.key)] = {
      id: idOf(p.key) as ParticipantId,
      name: p.name,
      pseudonym: p.pseudonym,
      attributes: p.attributes,
      createdAt: at,
      createdBy: lead,
    };
  }
  return {
    seq: 1,
    project: {
      id: idOf('project') as ProjectId,
      name: 'Revue',
      description: '',
      createdAt: at,
      createdBy: lead,
    },
    members: Object.fromEntries(project.coders.map((c, i) => [idOf(c), i === 0 ? 'lead' : 'coder'])),
    documents,
    codes,
    codings,
    participants,
    attributes: project.attributes,
    settings: { interviewerLabels: [] },
    history: {},
  };
}

/** Non-blank lines of a text, the units review.py uses. */
export function nonBlankLines(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let position = 0;
  for (const line of text.split('\n')) {
    const length = [...line].length;
    if (line.trim() !== '') out.push({ start: position, end: position + length });
    position += length + 1;
  }
  return out;
}
