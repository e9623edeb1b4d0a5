import { describe, expect, it } from 'vitest';
import { importFile } from '../../../server/import/index.ts';
import { expectRefusal, fixture, spanOf, turnText } from './fixtures.ts';

describe('importFile › plain text (.txt)', () => {
  it('decodes UTF-8 with a BOM, drops the BOM, turns CRLF into LF and composes e + U+0301 into é', async () => {
    const result = await importFile('entretien-utf8-bom.txt', fixture('entretien-utf8-bom.txt'));
    expect(result.format).toBe('txt');
    expect(result.encoding).toBe('utf-8-bom');
    expect(result.text.startsWith('Entretien n°4 — Lyon\n\nEnquêtrice')).toBe(true);
    expect(result.text).not.toMatch(/[\r\uFEFF]/);
    expect(result.text).toContain('J’ai commencé en 2019');
    expect(result.text).not.toContain('e\u0301');
  });

  it('places a phrase after two emoji at its code-point offset, two less than its UTF-16 offset', async () => {
    const { text } = await importFile('entretien-utf8-bom.txt', fixture('entretien-utf8-bom.txt'));
    const span = spanOf(text, 'J’ai commencé en 2019');
    expect(span.start).toBe(text.indexOf('J’ai commencé en 2019') - 2);
    expect(span.end - span.start).toBe(21);
  });

  it('finds timed turns, takes their timestamps out as sync points, and keeps the quoted « Il m’a dit : » inside Louis Bernard’s turn', async () => {
    const { text, turns, syncPoints } = await importFile(
      'entretien-utf8-bom.txt',
      fixture('entretien-utf8-bom.txt'),
    );
    expect(turns.map((t) => [t.speaker, t.time])).toEqual([
      ['Enquêtrice', 5],
      ['Louis Bernard', 9],
      ['Enquêtrice', 90],
    ]);
    expect(turnText(text, turns[1]!)).toBe(
      'Louis Bernard : Avec plaisir 😀. J’ai commencé en 2019 à l’atelier.\nIl m’a dit : « tu verras, c’est dur ».',
    );
    expect(text).not.toMatch(/\[\d\d:/);
    expect(syncPoints).toEqual([
      { position: spanOf(text, 'Enquêtrice : Bonjour').start, time: 5 },
      { position: spanOf(text, 'Louis Bernard :').start, time: 9 },
      { position: turns[2]!.start, time: 90 },
    ]);
    expect(turns[2]!.end).toBe(spanOf(text, 'Et aujourd’hui ?').end);
  });

  it('falls back to Windows-1252 when the bytes are not UTF-8, with ’ « » œ € intact', async () => {
    const { text, encoding, turns } = await importFile(
      'entretien-windows-1252.txt',
      fixture('entretien-windows-1252.txt'),
    );
    expect(encoding).toBe('windows-1252');
    expect(text).toBe(
      'Q : Combien coûtait le loyer ?\nR : À l’époque, 450 € par mois. « Trop cher », disait ma sœur.\nQ : Et maintenant ?\n',
    );
    expect(turns.map((t) => t.speaker)).toEqual(['Q', 'R', 'Q']);
    expect(turns[1]).toEqual({
      ...spanOf(text, 'R : À l’époque, 450 € par mois. « Trop cher », disait ma sœur.'),
      speaker: 'R',
    });
  });

  it.each([
    ['entretien-utf16le.txt', 'utf-16le'],
    ['entretien-utf16be.txt', 'utf-16be'],
  ])('decodes %s (BOM) as %s', async (name, encoding) => {
    const result = await importFile(name, fixture(name));
    expect(result.encoding).toBe(encoding);
    expect(result.text).toBe('Yasmine Haddad : On a déménagé à Roubaix 🏠.\nIntervieweur : Pourquoi ?\n');
    expect(result.turns).toEqual([
      { start: 0, end: 43, speaker: 'Yasmine Haddad' },
      { start: 44, end: 69, speaker: 'Intervieweur' },
    ]);
    expect(turnText(result.text, result.turns[0]!)).toBe('Yasmine Haddad : On a déménagé à Roubaix 🏠.');
  });

  it('reads plain UTF-8 without a BOM', async () => {
    const bytes = new TextEncoder().encode('Léa : Ça alors 🎉 !\r\nQ : Pourquoi ?');
    const result = await importFile('notes.TXT', bytes);
    expect(result.encoding).toBe('utf-8');
    expect(result.text).toBe('Léa : Ça alors 🎉 !\nQ : Pourquoi ?');
    expect(result.turns).toEqual([
      { start: 0, end: 18, speaker: 'Léa' },
      { start: 19, end: 33, speaker: 'Q' },
    ]);
  });

  it('keeps <script> as literal text', async () => {
    const result = await importFile('x.txt', new TextEncoder().encode('Q : <script>alert(1)</script>'));
    expect(result.text).toBe('Q : <script>alert(1)</script>');
  });

  it('keeps the uploaded bytes untouched as the original', async () => {
    const bytes = fixture('entretien-windows-1252.txt');
    const copy = bytes.slice();
    const result = await importFile('entretien-windows-1252.txt', bytes);
    expect(result.original).toEqual(copy);
  });

  it('refuses an empty file, naming it', async () => {
    await expectRefusal(importFile('vide.txt', fixture('vide.txt')), 'unprocessable', 'vide.txt', /vide/);
  });

  it('refuses a file of blank lines only', async () => {
    await expectRefusal(
      importFile('blanc.txt', new TextEncoder().encode(' \r\n\r\n\t')),
      'unprocessable',
      'blanc.txt',
    );
  });

  it('refuses a binary file (NUL bytes)', async () => {
    await expectRefusal(
      importFile('image.txt', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13])),
      'unprocessable',
      'image.txt',
    );
  });

  it('refuses a truncated UTF-16 file (odd number of bytes)', async () => {
    const bytes = fixture('entretien-utf16le.txt').subarray(0, 11);
    await expectRefusal(importFile('coupe.txt', bytes), 'unprocessable', 'coupe.txt', /tronqué/);
  });
});
