import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../server/import/index.ts';
import { expectRefusal, fixture, spanOf, turnText } from './fixtures.ts';

const odt = (content: string, mimetype = 'application/vnd.oasis.opendocument.text'): Uint8Array =>
  zipSync({ mimetype: strToU8(mimetype), 'content.xml': strToU8(content) });

describe('importFile › OpenDocument (.odt)', () => {
  it('keeps text:s as spaces, text:tab as a tab and text:line-break as a newline', async () => {
    const { text, format } = await importFile('entretien.odt', fixture('entretien.odt'));
    expect(format).toBe('odt');
    expect(text).toContain('En 1998   je crois.\tAvant,\nj’habitais à Oran 🌊.');
  });

  it('lays headings, paragraphs, list items and table rows out one per line, leaving annotations out', async () => {
    const { text } = await importFile('entretien.odt', fixture('entretien.odt'));
    expect(text.split('\n')).toEqual([
      'Entretien à Marseille',
      'Enquêteur : Vous êtes arrivée quand ?',
      'Inès Lefèvre : En 1998   je crois.\tAvant,',
      'j’habitais à Oran 🌊. <script>alert(1)</script> écrit',
      '- le quartier',
      '- l’école',
      'Année\tVille',
      '1998\tMarseille',
      'Q : Merci.',
    ]);
  });

  it('decodes escaped markup and character references into literal text', async () => {
    const { text } = await importFile('entretien.odt', fixture('entretien.odt'));
    expect(text).toContain('<script>alert(1)</script> écrit');
  });

  it('opens turns at bold labels and at plain « Q : » labels', async () => {
    const { text, turns } = await importFile('entretien.odt', fixture('entretien.odt'));
    expect(turns.map((t) => t.speaker)).toEqual(['Enquêteur', 'Inès Lefèvre', 'Q']);
    expect(turnText(text, turns[0]!)).toBe('Enquêteur : Vous êtes arrivée quand ?');
    expect(turns[2]).toEqual({ ...spanOf(text, 'Q : Merci.'), speaker: 'Q' });
  });

  it('counts a phrase after an emoji in code points', async () => {
    const { text } = await importFile('entretien.odt', fixture('entretien.odt'));
    expect(spanOf(text, '- le quartier').start).toBe(text.indexOf('- le quartier') - 1);
  });

  it('refuses content.xml with a DOCTYPE (entity expansion)', async () => {
    await expectRefusal(
      importFile('doctype.odt', fixture('doctype.odt')),
      'unprocessable',
      'doctype.odt',
      /DOCTYPE/,
    );
  });

  it('refuses malformed XML', async () => {
    const bytes = odt('<office:document-content><office:body><office:text><text:p>coupé');
    await expectRefusal(importFile('casse.odt', bytes), 'unprocessable', 'casse.odt', /XML/);
  });

  it('refuses another OpenDocument kind (a spreadsheet renamed .odt)', async () => {
    const bytes = odt('<office:document-content/>', 'application/vnd.oasis.opendocument.spreadsheet');
    await expectRefusal(importFile('tableur.odt', bytes), 'unprocessable', 'tableur.odt', /OpenDocument/);
  });

  it('refuses random bytes', async () => {
    await expectRefusal(
      importFile('corrompu.odt', fixture('corrompu.docx')),
      'unprocessable',
      'corrompu.odt',
    );
  });
});
