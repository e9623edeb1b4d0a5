/**
 * The project XML is written piece by piece (one source at a time) so that a project of 100,000
 * codings is never held whole as a tree and a string: the pieces joined are exactly the document
 * the whole tree gave (`fixtures/expected/refi/streamed-project.qde`, written by that tree).
 */
import { strFromU8, unzipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyProjectState } from '../../../shared/events.ts';
import type { CodeId, CodingId, DocumentId, ParticipantId, ProjectId, UserId } from '../../../shared/ids.ts';
import type { Code, Coding, DocumentMeta, ProjectState, UserRecord } from '../../../shared/model.ts';
import { projectArchive } from '../../../server/refi/export-archive.ts';
import { buildProjectXml, projectXmlChunks } from '../../../server/refi/export-project.ts';
import type { Store } from '../../../server/storage/store.ts';

const uuid = (n: number) => `5d1e0c2a-7b3f-4c8e-9a41-${String(n).padStart(12, '0')}`;
const LEAD = uuid(1) as UserId;
const CODER = uuid(2) as UserId;
const AT = '2026-03-02T10:00:00.000Z';
const GOLDEN = 'fixtures/expected/refi/streamed-project.qde';

function code(n: number, name: string, parentId: CodeId | null): Code {
  const id = uuid(n) as CodeId;
  return {
    id,
    name,
    parentId,
    color: '#1f77b4',
    description: `Décrit « ${name} » & co`,
    createdAt: AT,
    createdBy: LEAD,
    version: 1,
    position: n,
  };
}

function documentMeta(n: number, name: string, extra: Partial<DocumentMeta> = {}): DocumentMeta {
  return {
    id: uuid(n) as DocumentId,
    name,
    length: 400,
    memo: '',
    createdAt: AT,
    createdBy: LEAD,
    format: 'txt',
    encoding: 'utf-8',
    turns: [],
    participantId: null,
    ...extra,
  };
}

/** Three documents (one from a .docx, one with a video, one with a memo), two coders, memos. */
function richProject(): ProjectState {
  const state = emptyProjectState(uuid(0) as ProjectId);
  state.project = {
    ...state.project,
    name: 'Théâtres <& publics>',
    description: 'Une étude\tde terrain.',
    createdAt: AT,
    createdBy: LEAD,
  };
  state.members = { [LEAD]: 'lead', [CODER]: 'coder' };
  const parent = code(10, 'Accueil', null);
  const child = code(11, 'Billetterie "en ligne"', parent.id);
  state.codes = { [parent.id]: parent, [child.id]: child };
  state.attributes = [{ name: 'ville', type: 'text', choices: [] }];
  const participant = uuid(20) as ParticipantId;
  state.participants = {
    [participant]: {
      id: participant,
      name: 'Camille',
      pseudonym: 'P01',
      attributes: { ville: 'Lyon' },
      createdAt: AT,
      createdBy: LEAD,
    },
  };
  const a = documentMeta(30, 'entretien 2.txt', { memo: 'Relire\nla fin', participantId: participant });
  const b = documentMeta(31, 'entretien 10.docx', { format: 'docx' });
  const c = documentMeta(32, 'visite.txt', {
    syncPoints: [
      { position: 0, time: 0 },
      { position: 50, time: 3.5 },
    ],
    media: { id: uuid(33), name: 'visite', type: 'video/mp4', size: 10 },
  });
  state.documents = { [a.id]: a, [b.id]: b, [c.id]: c };
  const codings: [DocumentId, CodeId, number, number, UserId, string][] = [
    [a.id, child.id, 10, 40, LEAD, ''],
    [a.id, parent.id, 10, 40, CODER, ''],
    [a.id, child.id, 10, 40, CODER, 'Ironique ? <oui> & "non"'],
    [a.id, parent.id, 0, 5, LEAD, ''],
    [b.id, child.id, 3, 9, CODER, ''],
    [c.id, child.id, 50, 80, LEAD, 'Au moment du geste'],
  ];
  codings.forEach(([documentId, codeId, start, end, coderId, memo], i) => {
    const id = uuid(100 + i) as CodingId;
    state.codings[id] = {
      id,
      documentId,
      codeId,
      start,
      end,
      text: 'x',
      coderId,
      createdAt: AT,
      memo,
    } satisfies Coding;
  });
  return state;
}

