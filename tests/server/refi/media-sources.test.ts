/**
 * Audio and video sources read from REFI-QDA projects written by other tools: their transcripts
 * become documents with their sync points and codings, their recordings are kept when the archive
 * holds them and the storage can, and anything left aside is said in the report.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { UserId } from '../../../shared/ids.ts';
import type { DocumentMeta } from '../../../shared/model.ts';
import { planProjectImport, type ImportContext } from '../../../server/refi/plan-project-import.ts';
import { readProjectXml } from '../../../server/refi/read-project.ts';
import { haveSamples, noticeMissingSamples, SAMPLES_DIR } from './support.ts';

const USER = '7c0f5a4e-0d4b-4f0e-9a53-3a3c1b2d4e5f' as UserId;

function context(
  sources: Record<string, Uint8Array | string>,
  recordings?: { maxBytes: number },
): ImportContext {
  return {
    fileName: 'projet.qdpx',
    userId: USER,
    now: '2026-01-05T10:00:00.000Z',
    sources: new Map(
      Object.entries(sources).map(([name, bytes]) => [
        name.toLowerCase(),
        typeof bytes === 'string' ? strToU8(bytes) : bytes,
      ]),
    ),
    recordings,
  };
}

function documentsOf(plan: ReturnType<typeof planProjectImport>): DocumentMeta[] {
  return plan.events.flatMap((e) => (e.type === 'document_added' ? [e.document] : []));
}

/** The first bytes of an MP4 (an `ftyp` box, brand isom), enough to be recognised. */
const MP4 = new Uint8Array([
  0,
  0,
  0,
  0x18,
  ...strToU8('ftypisom'),
  0,
  0,
  2,
  0,
  ...strToU8('isomiso2'),
  0,
  0,
  0,
  8,
  ...strToU8('free'),
]);

const G = {
  code: 'A1B2C3D4-0000-4000-8000-000000000001',
  video: 'A1B2C3D4-0000-4000-8000-000000000002',
  transcript: 'A1B2C3D4-0000-4000-8000-000000000003',
  p0: 'A1B2C3D4-0000-4000-8000-000000000004',
  p1: 'A1B2C3D4-0000-4000-8000-000000000005',
  p2: 'A1B2C3D4-0000-4000-8000-000000000006',
  selection: 'A1B2C3D4-0000-4000-8000-000000000007',
  coding: 'A1B2C3D4-0000-4000-8000-000000000008',
};

/** A VideoSource as another tool writes one: CRLF transcript, sync points in ms, a transcript selection. */
function videoProject(path = 'internal://FILM.mp4'): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Film" origin="Outil d'essai">
  <CodeBook><Codes><Code guid="${G.code}" name="Accueil" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <VideoSource guid="${G.video}" name="visite.mp4" path="${path}">
      <Transcript guid="${G.transcript}" name="visite.txt" plainTextPath="internal://VISITE.txt">
        <SyncPoint guid="${G.p0}" position="0" timeStamp="0"/>
        <SyncPoint guid="${G.p1}" position="18" timeStamp="2500"/>
        <SyncPoint guid="${G.p2}" position="36"/>
        <TranscriptSelection guid="${G.selection}" fromSyncPoint="${G.p1}" toSyncPoint="${G.p2}">
          <Coding guid="${G.coding}"><CodeRef targetGUID="${G.code}"/></Coding>
        </TranscriptSelection>
      </Transcript>
      <VideoSelection guid="A1B2C3D4-0000-4000-8000-000000000009" begin="0" end="1000"/>
    </VideoSource>
  </Sources>
