import type { Client } from './server.ts';

/** The interview the erasure tests erase: its interviewee's name and places they name. */
export const INTERVIEW =
  'Q : Vos ateliers ?\nCamille Martin : Les marionnettes à Brioude, ressaisies trois fois.';

/**
 * A project holding one participant, Camille Martin (P01), and her interview, made through `client`:
 * what an erasure test then erases.
 */
export async function projectWithInterviewee(client: Client) {
  const pid = (await client.post('/api/projects', { name: 'Spectacle vivant' })).body.id as string;
  const base = `/api/projects/${pid}`;
  const camille = (await client.post(`${base}/participants`, { name: 'Camille Martin', pseudonym: 'P01' }))
    .body;
  const doc = (await client.post(`${base}/documents`, { name: 'entretien-01.txt', text: INTERVIEW })).body
    .documents[0];
  await client.patch(`${base}/documents/${doc.id}`, { participantId: camille.id });
  return { pid, base, camille: camille as { id: string }, doc: doc as { id: string } };
}