const users: Record<string, UserRecord> = {
  [LEAD]: { id: LEAD, username: 'lea', displayName: 'Léa Martin' } as UserRecord,
  [CODER]: { id: CODER, username: 'sam', displayName: 'Sam' } as UserRecord,
};
const withDocx = new Set([uuid(31)]);
const recordings = new Map([[uuid(32), `${uuid(33)}.mp4`]]);

describe('projectXmlChunks', () => {
  it('joins into exactly the document the whole tree gave', () => {
    const xml = [...projectXmlChunks(richProject(), users, withDocx, recordings)].join('');
    expect(xml).toBe(readFileSync(GOLDEN, 'utf8'));
    expect(buildProjectXml(richProject(), users, withDocx, recordings)).toBe(xml);
  });

  it('writes each source as a piece of its own', () => {
    const chunks = [...projectXmlChunks(richProject(), users, withDocx, recordings)];
    const sources = chunks.filter((chunk) => /<(TextSource|VideoSource) /.test(chunk));
    expect(sources).toHaveLength(3);
    for (const chunk of sources) expect(chunk.match(/<(TextSource|VideoSource) /g)).toHaveLength(1);
  });

  it('writes an empty project as one empty element', () => {
    const state = emptyProjectState(uuid(0) as ProjectId);
    const xml = [...projectXmlChunks(state, {}, new Set())].join('');
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n' +
        '<Project xmlns="urn:QDA-XML:project:1.0" name="" origin="Verbatim"/>\n',
    );
  });
});

describe('projectArchive', () => {
  it('zips the XML written piece by piece and each text, read before the first byte and in its turn', async () => {
    const state = richProject();
    const original = new Uint8Array([0x50, 0x4b, 3, 4]);
    const reads: string[] = [];
    const store = {
      readText: async (_project: string, documentId: string) => {
        reads.push(documentId);
        return `Texte de ${documentId} : « é » 🎭`;
      },
      readOriginal: async () => original,
      readInstance: async () => ({ users }),
    } as unknown as Store;
    const chunks: Uint8Array[] = [];
    const documents = Object.keys(state.documents);
    const archive = await projectArchive(store, state);
    // Every text is read once before a byte is made (one the store cannot give back is refused
    // then, not halfway through the download), and again when its entry is written.
    expect(reads).toEqual(documents);
    for await (const chunk of archive) chunks.push(chunk);
    expect(reads).toEqual([...documents, ...documents]);
    const files = unzipSync(new Uint8Array(Buffer.concat(chunks)));
    expect(Object.keys(files)).toEqual([
      'project.qde',
      ...documents.flatMap((id) => [`sources/${id}.txt`, ...(id === uuid(31) ? [`sources/${id}.docx`] : [])]),
    ]);
    expect(strFromU8(files['project.qde'] as Uint8Array)).toBe(buildProjectXml(state, users, withDocx));
    for (const id of documents)
      expect(strFromU8(files[`sources/${id}.txt`] as Uint8Array)).toBe(`Texte de ${id} : « é » 🎭`);
    expect(files[`sources/${uuid(31)}.docx`]).toEqual(original);
  });

  it('refuses before making a byte when a text cannot be read', async () => {
    const state = richProject();
    const missing = Object.keys(state.documents)[1];
    const store = {
      readText: async (_project: string, documentId: string) => {
        if (documentId === missing) throw new Error('texte introuvable');
        return 'Texte.';
      },
      readOriginal: async () => undefined,
      readInstance: async () => ({ users }),
    } as unknown as Store;
    await expect(projectArchive(store, state)).rejects.toThrow('texte introuvable');
  });
});
