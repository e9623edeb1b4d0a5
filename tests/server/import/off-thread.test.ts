// @vitest-environment node
/**
 * Files are read on a worker thread: the same result as on the server's thread, a refusal that
 * keeps its code and message, and a worker that dies refuses only the file it was reading.
 */
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../server/import/index.ts';
import { ImportThread } from '../../../server/import/off-thread.ts';

const encode = (text: string) => new TextEncoder().encode(text);

describe('ImportThread', () => {
  it('gives what importFile gives, and refuses as it does', async () => {
    const thread = new ImportThread();
    try {
      const html = encode(
        '<p><b>Enquêtrice :</b> Bonjour.</p><p>(00:00:09) <b>Camille :</b> On ressaisit tout.</p>',
      );
      const here = await importFile('e.html', html, { maxBytes: 1e6 });
      const there = await thread.importFile('e.html', html, { maxBytes: 1e6 });
      expect(there).toEqual(here);
      await expect(thread.importFile('e.xyz', encode('x'), { maxBytes: 1e6 })).rejects.toMatchObject({
        name: 'DomainError',
        code: 'unsupported_media_type',
        message: expect.stringContaining('« e.xyz »'),
      });
      await expect(thread.importFile('vide.txt', encode('   '), { maxBytes: 1e6 })).rejects.toMatchObject({
        code: 'unprocessable',
      });
    } finally {
      await thread.close();
    }
  });

  it('refuses only the file a dying worker was reading: those waiting behind it are read by the next', async () => {
    const thread = new ImportThread();
    try {
      const big = encode(`<p>${'Camille : on ressaisit tout deux fois. '.repeat(200_000)}</p>`);
      const reading = thread.importFile('long.html', big, { maxBytes: 50e6 });
      const waiting = thread.importFile('court.txt', encode('Nadia : on ressaisit.'), { maxBytes: 1e6 });
      await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await expect(reading).rejects.toMatchObject({ code: 'unprocessable' });
      expect((await waiting).text).toBe('Nadia : on ressaisit.');
    } finally {
      await thread.close();
    }
  });

  it('refuses the file a dying worker was reading, and reads the next one', async () => {
    const thread = new ImportThread();
    try {
      const big = encode(`<p>${'Camille : on ressaisit tout deux fois. '.repeat(200_000)}</p>`);
      const reading = thread.importFile('long.html', big, { maxBytes: 50e6 });
      await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await expect(reading).rejects.toMatchObject({
        code: 'unprocessable',
        message: expect.stringContaining('« long.html »'),
      });
      const next = await thread.importFile('e.txt', encode('Camille : bonjour.'), { maxBytes: 1e6 });
      expect(next.text).toBe('Camille : bonjour.');
    } finally {
      await thread.close();
    }
  });
});
