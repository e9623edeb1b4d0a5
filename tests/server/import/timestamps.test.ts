import { Document, Packer, Paragraph, TextRun } from 'docx';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../server/import/index.ts';
import { spanOf } from './fixtures.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('importFile › transcription timestamps in text files', () => {
  it('takes f4/f5transkript paragraph-end stamps #hh:mm:ss-t# out, each timing the words after it', async () => {
    const { text, turns, syncPoints } = await importFile(
      'f4.txt',
      utf8(
        'I: Wie hat das angefangen? #00:00:04-2#\nB: Mit einer Anzeige 😀. #00:00:09-7#\nI: Und dann? #00:01:02-0#\n',
      ),
    );
    expect(text).toBe('I: Wie hat das angefangen?\nB: Mit einer Anzeige 😀.\nI: Und dann?\n');
    expect(syncPoints).toEqual([
      { position: spanOf(text, 'B: Mit').start, time: 4.2 },
      { position: spanOf(text, 'I: Und').start, time: 9.7 },
      { position: spanOf(text, 'I: Und dann?').end, time: 62 },
    ]);
    expect(turns.map((t) => [t.speaker, t.time])).toEqual([
      ['I', undefined],
      ['B', 4.2],
      ['I', 9.7],
    ]);
    expect(turns[1]).toMatchObject(spanOf(text, 'B: Mit einer Anzeige 😀.'));
  });

  it('takes [hh:mm:ss], [mm:ss] and (hh:mm:ss) at a line start out, timing that line’s words', async () => {
    const source = [
      'Entretien avec Lina, atelier (12:30) à Lille',
      '[00:00:03] Enquêtrice : On commence ?',
      '[01:15] Lina : Oui 🏠, allons-y.',
      '(00:02:40.5) Enquêtrice : Merci.',
    ].join('\n');
    const { text, turns, syncPoints } = await importFile('entretien.txt', utf8(source));
    expect(text).toBe(
      'Entretien avec Lina, atelier (12:30) à Lille\nEnquêtrice : On commence ?\nLina : Oui 🏠, allons-y.\nEnquêtrice : Merci.',
    );
    expect(syncPoints).toEqual([
      { position: spanOf(text, 'Enquêtrice : On').start, time: 3 },
      { position: spanOf(text, 'Lina : Oui').start, time: 75 },
      { position: spanOf(text, 'Enquêtrice : Merci.').start, time: 160.5 },
    ]);
    expect(turns).toEqual([
      { ...spanOf(text, 'Enquêtrice : On commence ?'), speaker: 'Enquêtrice', time: 3 },
      { ...spanOf(text, 'Lina : Oui 🏠, allons-y.'), speaker: 'Lina', time: 75 },
      { ...spanOf(text, 'Enquêtrice : Merci.'), speaker: 'Enquêtrice', time: 160.5 },
    ]);
  });

  it('takes a [hh:mm:ss] at a line end out as the time of the next words, and a lone stamp line too', async () => {
    const source = 'Q : Vous étiez où ? [00:00:07]\nR : À Roubaix.\n[00:00:20]\nQ : Et après ?';
    const { text, syncPoints, turns } = await importFile('fin.txt', utf8(source));
    expect(text).toBe('Q : Vous étiez où ?\nR : À Roubaix.\n\nQ : Et après ?');
    expect(syncPoints).toEqual([
      { position: spanOf(text, 'R : À').start, time: 7 },
      { position: spanOf(text, 'Q : Et').start, time: 20 },
    ]);
    expect(turns.map((t) => t.speaker)).toEqual(['Q', 'R', 'Q']);
    expect(turns[1]).toMatchObject({ ...spanOf(text, 'R : À Roubaix.'), time: 7 });
  });

  it('keeps a time written inside a speaker label (« Nom [00:12:34] : ») in the text, as a sync point', async () => {
    const { text, syncPoints } = await importFile('label.txt', utf8('Intro\nSam [00:12:34] : Salut.'));
    expect(text).toBe('Intro\nSam [00:12:34] : Salut.');
    expect(syncPoints).toEqual([{ position: 6, time: 754 }]);
  });

  it('drops a stamp that goes back in time, so sync points are ordered by position and by time', async () => {
    const { syncPoints } = await importFile(
      'desordre.txt',
      utf8('[00:00:10] A : un.\n[00:00:05] B : deux.\n[00:00:30] A : trois.'),
    );
    expect(syncPoints.map((p) => p.time)).toEqual([10, 30]);
  });

  it('recognises the stamps in a .docx, after and before bold speaker labels', async () => {
    const document = new Document({
      sections: [
        {
          children: [
            new Paragraph({ children: [new TextRun('Entretien 3')] }),
            new Paragraph({
              children: [
                new TextRun('[00:00:02] '),
                new TextRun({ text: 'Enquêteur :', bold: true }),
                new TextRun(' Bonjour.'),
              ],
            }),
            new Paragraph({
              children: [
                new TextRun({ text: 'Inès :', bold: true }),
                new TextRun(' Bonjour à vous. #00:00:06-5#'),
              ],
            }),
            new Paragraph({
              children: [new TextRun({ text: 'Enquêteur :', bold: true }), new TextRun(' Et ensuite ?')],
            }),
          ],
        },
      ],
    });
    const bytes = new Uint8Array(await Packer.toBuffer(document));
    const { text, turns, syncPoints } = await importFile('entretien.docx', bytes);
    expect(text).toBe('Entretien 3\nEnquêteur : Bonjour.\nInès : Bonjour à vous.\nEnquêteur : Et ensuite ?');
    expect(syncPoints).toEqual([
      { position: spanOf(text, 'Enquêteur : Bonjour').start, time: 2 },
      { position: spanOf(text, 'Enquêteur : Et').start, time: 6.5 },
    ]);
    expect(turns).toEqual([
      { ...spanOf(text, 'Enquêteur : Bonjour.'), speaker: 'Enquêteur', time: 2 },
      { ...spanOf(text, 'Inès : Bonjour à vous.'), speaker: 'Inès' },
      { ...spanOf(text, 'Enquêteur : Et ensuite ?'), speaker: 'Enquêteur', time: 6.5 },
    ]);
  });

  it('recognises the stamps in an .odt', async () => {
    const content =
      '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>' +
      '<text:p>(00:00:01) Q : Ça tourne ?</text:p><text:p>[00:00:04] R : Oui, ça tourne.</text:p>' +
      '</office:text></office:body></office:document-content>';
    const bytes = zipSync({
      mimetype: strToU8('application/vnd.oasis.opendocument.text'),
      'content.xml': strToU8(content),
    });
    const { text, turns, syncPoints } = await importFile('entretien.odt', bytes);
    expect(text).toBe('Q : Ça tourne ?\nR : Oui, ça tourne.');
    expect(syncPoints).toEqual([
      { position: 0, time: 1 },
      { position: spanOf(text, 'R : Oui').start, time: 4 },
    ]);
    expect(turns.map((t) => [t.speaker, t.time])).toEqual([
      ['Q', 1],
      ['R', 4],
    ]);
  });
});

