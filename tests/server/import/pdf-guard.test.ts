import { describe, expect, it } from 'vitest';
import { importFile } from '../../../server/import/index.ts';
import { extractPdf } from '../../../server/import/pdf.ts';
import { checkPdfStreams, DEFAULT_PDF_LIMITS, findPdfStreams } from '../../../server/import/pdf-guard.ts';
import { pdfBomb } from '../../helpers/hostile-pdfs.ts';
import { expectRefusal, fixture } from './fixtures.ts';

describe('checkPdfStreams › PDF decompression bombs', () => {
  it('reads the page of text of a bomb without its blank space (the bomb maker makes valid PDFs)', async () => {
    const pdf = await pdfBomb('Camille : on ressaisit tout', 0);
    const { text } = await importFile('petit.pdf', pdf);
    expect(text).toBe('Camille : on ressaisit tout');
  });

  it('finds each stream with the number of its FlateDecode filters', async () => {
    expect(findPdfStreams(await pdfBomb('Bonjour', 1)).map((s) => s.flateLayers)).toEqual([1]);
    expect(findPdfStreams(await pdfBomb('Bonjour', 1, 2)).map((s) => s.flateLayers)).toEqual([2]);
  });

  it('refuses a 300 Ko PDF whose page inflates to 300 Mo, naming it', async () => {
    const pdf = await pdfBomb('Camille : on ressaisit tout', 300);
    expect(pdf.length).toBeLessThan(400 * 1024);
    const error = await expectRefusal(importFile('bombe.pdf', pdf), 'unprocessable', 'bombe.pdf');
    expect(error.message).toMatch(/« bombe\.pdf » est refusé : il est anormalement compressé/);
  });

  it('refuses a stream compressed twice over (a ratio of a million)', async () => {
    const pdf = await pdfBomb('Bonjour', 50, 2);
    await expect(checkPdfStreams('double.pdf', pdf)).rejects.toMatchObject({
      code: 'unprocessable',
      message: expect.stringMatching(/anormalement compressé/),
    });
  });

  it('refuses what inflates past the total, whatever the ratio of each stream', async () => {
    const pdf = await pdfBomb('Bonjour', 3);
    const limits = { ...DEFAULT_PDF_LIMITS, maxTotalDecoded: 2 * 1024 * 1024, maxRatio: 1e9 };
    await expect(checkPdfStreams('gros.pdf', pdf, limits)).rejects.toMatchObject({
      message: expect.stringMatching(/dépasserait 2 Mo une fois décompressé/),
    });
    const wider = { ...limits, maxTotalDecoded: 4 * 1024 * 1024 };
    await expect(checkPdfStreams('gros.pdf', pdf, wider)).resolves.toBeUndefined();
  });
});

describe('extractPdf › page and time limits', () => {
  it('refuses a PDF with more pages than the limit', async () => {
    const limits = { ...DEFAULT_PDF_LIMITS, maxPages: 0 };
    await expect(extractPdf('entretien.pdf', fixture('entretien.pdf'), limits)).rejects.toMatchObject({
      code: 'unprocessable',
      message: expect.stringMatching(/« entretien\.pdf » est refusé : il a plus de 0 pages/),
    });
  });

  it('stops reading a PDF that takes longer than the limit', async () => {
    const limits = { ...DEFAULT_PDF_LIMITS, maxMilliseconds: -1 };
    await expect(extractPdf('entretien.pdf', fixture('entretien.pdf'), limits)).rejects.toMatchObject({
      code: 'unprocessable',
      message: expect.stringMatching(/sa lecture dépasse 0 s \(page 1 sur 1\)/),
    });
  });
});
