import { describe, expect, it } from 'vitest';
import { CodePointIndex } from '../../shared/offsets.ts';
import {
  DEFAULT_INTERVIEWER_LABELS,
  detectTurns,
  isInterviewer,
  parseSpeakerLine,
  parseTimestamp,
  turnsFromStarts,
} from '../../shared/turns.ts';

const speakerOf = (line: string): string | undefined => parseSpeakerLine(line)?.speaker;

describe('parseSpeakerLine', () => {
  it.each([
    ['Camille Martin : Bonjour.', 'Camille Martin'],
    ['Camille Martin: Bonjour.', 'Camille Martin'],
    ['Camille Martin\u00a0: Bonjour.', 'Camille Martin'],
    ['Camille Martin\u202f: Bonjour.', 'Camille Martin'],
    ['NOM: oui', 'NOM'],
    ['CAMILLE MARTIN : oui', 'CAMILLE MARTIN'],
    ['Q : Vous habitez où ?', 'Q'],
    ['R : À Lille.', 'R'],
    ['Enquêtrice : Et ensuite ?', 'Enquêtrice'],
    ['Enquêteur·rice : Et ensuite ?', 'Enquêteur·rice'],
    ['Jean-Pierre Dupont-Moreau : Oui.', 'Jean-Pierre Dupont-Moreau'],
    ['Valéry Giscard d’Estaing : Au revoir.', 'Valéry Giscard d’Estaing'],
    ['Charles de Gaulle : Je vous ai compris.', 'Charles de Gaulle'],
    ['M. Dupont : Voilà.', 'M. Dupont'],
    ['Mme Durand : Voilà.', 'Mme Durand'],
    ['Participant 3 : Je ne sais pas.', 'Participant 3'],
    ['P2 : Je ne sais pas.', 'P2'],
    ['Personne interrogée : Oui.', 'Personne interrogée'],
    ['**Camille Martin :** Bonjour.', 'Camille Martin'],
    ['**Camille Martin** : Bonjour.', 'Camille Martin'],
    ['**Camille Martin**: Bonjour.', 'Camille Martin'],
    ['__Louis__ : Bonjour.', 'Louis'],
    ['[Camille] Bonjour.', 'Camille'],
    ['[Camille Martin] : Bonjour.', 'Camille Martin'],
    ['Camille Martin :', 'Camille Martin'],
  ])('reads « %s » as spoken by %s', (line, speaker) => {
    expect(speakerOf(line)).toBe(speaker);
  });

  it.each([
    'Il m’a dit : « tu verras ».',
    "Il m'a dit : « tu verras ».",
    'Ma mère : elle travaillait à l’usine.',
    'Alors là, franchement : non.',
    'Le problème c’est : le loyer.',
    'Voici ce qu’il a répondu :',
    'Bref : on est partis.',
    'Date : 12 mars 2024',
    'Lieu : Lyon',
    'Moi : je pense que oui.',
    'Remarque : inaudible.',
    'Il était 12:30 : on est partis.',
    'Voir https://exemple.fr pour la suite.',
    'Une très très longue phrase qui commence par une Majuscule : non.',
    'Oui. Alors : on y va.',
    '[rires] oui.',
    '[Rires] oui.',
    '[inaudible] bon.',
    '**Important** il faut le dire.',
    '**Attention :** fragile.',
    'les enfants : trois.',
    '',
    '12:30 : pause déjeuner.',
  ])('does not take « %s » for a speaker', (line) => {
    expect(parseSpeakerLine(line)).toBeUndefined();
  });

  it('reads a leading timestamp in brackets, parentheses or bare', () => {
    expect(parseSpeakerLine('[00:12:34] Camille : oui')).toMatchObject({ speaker: 'Camille', time: 754 });
    expect(parseSpeakerLine('(12:34) Camille : oui')).toMatchObject({ speaker: 'Camille', time: 754 });
    expect(parseSpeakerLine('00:12:34 Camille : oui')).toMatchObject({ speaker: 'Camille', time: 754 });
    expect(parseSpeakerLine('[01:02:03.5] - Q : oui')).toMatchObject({ speaker: 'Q', time: 3723.5 });
  });

  it('reads a timestamp written after the name', () => {
    expect(parseSpeakerLine('Camille Martin [00:01:05] : oui')).toMatchObject({
      speaker: 'Camille Martin',
      time: 65,
    });
    expect(parseSpeakerLine('Camille Martin (01:05) : oui')).toMatchObject({
      speaker: 'Camille Martin',
      time: 65,
    });
  });

  it('gives the speaker "" to a line that starts with a bracketed timestamp and names nobody', () => {
    expect(parseSpeakerLine('[00:00:10] Bonjour à tous.')).toEqual({
      speaker: '',
      time: 10,
      contentStart: 11,
    });
  });

  it('says where the speech begins after the label', () => {
    const line = '[00:01:02] Enquêtrice : Bonjour';
    const found = parseSpeakerLine(line);
    expect(found?.contentStart).toBe(line.indexOf('Bonjour'));
  });
});

