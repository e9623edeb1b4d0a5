import { describe, expect, it } from 'vitest';
import { csvFileName } from '../../client/features/review/csv.ts';
import { csvCell, toCsv } from '../../shared/table-csv.ts';

describe('csvCell', () => {
  it('writes numbers with a decimal comma and no grouping, for French spreadsheets', () => {
    expect(csvCell(12.5)).toBe('12,5');
    expect(csvCell(1234567)).toBe('1234567');
    expect(csvCell(-0.25)).toBe('-0,25');
  });

  it('leaves empty and non-finite values empty', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(Number.POSITIVE_INFINITY)).toBe('');
  });

  it('prefixes text that a spreadsheet would run as a formula with an apostrophe', () => {
    expect(csvCell('=SOMME(A1:A9)')).toBe("'=SOMME(A1:A9)");
    expect(csvCell('+33 6 12')).toBe("'+33 6 12");
    expect(csvCell('-- fin')).toBe("'-- fin");
    expect(csvCell('@moi')).toBe("'@moi");
    expect(csvCell('\tindenté')).toBe("'\tindenté");
    expect(csvCell('Coûts = prix')).toBe('Coûts = prix');
  });

  it('does not neutralise negative numbers, which are numbers, not formulas', () => {
    expect(csvCell(-0.12)).toBe('-0,12');
  });

  it('quotes cells holding a semicolon, a quote or a line break, doubling the quotes', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('il a dit « oui » puis "non"')).toBe('"il a dit « oui » puis ""non"""');
    expect(csvCell('ligne 1\nligne 2')).toBe('"ligne 1\nligne 2"');
    expect(csvCell('=1;2')).toBe(`"'=1;2"`);
  });

  it('keeps commas as they are: the separator is the semicolon', () => {
    expect(csvCell('Théâtre, festival')).toBe('Théâtre, festival');
  });
});

describe('toCsv', () => {
  it('starts with the byte-order mark, separates cells by semicolons and ends lines with CRLF', () => {
    expect(
      toCsv([
        ['Code', 'Codages', 'Couverture (%)'],
        ['Coûts', 3, 4.06],
      ]),
    ).toBe('\uFEFFCode;Codages;Couverture (%)\r\nCoûts;3;4,06\r\n');
  });

  it('encodes to UTF-8 with the three BOM bytes first', () => {
    const bytes = new TextEncoder().encode(toCsv([['é']]));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('gives an empty table as the BOM alone', () => {
    expect(toCsv([])).toBe('\uFEFF');
  });
});

describe('csvFileName', () => {
  it('turns a French title into a plain file name', () => {
    expect(csvFileName('Fréquences des codes')).toBe('frequences-des-codes.csv');
    expect(csvFileName('Accord par code entre Camille, Basile')).toBe(
      'accord-par-code-entre-camille-basile.csv',
    );
    expect(csvFileName('« »')).toBe('tableau.csv');
  });
});
