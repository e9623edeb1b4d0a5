/**
 * Real recordings, made in the test by Debian's espeak-ng (a French sentence) and sox (Ogg Vorbis
 * and FLAC): recognised by their bytes whatever their name, served back whole and by ranges, the
 * document saying their type and size. .ci/run installs both tools and stops when they are
 * missing, so in CI these tests never skip; on a machine without them they do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canSpeak, fetchRecording, spokenRecording, uploadRecording } from '../helpers/recordings.ts';
import { projectWithDocument, startWorld, type World } from './setup.ts';

let world: World;
let docPath: string;

beforeAll(async () => {
  world = await startWorld();
  const { base, docId } = await projectWithDocument(world.admin, 'Camille : on ressaisit tout à la main.');
  docPath = `${base}/documents/${docId}`;
}, 60_000);
afterAll(async () => {
  await world.server.stop();
});

describe('recordings spoken by espeak-ng', () => {
  for (const [format, type] of [
    ['ogg', 'audio/ogg'],
    ['flac', 'audio/flac'],
  ] as const) {
    it.skipIf(!canSpeak)(
      `recognises ${format} by its bytes, even named .txt, and serves it by ranges`,
      async () => {
        const { bytes, duration } = await spokenRecording(format);
        expect(duration).toBeGreaterThan(0.5);
        const sent = await uploadRecording(world.admin, docPath, bytes, `voix-${format}.txt`);
        expect(sent.status).toBe(201);
        expect(sent.body.media).toMatchObject({ type, size: bytes.length, name: `voix-${format}.txt` });
        const whole = await fetchRecording(world.admin, world.server.url, docPath);
        expect(whole.status).toBe(200);
        expect(whole.headers.get('content-type')).toBe(type);
        expect(whole.bytes).toEqual(bytes);
        const part = await fetchRecording(world.admin, world.server.url, docPath, 'bytes=-200');
        expect(part.status).toBe(206);
        expect(part.bytes).toEqual(bytes.subarray(bytes.length - 200));
      },
    );
  }
});