</Project>`;
}

// 18 characters, CRLF (counted as two, as the file has it), then the passage selected.
const VISITE = 'Guide : Bienvenue.\r\nVisiteur : Merci.\r\n';

describe('planProjectImport › audio and video sources', () => {
  it('makes a document of a transcript: its text, its timed sync points in seconds, its selection from sync point to sync point, the recording recognised', () => {
    const refi = readProjectXml('projet.qdpx', videoProject());
    const plan = planProjectImport(
      refi,
      context({ 'FILM.mp4': MP4, 'VISITE.txt': VISITE }, { maxBytes: 1000 }),
    );
    const [document] = documentsOf(plan);
    expect(plan.texts[0]?.text).toBe('Guide : Bienvenue.\nVisiteur : Merci.\n');
    expect(document).toMatchObject({ id: G.video.toLowerCase(), name: 'visite.txt' });
    // The untimed point only anchors the selection; CRLF → LF moves position 36 to 35.
    expect(document?.syncPoints).toEqual([
      { position: 0, time: 0 },
      { position: 18, time: 2.5 },
    ]);
    const codings = plan.events.flatMap((e) => (e.type === 'coding_created' ? [e.coding] : []));
    expect(codings.map((c) => [c.start, c.end, c.text])).toEqual([[18, 35, '\nVisiteur : Merci']]);
    expect(document?.media).toMatchObject({ name: 'visite.mp4', type: 'video/mp4', size: MP4.length });
    expect(plan.recordings).toHaveLength(1);
    expect(plan.recordings[0]?.media).toEqual(document?.media);
    expect(plan.report.warnings).toEqual([
      "1 sélection de l'enregistrement « visite.mp4 » (par le temps) non importée : seules les sélections de sa transcription le sont.",
    ]);
  });

  it('leaves the recording aside with a warning on a storage without recordings (PostgreSQL), importing the rest', () => {
    const refi = readProjectXml('projet.qdpx', videoProject());
    const plan = planProjectImport(refi, context({ 'FILM.mp4': MP4, 'VISITE.txt': VISITE }));
    expect(plan.recordings).toEqual([]);
    expect(documentsOf(plan)[0]?.media).toBeUndefined();
    expect(documentsOf(plan)[0]?.syncPoints).toHaveLength(2);
    expect(plan.report.warnings).toContain(
      "L'enregistrement de « visite.mp4 » n'est pas importé : ce serveur ne garde pas d’enregistrements (avec PostgreSQL, VERBATIM_MEDIA_DIR doit désigner leur dossier) ; sa transcription est importée sans lui.",
    );
  });

  it('leaves aside a recording over VERBATIM_MAX_MEDIA_MB, and one outside the archive, saying so', () => {
    const refi = readProjectXml('projet.qdpx', videoProject());
    const big = planProjectImport(refi, context({ 'FILM.mp4': MP4, 'VISITE.txt': VISITE }, { maxBytes: 10 }));
    expect(big.recordings).toEqual([]);
    expect(big.report.warnings.join('\n')).toMatch(/Enregistrement trop volumineux.*VERBATIM_MAX_MEDIA_MB/);
    const outside = readProjectXml('projet.qdpx', videoProject('relative:///films/visite.mp4'));
    const plan = planProjectImport(outside, context({ 'VISITE.txt': VISITE }, { maxBytes: 1000 }));
    expect(plan.recordings).toEqual([]);
    expect(plan.report.warnings).toContain(
      "L'enregistrement de « visite.mp4 » est hors de l'archive (« relative:///films/visite.mp4 ») : sa transcription est importée sans lui.",
    );
  });

  it('refuses a transcript selection that names a sync point its transcript does not define', () => {
    const xml = videoProject().replace(`toSyncPoint="${G.p2}"`, `toSyncPoint="${G.code}"`);
    expect(() => readProjectXml('projet.qdpx', xml)).toThrow(/point de synchronisation/);
  });
});

describe('the ATLAS.ti 8.4 sample’s audio and video sources', () => {
  noticeMissingSamples();

  it.skipIf(!haveSamples)(
    'reads its AudioSource and VideoSources, their transcripts and sync points, and imports the transcripts with their times',
    async () => {
      const xml = await readFile(join(SAMPLES_DIR, 'atlasti-8.4-mac_standard-project.qde'), 'utf8');
      const refi = readProjectXml('atlasti.qdpx', xml);
      expect(refi.mediaSources.map((s) => [s.kind, s.name, s.transcripts.length])).toEqual([
        ['AudioSource', "Jeanine's Breakfast.m4a", 0],
        ['VideoSource', '1960s Coca Cola commercial.mp4', 2],
        ['VideoSource', '1994 Diet Coke-Diet Coke Break.mp4', 1],
      ]);
      const dietCoke = refi.mediaSources[2];
      expect(dietCoke?.path).toBe('relative:///DAD05D08-38E7-4F58-BF6D-9AAE714F2F50.mp4');
      expect(dietCoke?.timeSelections).toBe(2);
      expect(dietCoke?.transcripts[0]?.syncPoints).toHaveLength(11);
      expect(dietCoke?.transcripts[0]?.syncPoints[1]).toMatchObject({ position: 20, timeStamp: 2260 });

      // The sample comes without its files: stand-ins for each one it names in the archive.
      const sources: Record<string, string> = {};
      for (const [, name] of xml.matchAll(/internal:\/\/([^"]+)/g))
        sources[name as string] = 'Texte de substitution pour l’essai, assez long.\n'.repeat(40);
      const plan = planProjectImport(refi, context(sources, { maxBytes: 1000 }));
      const documents = documentsOf(plan);
      // Six text sources and the three transcripts; ATLAS.ti also lists each transcript's .docx
      // as a text source of the same name, so the transcripts' documents are renamed « (2) ».
      expect(documents).toHaveLength(9);
      const transcript = documents.find((d) => d.id === 'ed105492-356d-4119-a1e2-716cf018afed');
      expect(transcript?.name).toBe('1994 Diet Coke-Diet Coke Break.docx (2)');
      expect(transcript?.syncPoints?.slice(0, 3)).toEqual([
        { position: 0, time: 0 },
        { position: 20, time: 2.26 },
        { position: 40, time: 3.1 },
      ]);
      expect(transcript?.syncPoints).toHaveLength(11);
      expect(transcript?.format).toBe('docx');
      expect(plan.recordings).toEqual([]);
      const warnings = plan.report.warnings.join('\n');
      expect(warnings).toMatch(/La source audio « Jeanine's Breakfast.m4a » n'a pas de transcription/);
      expect(warnings).toMatch(
        /L'enregistrement de « 1994 Diet Coke-Diet Coke Break.mp4 » est hors de l'archive/,
      );
    },
  );
});
