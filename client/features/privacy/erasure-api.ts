import { api, unwrap } from '../../api/client.ts';

/** Erase a participant and everything about them (withdrawal of consent); `confirm` is their name. */
export async function eraseParticipant(projectId: string, participantId: string, confirm: string) {
  return unwrap(
    api.projects[':projectId'].participants[':participantId'].erase.$post({
      param: { projectId, participantId },
      json: { confirm },
    }),
  );
}

/** Erase one document and everything about it; `confirm` is its name. */
export async function eraseDocument(projectId: string, documentId: string, confirm: string) {
  return unwrap(
    api.projects[':projectId'].documents[':documentId'].erase.$post({
      param: { projectId, documentId },
      json: { confirm },
    }),
  );
}
