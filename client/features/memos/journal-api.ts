/** The project's journal through the typed client. */
import { api, unwrap } from '../../api/client.ts';

const journal = api.projects[':projectId'].journal;

export interface JournalDraft {
  date: string;
  title: string;
  text: string;
}

export const addJournalEntry = (projectId: string, draft: JournalDraft) =>
  unwrap(journal.$post({ param: { projectId }, json: draft }));

export const updateJournalEntry = (
  projectId: string,
  entryId: string,
  draft: JournalDraft & { textBefore: string },
) => unwrap(journal[':entryId'].$patch({ param: { projectId, entryId }, json: draft }));

export const deleteJournalEntry = (projectId: string, entryId: string) =>
  unwrap(journal[':entryId'].$delete({ param: { projectId, entryId } }));

/** Today, as the reader's calendar says (`AAAA-MM-JJ`). */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
