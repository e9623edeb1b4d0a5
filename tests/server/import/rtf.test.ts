import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../server/import/index.ts';
import { expectRefusal, spanOf } from './fixtures.ts';

/** RTF is 7-bit by design, but Windows software writes it in its code page: bytes as Windows-1252. */
const rtf = (source: string): Uint8Array => new Uint8Array(iconv.encode(source, 'windows-1252'));

const HEADER =
  '{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}{\\f1 Times New Roman;}}' +
  '{\\colortbl;\\red0\\green0\\blue0;}{\\*\\generator Transcripteur 3.2;}' +
  '{\\info{\\author Agence Verbatim}{\\title Entretien}}\\viewkind4\\uc1\\pard\\f0\\fs22 ';

describe('importFile › RTF (.rtf)', () => {
  it("reads paragraphs, \\'xx Windows-1252 escapes and \\uN characters, skipping tables, info and \\* groups", async () => {
    const source =
      HEADER +
      "Entretien n\\'b02 \\emdash  Th\\'e9\\'e2tre\\par\n" +
      "{\\b Enqu\\'eatrice :} Bonjour, \\'ab\\~c\\rquote est parti\\~\\'bb ?\\par\n" +
      '{\\b Zo\\u235?\\u-10179?\\u-8704? :} Oui \\{vraiment\\} \\\\ 100\\~\\u8364?.\\par\n' +
      '{\\*\\comment note cachée}{\\pict\\pngblip 89504e47}Fin.}';
    const { text, turns, format, encoding } = await importFile('entretien.rtf', rtf(source));
    expect(format).toBe('rtf');
    expect(encoding).toBe('windows-1252');
    expect(text).toBe(
      'Entretien n°2 — Théâtre\nEnquêtrice : Bonjour, «\u00a0c’est parti\u00a0» ?\nZoë😀 : Oui {vraiment} \\ 100\u00a0€.\nFin.',
    );
    expect(turns).toEqual([
      { ...spanOf(text, 'Enquêtrice : Bonjour, «\u00a0c’est parti\u00a0» ?'), speaker: 'Enquêtrice' },
      { ...spanOf(text, 'Zoë😀 : Oui {vraiment} \\ 100\u00a0€.\nFin.'), speaker: 'Zoë😀' },
    ]);
  });

  it('takes a transcription service’s [hh:mm:ss] stamps out as sync points', async () => {
    const source =
      HEADER + '[00:00:04] {\\b Q :} \\u199?a commence.\\par\n[00:01:10] {\\b R :} D\\u8217?accord.\\par}';
    const { text, syncPoints, turns } = await importFile('minute.rtf', rtf(source));
    expect(text).toBe('Q : Ça commence.\nR : D’accord.');
    expect(syncPoints).toEqual([
      { position: 0, time: 4 },
      { position: spanOf(text, 'R : D’accord.').start, time: 70 },
    ]);
    expect(turns.map((t) => [t.speaker, t.time])).toEqual([
      ['Q', 4],
      ['R', 70],
    ]);
  });

  it('reads table rows as lines with tab-separated cells, and skips \\bin data', async () => {
    const source =
      HEADER +
      '\\trowd A1\\cell B1\\cell\\row\\trowd A2\\cell B2\\cell\\row {\\*\\blob \\bin3 }}}}Suite.\\par}';
    const { text } = await importFile('tableau.rtf', rtf(source));
    expect(text).toBe('A1\tB1\nA2\tB2\nSuite.');
  });

  it('refuses a file that is not RTF', async () => {
    await expectRefusal(
      importFile('faux.rtf', rtf('Bonjour, ceci est du texte.')),
      'unprocessable',
      'faux.rtf',
      /RTF/,
    );
  });
});
