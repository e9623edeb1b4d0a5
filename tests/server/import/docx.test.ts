import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../server/import/index.ts';
import { expectRefusal, fixture, spanOf, turnText } from './fixtures.ts';

describe('importFile › Word (.docx)', () => {
  it('lays paragraphs, list items and table rows out one per line, cells separated by tabs', async () => {
    const { text, format, encoding } = await importFile('entretien.docx', fixture('entretien.docx'));
    expect(format).toBe('docx');
    expect(encoding).toBe('utf-8');
    expect(text).toBe(
      [
        'Entretien avec Louis Bernard',
        'Camille Martin : Vous travaillez où ?',
        'Louis Bernard : À l’usine 🏭 depuis 2019. J’écris <script>alert(1)</script> dans mes notes.',
        'Mes collègues :',
        '- les anciens',
        '- les intérimaires',
        'Horaire\tPoste',
        '6 h – 14 h\tMatin',
        'Camille Martin: Merci.',
      ].join('\n'),
    );
  });

  it('opens a turn at each bold label, whether the colon is inside or after the bold', async () => {
    const { text, turns } = await importFile('entretien.docx', fixture('entretien.docx'));
    expect(turns.map((t) => t.speaker)).toEqual(['Camille Martin', 'Louis Bernard', 'Camille Martin']);
    expect(turnText(text, turns[0]!)).toBe('Camille Martin : Vous travaillez où ?');
    expect(turnText(text, turns[1]!).endsWith('6 h – 14 h\tMatin')).toBe(true);
    expect(turns[2]).toEqual({ ...spanOf(text, 'Camille Martin: Merci.'), speaker: 'Camille Martin' });
  });

  it('does not take the bold title for a speaker', async () => {
    const { turns } = await importFile('entretien.docx', fixture('entretien.docx'));
    expect(turns[0]!.start).toBe(29);
  });

  it('counts offsets after the emoji in code points', async () => {
    const { text } = await importFile('entretien.docx', fixture('entretien.docx'));
    const span = spanOf(text, 'depuis 2019');
    expect(span.start).toBe(text.indexOf('depuis 2019') - 1);
  });

  it('refuses random bytes as a damaged file', async () => {
    await expectRefusal(
      importFile('corrompu.docx', fixture('corrompu.docx')),
      'unprocessable',
      'corrompu.docx',
      /endommagé/,
    );
  });

  it('refuses a truncated .docx', async () => {
    await expectRefusal(importFile('tronque.docx', fixture('tronque.docx')), 'unprocessable', 'tronque.docx');
  });

  it('refuses a zip that holds no Word document', async () => {
    const zip = zipSync({ 'photo.txt': strToU8('pas un document') });
    await expectRefusal(importFile('faux.docx', zip), 'unprocessable', 'faux.docx', /Word/);
  });

  it('refuses a .docx whose document.xml is not XML', async () => {
    const good = zipSync({
      '[Content_Types].xml': strToU8('<Types/>'),
      'word/document.xml': strToU8('<w:document><w:body><w:p>'),
    });
    await expectRefusal(importFile('casse.docx', good), 'unprocessable', 'casse.docx');
  });
});