describe('importFile › subtitle cues as sync points', () => {
  it('gives every cue of a merged .vtt turn a sync point at the start of its words', async () => {
    const vtt = [
      'WEBVTT',
      '',
      '00:00:01.000 --> 00:00:03.000',
      '<v Enquêtrice>Bonjour.',
      '',
      '00:00:03.500 --> 00:00:06.000',
      '<v Enquêtrice>Vous allez bien ?',
      '',
      '00:00:06.250 --> 00:00:09.000',
      '<v Karim>Très bien 😀.',
      '',
      '00:00:09.000 --> 00:00:12.000',
      '<v Karim>Merci.',
    ].join('\n');
    const { text, turns, syncPoints } = await importFile('jazz.vtt', utf8(vtt));
    expect(text).toBe('Enquêtrice : Bonjour. Vous allez bien ?\n\nKarim : Très bien 😀. Merci.');
    expect(syncPoints).toEqual([
      { position: spanOf(text, 'Bonjour.').start, time: 1 },
      { position: spanOf(text, 'Vous allez').start, time: 3.5 },
      { position: spanOf(text, 'Très bien').start, time: 6.25 },
      { position: spanOf(text, 'Merci.').start, time: 9 },
    ]);
    expect(turns.map((t) => t.time)).toEqual([1, 6.25]);
  });

  it('does the same for .srt cues named by a « NOM : » prefix', async () => {
    const srt = [
      '1',
      '00:00:02,000 --> 00:00:05,000',
      'MARC : On y va.',
      '',
      '2',
      '00:00:05,400 --> 00:00:08,000',
      'MARC : Deuxième phrase.',
      '',
      '3',
      '00:00:08,000 --> 00:00:10,000',
      'Sans nom.',
    ].join('\n');
    const { text, syncPoints } = await importFile('billetterie.srt', utf8(srt));
    expect(text).toBe('MARC : On y va. Deuxième phrase.\n\nSans nom.');
    expect(syncPoints).toEqual([
      { position: spanOf(text, 'On y va.').start, time: 2 },
      { position: spanOf(text, 'Deuxième').start, time: 5.4 },
      { position: spanOf(text, 'Sans nom.').start, time: 8 },
    ]);
  });
});
