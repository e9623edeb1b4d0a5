import { describe, expect, it } from 'vitest';
import { importFile } from '../../../server/import/index.ts';
import { parseSrt, parseVtt } from '../../../server/import/subtitles.ts';
import { expectRefusal, fixture, spanOf, turnText } from './fixtures.ts';

const vtt = (...lines: string[]): Uint8Array => new TextEncoder().encode(['WEBVTT', '', ...lines].join('\n'));

describe('importFile › WebVTT (.vtt)', () => {
  it('writes one paragraph per turn, « Speaker : text », skipping NOTE and STYLE blocks and cue settings', async () => {
    const { text, format } = await importFile('entretien.vtt', fixture('entretien.vtt'));
    expect(format).toBe('vtt');
    expect(text).toBe(
      [
        'Camille Martin : Bonjour, on commence ? Vous êtes prête ?',
        'Sofia Rossi : Oui 🎤, allons-y <script>alert(1)</script>',
        'Camille Martin : Parlez-moi du quartier.',
        '[musique]',
      ].join('\n\n'),
    );
  });

  it('joins consecutive cues of one voice into a turn timed at its first cue', async () => {
    const { text, turns } = await importFile('entretien.vtt', fixture('entretien.vtt'));
    expect(turns.map((t) => [t.speaker, t.time])).toEqual([
      ['Camille Martin', 1],
      ['Sofia Rossi', 6.2],
      ['Camille Martin', 62.25],
      ['', 3723.5],
    ]);
    expect(turnText(text, turns[0]!)).toBe('Camille Martin : Bonjour, on commence ? Vous êtes prête ?');
  });

  it('makes each turn span exactly its paragraph, in code points after an emoji', async () => {
    const { text, turns } = await importFile('entretien.vtt', fixture('entretien.vtt'));
    expect(turns[2]).toMatchObject(spanOf(text, 'Camille Martin : Parlez-moi du quartier.'));
    expect(turns[2]!.start).toBe(text.indexOf('Camille Martin : Parlez') - 1);
  });

  it('keeps a cue that names nobody as its own turn with speaker "", not joined to the next', async () => {
    const { turns } = await importFile(
      'x.vtt',
      vtt('00:01.000 --> 00:02.000', 'Un.', '', '00:03.000 --> 00:04.000', 'Deux.'),
    );
    expect(turns).toEqual([
      { start: 0, end: 3, speaker: '', time: 1 },
      { start: 5, end: 10, speaker: '', time: 3 },
    ]);
  });

  it('splits a cue in which two voices speak', async () => {
    const { text, turns } = await importFile(
      'x.vtt',
      vtt('00:00:10.000 --> 00:00:12.000', '<v Léa>Tu viens ?', '<v Hugo>Oui.'),
    );
    expect(text).toBe('Léa : Tu viens ?\n\nHugo : Oui.');
    expect(turns.map((t) => [t.speaker, t.time])).toEqual([
      ['Léa', 10],
      ['Hugo', 10],
    ]);
  });

  it('refuses a file that does not start with WEBVTT', async () => {
    await expectRefusal(
      importFile('faux.vtt', new TextEncoder().encode('00:01.000 --> 00:02.000\nSalut')),
      'unprocessable',
      'faux.vtt',
      /WEBVTT/,
    );
  });

  it('refuses a WebVTT file without any cue', async () => {
    await expectRefusal(importFile('muet.vtt', vtt('NOTE rien')), 'unprocessable', 'muet.vtt');
  });
});

describe('importFile › SubRip (.srt)', () => {
  it('reads CRLF cues, « NAME : » prefixes, and strips <i> but keeps <script> as literal text', async () => {
    const { text, turns, encoding } = await importFile('entretien.srt', fixture('entretien.srt'));
    expect(encoding).toBe('utf-8');
    expect(text).toBe(
      'ENQUÊTRICE : Vous êtes né où ?\n\nHugo Petit : À Brest. Rue <script>alert(1)</script>.',
    );
    expect(turns).toEqual([
      { start: 0, end: 30, speaker: 'ENQUÊTRICE', time: 1 },
      {
        ...spanOf(text, 'Hugo Petit : À Brest. Rue <script>alert(1)</script>.'),
        speaker: 'Hugo Petit',
        time: 3.5,
      },
    ]);
  });

  it('refuses a file with no SubRip timing', async () => {
    await expectRefusal(
      importFile('faux.srt', new TextEncoder().encode('Bonjour\n\nAu revoir')),
      'unprocessable',
      'faux.srt',
      /SubRip/,
    );
  });
});

describe('speaker prefixes inside a cue', () => {
  it('does not take a wrapped line of a <v> cue for a new speaker', () => {
    const cues = parseVtt(
      'a.vtt',
      'WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Inès Benali>On a joué au\nThéâtre des Lilas : trois dates.</v>\n',
    );
    expect(cues).toEqual([
      { start: 1, speaker: 'Inès Benali', text: 'On a joué au Théâtre des Lilas : trois dates.' },
    ]);
  });

  it('takes a Name: prefix on the first line of an .srt cue or after a dialogue dash, not on a wrapped line', () => {
    const cues = parseSrt(
      'a.srt',
      '1\n00:00:01,000 --> 00:00:04,000\nThierry Vasseur: on a joué avec\nLa Roulotte Bleue : trois dates.\n\n' +
        '2\n00:00:05,000 --> 00:00:08,000\n- Enquêtrice : Et ensuite ?\n- Thierry Vasseur : Rien.\n',
    );
    expect(cues).toEqual([
      { start: 1, speaker: 'Thierry Vasseur', text: 'on a joué avec La Roulotte Bleue : trois dates.' },
      { start: 5, speaker: 'Enquêtrice', text: 'Et ensuite ?' },
      { start: 5, speaker: 'Thierry Vasseur', text: 'Rien.' },
    ]);
  });
});