describe('parseTimestamp', () => {
  it('reads mm:ss, hh:mm:ss and fractions with a dot or a comma', () => {
    expect(parseTimestamp('12:34')).toBe(754);
    expect(parseTimestamp('01:00:00')).toBe(3600);
    expect(parseTimestamp('00:00:01.250')).toBe(1.25);
    expect(parseTimestamp('00:00:01,5')).toBe(1.5);
  });
});

describe('detectTurns', () => {
  it('opens a turn at each speaker line and runs it to the next, without the trailing newlines', () => {
    const text = 'Q : Ça va ?\n\nR : Oui.\nEt vous ?\n\n';
    expect(detectTurns(text)).toEqual([
      { start: 0, end: 11, speaker: 'Q' },
      { start: 13, end: 31, speaker: 'R' },
    ]);
  });

  it('leaves the text before the first speaker out of every turn', () => {
    const text = 'Entretien n°2, Lyon\n\nEnquêtrice : Bonjour.';
    const turns = detectTurns(text);
    expect(turns).toHaveLength(1);
    expect(turns[0]?.start).toBe(text.indexOf('Enquêtrice'));
  });

  it('keeps a sentence with a colon inside the current turn', () => {
    const text = 'Louis : Mon père,\nIl m’a dit : « vas-y ».\nQ : Et alors ?';
    expect(detectTurns(text).map((t) => t.speaker)).toEqual(['Louis', 'Q']);
  });

  it('counts offsets in code points, so an emoji before a turn shifts it by one', () => {
    const text = 'Q : Ça va 😀 ?\nR : Oui 👍.\nQ : Bien.';
    const turns = detectTurns(text);
    const index = new CodePointIndex(text);
    expect(turns.map((t) => index.slice(t.start, t.end))).toEqual([
      'Q : Ça va 😀 ?',
      'R : Oui 👍.',
      'Q : Bien.',
    ]);
    expect(turns[1]?.start).toBe(14);
    expect(turns[2]?.start).toBe(25);
    expect(turns[2]?.end).toBe(index.length);
  });

  it('gives each turn the time of its leading timestamp', () => {
    const text = '[00:00:05] Enquêtrice : Bonjour.\n[00:01:30] Louis Bernard : Bonjour.';
    expect(detectTurns(text).map((t) => [t.speaker, t.time])).toEqual([
      ['Enquêtrice', 5],
      ['Louis Bernard', 90],
    ]);
  });

  it('finds no turn in a text without speakers', () => {
    expect(detectTurns('Il m’a dit : non.\nPuis : rien.')).toEqual([]);
    expect(detectTurns('')).toEqual([]);
  });
});

describe('turnsFromStarts', () => {
  it('drops a turn left empty once trailing whitespace is trimmed', () => {
    expect(
      turnsFromStarts('A : x\n  \nB : y', [
        { start: 0, speaker: 'A' },
        { start: 6, speaker: '' },
        { start: 9, speaker: 'B' },
      ]),
    ).toEqual([
      { start: 0, end: 5, speaker: 'A' },
      { start: 9, end: 14, speaker: 'B' },
    ]);
  });
});

describe('isInterviewer', () => {
  it.each([
    'Enquêtrice',
    'enquetrice',
    'ENQUÊTEUR',
    'Q',
    'q',
    'Question',
    'Modératrice',
    'Enquêtrice 2',
    'Q1',
    'Chercheur B',
  ])('recognises « %s » as the interviewer', (speaker) => {
    expect(isInterviewer(speaker, DEFAULT_INTERVIEWER_LABELS)).toBe(true);
  });

  it.each(['R', 'Camille Martin', 'Quentin', 'Enquêtée', 'Questionnaire'])(
    'does not take « %s » for the interviewer',
    (speaker) => {
      expect(isInterviewer(speaker, DEFAULT_INTERVIEWER_LABELS)).toBe(false);
    },
  );

  it('uses the labels it is given', () => {
    expect(isInterviewer('Camille Martin', ['camille martin'])).toBe(true);
    expect(isInterviewer('Enquêtrice', ['Camille Martin'])).toBe(false);
  });
});
