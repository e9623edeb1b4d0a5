/**
 * The review pages' reads and their one write, through the typed client. The answers' types are
 * those of the server's routes, so a renamed field breaks the build.
 */
import type { LoggedProjectEvent } from '../../../shared/events.ts';
import { api, unwrap } from '../../api/client.ts';
import { apiQuery, type RetrieveOp, type ReviewFilter } from './review-filter.ts';

const project = api.projects[':projectId'];

export const fetchProject = (projectId: string) => unwrap(project.$get({ param: { projectId } }));

export function fetchFrequencies(projectId: string, filter: ReviewFilter, attribute?: string) {
  const query = { ...apiQuery(filter), ...(attribute ? { attribute } : {}) };
  return unwrap(project.stats.frequencies.$get({ param: { projectId }, query }));
}
export type FrequencyTable = Awaited<ReturnType<typeof fetchFrequencies>>;
export type FrequencyRow = FrequencyTable['rows'][number];

export const fetchCoders = (projectId: string, filter: ReviewFilter) =>
  unwrap(project.stats.coders.$get({ param: { projectId }, query: apiQuery(filter) }));
export type CoderRow = Awaited<ReturnType<typeof fetchCoders>>['rows'][number];

export type CooccurrenceUnit = 'overlap' | 'turn';
export const fetchCooccurrence = (projectId: string, filter: ReviewFilter, unit: CooccurrenceUnit) =>
  unwrap(project.stats.cooccurrence.$get({ param: { projectId }, query: { ...apiQuery(filter), unit } }));
export type Cooccurrence = Awaited<ReturnType<typeof fetchCooccurrence>>;

export type AgreementUnit = 'character' | 'turn';
/** Agreement takes `coders=` instead of the coder filter; documents and attributes still apply. */
export function fetchAgreement(
  projectId: string,
  coderIds: readonly string[],
  unit: AgreementUnit,
  filter: ReviewFilter,
) {
  const { coderId: _ignored, ...rest } = apiQuery(filter);
  return unwrap(
    project.stats.agreement.$get({
      param: { projectId },
      query: { ...rest, coders: coderIds.join(','), unit },
    }),
  );
}
export type AgreementReport = Awaited<ReturnType<typeof fetchAgreement>>;
export type AgreementRow = AgreementReport['rows'][number];

/** At most this many passages are asked for at once; the page says when there are more. */
export const PASSAGE_LIMIT = 500;

/** Passages of codes combined by `op`; with `unit: 'turn'`, the whole turns where they occur. */
export function fetchPassages(
  projectId: string,
  codeIds: readonly string[],
  op: RetrieveOp,
  filter: ReviewFilter,
  unit: 'passage' | 'turn' = 'passage',
) {
  return unwrap(
    project.retrieve.$get({
      param: { projectId },
      query: {
        ...apiQuery(filter),
        codes: codeIds.join(','),
        op,
        ...(unit === 'turn' ? { unit } : {}),
        context: '160',
        limit: String(PASSAGE_LIMIT),
      },
    }),
  );
}
export type Retrieval = Awaited<ReturnType<typeof fetchPassages>>;
export type Passage = Retrieval['passages'][number];

export const fetchParticipants = (projectId: string) =>
  unwrap(project.participants.$get({ param: { projectId } }));
export type ParticipantList = Awaited<ReturnType<typeof fetchParticipants>>;

export const fetchMembers = async (projectId: string) =>
  (await unwrap(project.members.$get({ param: { projectId } }))).members;
export type Member = Awaited<ReturnType<typeof fetchMembers>>[number];

export const fetchCodes = async (projectId: string) =>
  (await unwrap(project.codes.$get({ param: { projectId } }))).codes;
export type Code = Awaited<ReturnType<typeof fetchCodes>>[number];

export const fetchDocuments = async (projectId: string) =>
  (await unwrap(project.documents.$get({ param: { projectId } }))).documents;
export type DocumentSummary = Awaited<ReturnType<typeof fetchDocuments>>[number];

export const fetchDocument = (projectId: string, documentId: string) =>
  unwrap(project.documents[':documentId'].$get({ param: { projectId, documentId } }));

export const fetchCodings = async (projectId: string, documentId: string) =>
  (await unwrap(project.codings.$get({ param: { projectId }, query: { documentId } }))).codings;
export type Coding = Awaited<ReturnType<typeof fetchCodings>>[number];

/**
 * The last `count` events of the project, newest first. The route's type is lost to its live-feed
 * branch (a stream has no JSON type), so the body is checked here and read as the server's own
 * event type.
 */
export async function fetchRecentEvents(projectId: string, lastSeq: number, count: number) {
  const after = Math.max(0, lastSeq - count);
  const body: unknown = await unwrap(
    project.events.$get({ param: { projectId }, query: { after: String(after), limit: String(count) } }),
  );
  if (typeof body !== 'object' || body === null || !('events' in body) || !Array.isArray(body.events)) {
    throw new Error('fetchRecentEvents: the answer has no « events » list');
  }
  return [...(body.events as LoggedProjectEvent[])].reverse();
}
export type ActivityEvent = LoggedProjectEvent;

/** Names of every account (members, and people who left codings and have since left the project). */
export const fetchDirectory = async () => (await unwrap(api.users.directory.$get())).users;

/**
 * Accept a coding as the team's consensus: the lead gets a coding of the same code on the same
 * passage, marked as consensus (left out of agreement figures) and linked to the accepted one.
 */
export const acceptAsConsensus = (projectId: string, coding: { id: string }) =>
  unwrap(project.codings.consensus.$post({ param: { projectId }, json: { codingId: coding.id } }));
