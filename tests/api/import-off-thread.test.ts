/**
 * A large transcript is read off the server's thread: while a 6 Mo HTML file is imported (seconds
 * of parsing), the server keeps answering others. Before, every other request waited for the whole
 * import. What is compared is the slowest other answer against the import's own duration, measured
 * in the same run, so a slower machine slows both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, type World } from './setup.ts';

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 60_000);
afterAll(async () => {
  await world.server.stop();
});

/** An HTML transcript of about `megabytes` Mo: turns with a speaker in bold and a timestamp. */
function bigHtml(megabytes: number): Uint8Array {
  const parts = ['<html><body>'];
  let size = 0;
  for (let i = 0; size < megabytes * 1024 * 1024; i++) {
    const turn = `<p>(00:${String(i % 60).padStart(2, '0')}:00) <b>${i % 2 ? 'Enquêtrice' : 'Camille'} :</b> On ressaisit tout deux fois dans le logiciel de billetterie, puis dans le tableur.</p>\n`;
    parts.push(turn);
    size += turn.length;
  }
  parts.push('</body></html>');
  return new TextEncoder().encode(parts.join(''));
}

describe('importing a large file', () => {
  it('leaves the server answering others meanwhile', async () => {
    const project = await world.admin.post('/api/projects', { name: 'Gros fichier' });
    const form = new FormData();
    form.append('file', new Blob([bigHtml(6) as BlobPart]), 'long.html');
    const started = performance.now();
    let done = false;
    const upload = world.admin
      .request('POST', `/api/projects/${project.body.id}/documents`, form)
      .then((res) => {
        done = true;
        return res;
      });
    const waits: number[] = [];
    while (!done) {
      const t0 = performance.now();
      expect((await world.admin.get('/api/auth/status')).status).toBe(200);
      waits.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    const res = await upload;
    const importMs = performance.now() - started;
    expect(res.status).toBe(201);
    expect(res.body.documents[0].name).toBe('long.html');
    expect(importMs).toBeGreaterThan(1000);
    expect(waits.length).toBeGreaterThan(5);
    expect(Math.max(...waits)).toBeLessThan(importMs / 3);
  }, 120_000);
});
