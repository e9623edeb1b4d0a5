import { describe, expect, it } from 'vitest';
import { importFile } from '../../../server/import/index.ts';
import { expectRefusal, fixture, spanOf } from './fixtures.ts';

describe('importFile › PDF (.pdf)', () => {
  it('reads the text layer line by line, with WinAnsi accents, quotes and guillemets', async () => {
    const { text, format, encoding } = await importFile('entretien.pdf', fixture('entretien.pdf'));
    expect(format).toBe('pdf');
    expect(encoding).toBe('pdf');
    expect(text).toBe(
      'Entretien du 3 mars\nEnquêtrice : Vous habitez à Lille ?\nNadia Roux : Oui, depuis l’été. « C’est chez moi ».',
    );
  });

  it('detects the speaker turns of the text layer', async () => {
    const { text, turns } = await importFile('entretien.pdf', fixture('entretien.pdf'));
    expect(turns).toEqual([
      { ...spanOf(text, 'Enquêtrice : Vous habitez à Lille ?'), speaker: 'Enquêtrice' },
      { ...spanOf(text, 'Nadia Roux : Oui, depuis l’été. « C’est chez moi ».'), speaker: 'Nadia Roux' },
    ]);
  });

  it('leaves the caller’s bytes usable (pdf.js detaches the buffer it reads)', async () => {
    const bytes = fixture('entretien.pdf');
    const result = await importFile('entretien.pdf', bytes);
    expect(result.original.length).toBe(bytes.length);
    expect(new TextDecoder().decode(result.original.subarray(0, 8))).toBe('%PDF-1.4');
  });

  it('refuses a PDF without a text layer, saying it may be a scan', async () => {
    const error = await expectRefusal(
      importFile('scan.pdf', fixture('scan.pdf')),
      'unprocessable',
      'scan.pdf',
    );
    expect(error.message).toContain('ce PDF ne contient pas de texte (document scanné ?)');
  });

  it('refuses a password-protected PDF', async () => {
    await expectRefusal(
      importFile('protege.pdf', fixture('protege.pdf')),
      'unprocessable',
      'protege.pdf',
      /mot de passe/,
    );
  });

  it('refuses a truncated PDF', async () => {
    await expectRefusal(
      importFile('corrompu.pdf', fixture('corrompu.pdf')),
      'unprocessable',
      'corrompu.pdf',
      /endommagé/,
    );
  });

  it('refuses random bytes named .pdf', async () => {
    await expectRefusal(importFile('bruit.pdf', fixture('corrompu.docx')), 'unprocessable', 'bruit.pdf');
  });
});
