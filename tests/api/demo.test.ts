import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from './setup.ts';

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.server.stop();
});

describe('the demo study', () => {
  it('creates « Étude démo » in one request: interviews in four formats, participants, codebook, example codings', async () => {
    const res = await world.admin.post('/api/projects/demo');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Étude démo', role: 'lead' });
    expect(res.body.counts).toMatchObject({ documents: 4, codes: 17, codings: 17 });
    const base = `/api/projects/${res.body.id}`;
    const documents = (await world.admin.get(`${base}/documents`)).body.documents as {
      id: string;
      name: string;
      format: string;
      encoding: string;
      participantId: string | null;
      turnCount: number;
    }[];
    expect(documents.map((d) => d.format).sort()).toEqual(['docx', 'srt', 'txt', 'vtt']);
    expect(documents.find((d) => d.format === 'txt')?.encoding).toBe('windows-1252');
    expect(documents.every((d) => d.participantId !== null && d.turnCount > 10)).toBe(true);
    const { participants } = (await world.admin.get(`${base}/participants`)).body;
    expect(participants.map((p: { pseudonym: string }) => p.pseudonym)).toEqual(['P01', 'P02', 'P03', 'P04']);
    // Every example coding covers exactly the text it quotes.
    const codings = (await world.admin.get(`${base}/codings`)).body.codings as {
      documentId: string;
      start: number;
      end: number;
      text: string;
    }[];
    for (const coding of codings) {
      const doc = (await world.admin.get(`${base}/documents/${coding.documentId}`)).body;
      expect(
        Array.from(doc.text as string)
          .slice(coding.start, coding.end)
          .join(''),
      ).toBe(coding.text);
    }
  });

  it('opens the demo the caller already has instead of making a second one, even on a double click', async () => {
    const [first, second] = await Promise.all([
      world.admin.post('/api/projects/demo'),
      world.admin.post('/api/projects/demo'),
    ]);
    expect(first.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    const again = await world.admin.post('/api/projects/demo');
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const projects = (await world.admin.get('/api/projects')).body.projects as { name: string }[];
    expect(projects.filter((p) => p.name === 'Étude démo')).toHaveLength(1);
    // Someone else gets a demo of their own.
    const other = await world.user('nadia');
    const theirs = await other.client.post('/api/projects/demo');
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(first.body.id);
  });
});
