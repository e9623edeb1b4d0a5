/** A document with a video, exported: a VideoSource whose Transcript's sync points serve its codings. */
import { describe, expect, it } from 'vitest';
import { emptyProjectState } from '../../../shared/events.ts';
import type { CodeId, CodingId, DocumentId, ProjectId, UserId } from '../../../shared/ids.ts';
import type { DocumentMeta, MediaMeta, ProjectState } from '../../../shared/model.ts';
import { buildProjectXml } from '../../../server/refi/export-project.ts';
import { recordingFileName } from '../../../server/refi/export-sources.ts';
import { canValidate, validateXml } from './support.ts';

const LEAD = '0b6f1c1e-3c55-4a43-9b7a-6d2f3f1a0001' as UserId;
const DOC = '0b6f1c1e-3c55-4a43-9b7a-6d2f3f1a0002' as DocumentId;
const CODE = '0b6f1c1e-3c55-4a43-9b7a-6d2f3f1a0003' as CodeId;
const AT = '2026-02-01T09:00:00.000Z';

function videoProject(): ProjectState {
  const state = emptyProjectState('0b6f1c1e-3c55-4a43-9b7a-6d2f3f1a0000' as ProjectId);
  state.project = { ...state.project, name: 'Visites', createdAt: AT, createdBy: LEAD };
  state.members = { [LEAD]: 'lead' };
  const media: MediaMeta = {
    id: '0b6f1c1e-3c55-4a43-9b7a-6d2f3f1a0004',
    name: 'visite',
    type: 'video/mp4',
    size: 10,
  };
  const document: DocumentMeta = {
    id: DOC,
    name: 'visite.txt',
    length: 40,
    memo: '',
    createdAt: AT,
    createdBy: LEAD,
    format: 'txt',
    encoding: 'utf-8',
    turns: [],
    syncPoints: [
      { position: 0, time: 0 },
      { position: 20, time: 2.2604 },
    ],
    participantId: null,
    media,
  };
  state.documents = { [DOC]: document };
  state.codes = {
    [CODE]: {
      id: CODE,
      name: 'Accueil',
      parentId: null,
      color: '#1f77b4',
      description: '',
      createdAt: AT,
      createdBy: LEAD,
      version: 1,
      position: 0,
    },
  };
  const id = '0b6f1c1e-3c55-4a43-9b7a-6d2f3f1a0005' as CodingId;
  state.codings = {
    [id]: {
      id,
      documentId: DOC,
      codeId: CODE,
      start: 20,
      end: 31,
      text: 'x',
      coderId: LEAD,
      createdAt: AT,
      memo: '',
    },
  };
  return state;
}

describe('buildProjectXml › a document with a video', () => {
  it('is a VideoSource; a coding starting on a sync point shares it, its end gets an untimed one', async () => {
    const state = videoProject();
    const media = state.documents[DOC]?.media as MediaMeta;
    expect(recordingFileName(media)).toBe(`${media.id}.mp4`);
    const xml = buildProjectXml(state, {}, new Set(), new Map([[DOC, recordingFileName(media)]]));
    expect(xml).toMatch(
      new RegExp(`<VideoSource guid="${DOC}" name="visite" path="internal://${media.id}.mp4"`),
    );
    const points = [...xml.matchAll(/<SyncPoint guid="([^"]+)"( timeStamp="(\d+)")? position="(\d+)"\/>/g)];
    expect(points.map((m) => [Number(m[4]), m[3] === undefined ? null : Number(m[3])])).toEqual([
      [0, 0],
      [20, 2260],
      [31, null],
    ]);
    const selection = /<TranscriptSelection [^>]*fromSyncPoint="([^"]+)" toSyncPoint="([^"]+)"/.exec(xml);
    expect(selection?.[1]).toBe(points[1]?.[1]);
    expect(selection?.[2]).toBe(points[2]?.[1]);
    if (canValidate()) expect(await validateXml(xml, 'Project')).toEqual({ valid: true, output: '' });
  });
});
