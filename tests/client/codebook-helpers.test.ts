/**
 * The codebook's pure helpers: the tree flattened and filtered without regard to accents, the
 * keyboard moves, what a deletion carries, the four-part description, pins and recent codes, the
 * picker's order, and the layout of the margin bars.
 */
import { describe, expect, it } from 'vitest';
import type { CodeId, UserId } from '../../shared/ids.ts';
import {
  canMoveUnder,
  filterTree,
  flattenCodebook,
  keyboardMoveTarget,
  rolledUpCounts,
  subtreeCount,
  type CodeWithCount,
} from '../../client/features/codebook/code-tree.ts';
import { formatDescription, parseDescription } from '../../client/features/codebook/code-description.ts';
import { MAX_PINS, pushRecent, togglePin } from '../../client/features/coding/code-prefs.ts';
import { pickerOrder } from '../../client/features/coding/picker-order.ts';
import { blockStripes, cutPieces } from '../../client/features/coding/layout.ts';

function code(id: string, name: string, parentId: string | null, codings = 0): CodeWithCount {
  return {
    id: id as CodeId,
    name,
    parentId: parentId as CodeId | null,
    color: '#1f6fb2',
    description: '',
    createdAt: '2026-04-01T10:00:00.000Z',
    createdBy: 'u' as UserId,
    version: 1,
    codings,
  };
}

const CODES = [
  code('vie', 'Conditions de vie', null, 1),
  code('sante', 'Santé', 'vie', 4),
  code('logement', 'Logement', 'vie', 2),
  code('ecole', 'École', null, 3),
  code('cantine', 'Cantine', 'ecole', 5),
];
const FLAT = flattenCodebook(CODES);

describe('flattenCodebook', () => {
  it('orders the tree by French collation, children under their parent, with depth and path', () => {
    expect(FLAT.map((f) => [f.code.name, f.depth])).toEqual([
      ['Conditions de vie', 0],
      ['Logement', 1],
      ['Santé', 1],
      ['École', 0],
      ['Cantine', 1],
    ]);
    expect(FLAT[2]?.path).toBe('Conditions de vie › Santé');
    expect(FLAT[0]?.hasChildren).toBe(true);
  });
});

describe('filterTree', () => {
  it('finds « Santé » from « sante » and keeps its parent', () => {
    const { items, matches } = filterTree(FLAT, 'SANTE');
    expect(items.map((f) => f.code.name)).toEqual(['Conditions de vie', 'Santé']);
    expect([...matches]).toEqual(['sante']);
  });

  it('matches a parent without its children, and gives the whole tree for an empty filter', () => {
    expect(filterTree(FLAT, 'ecole').items.map((f) => f.code.name)).toEqual(['École']);
    expect(filterTree(FLAT, '  ').items).toHaveLength(5);
  });
});

describe('keyboard moves and their limits', () => {
  it('indents a code under the sibling above it, and outdents it next to its parent', () => {
    expect(keyboardMoveTarget(FLAT, 'ecole', 'indent')).toEqual({ parentId: 'vie' });
    expect(keyboardMoveTarget(FLAT, 'sante', 'indent')).toEqual({ parentId: 'logement' });
    expect(keyboardMoveTarget(FLAT, 'sante', 'outdent')).toEqual({ parentId: null });
  });

  it('cannot indent the first child or outdent a top-level code', () => {
    expect(keyboardMoveTarget(FLAT, 'logement', 'indent')).toBeUndefined();
    expect(keyboardMoveTarget(FLAT, 'vie', 'outdent')).toBeUndefined();
    expect(keyboardMoveTarget(FLAT, 'vie', 'indent')).toBeUndefined();
  });

  it('never puts a code under itself or its descendants', () => {
    expect(canMoveUnder(CODES, 'vie', 'sante')).toBe(false);
    expect(canMoveUnder(CODES, 'vie', 'vie')).toBe(false);
    expect(canMoveUnder(CODES, 'sante', 'ecole')).toBe(true);
    expect(canMoveUnder(CODES, 'sante', null)).toBe(true);
  });

  it('counts what a deletion takes: the code, its sub-codes and all their codings', () => {
    expect(subtreeCount(CODES, 'vie')).toEqual({ codes: 3, codings: 7 });
    expect(subtreeCount(CODES, 'cantine')).toEqual({ codes: 1, codings: 5 });
  });

  it('rolls every code up at once: a parent counts its own codings and its sub-codes’', () => {
    const totals = rolledUpCounts([
      ...CODES,
      code('menu', 'Menus', 'cantine', 2),
      code('vide', 'Vide', null),
    ]);
    expect(Object.fromEntries(totals)).toEqual({
      vie: 7,
      sante: 4,
      logement: 2,
      ecole: 10,
      cantine: 7,
      menu: 2,
      vide: 0,
    });
  });
});

describe('code descriptions', () => {
  it('writes the four parts under headings and reads them back', () => {
    const parts = {
      definition: 'Les logiciels de vente.',
      whenToUse: 'Quand on parle de vente.',
      whenNotToUse: 'Pour la paie.',
      example: '« la billetterie ne parle à personne »',
    };
    const text = formatDescription(parts);
    expect(text).toBe(
      'Définition : Les logiciels de vente.\nQuand l’utiliser : Quand on parle de vente.\nQuand ne pas l’utiliser : Pour la paie.\nExemple : « la billetterie ne parle à personne »',
    );
    expect(parseDescription(text)).toEqual(parts);
  });

  it('reads a free description (imported, older) as the definition, and writes a lone definition as is', () => {
    expect(parseDescription('Tout ce qui touche\nà la santé.')).toEqual({
      definition: 'Tout ce qui touche\nà la santé.',
      whenToUse: '',
      whenNotToUse: '',
      example: '',
    });
    expect(formatDescription({ definition: 'Santé.', whenToUse: '', whenNotToUse: '', example: '' })).toBe(
      'Santé.',
    );
  });

  it('reads English headings and keeps multi-line parts', () => {
    expect(parseDescription('When to use: always\nand more\nExample: « yes »')).toMatchObject({
      whenToUse: 'always\nand more',
      example: '« yes »',
    });
  });
});

describe('pins and recent codes', () => {
  it('pins up to nine codes and unpins one', () => {
    let pins: string[] = [];
    for (let i = 0; i < 12; i++) pins = togglePin(pins, `c${i}`);
    expect(pins).toHaveLength(MAX_PINS);
    expect(togglePin(pins, 'c3')).not.toContain('c3');
  });

  it('keeps the most recent code first, without repeats', () => {
    expect(pushRecent(['a', 'b', 'c'], 'b')).toEqual(['b', 'a', 'c']);
    expect(pushRecent(['a', 'b', 'c'], 'd', 3)).toEqual(['d', 'a', 'b']);
  });

  it('lists recent codes first in the picker, then the rest in tree order', () => {
    const order = pickerOrder(FLAT, '', ['cantine', 'absent']);
    expect(order.recent.map((f) => f.code.name)).toEqual(['Cantine']);
    expect(order.rest.map((f) => f.code.name)).toEqual(['Conditions de vie', 'Logement', 'Santé', 'École']);
    expect(pickerOrder(FLAT, 'sante', ['cantine']).recent).toEqual([]);
  });
});

describe('margin bars and the keyboard cursor', () => {
  it('gives one lane per code, in order of appearance, with each coding’s share of the turn', () => {
    const { stripes, lanes } = blockStripes({ start: 100, end: 200 }, [
      { key: 'k1', codeId: 'a', start: 90, end: 150 },
      { key: 'k2', codeId: 'b', start: 120, end: 130 },
      { key: 'k3', codeId: 'a', start: 180, end: 260 },
      { key: 'k4', codeId: 'c', start: 200, end: 210 },
    ]);
    expect(lanes).toEqual(['a', 'b']);
    expect(stripes).toEqual([
      { key: 'k1', codeId: 'a', lane: 0, top: 0, bottom: 0.5 },
      { key: 'k2', codeId: 'b', lane: 1, top: 0.2, bottom: 0.3 },
      { key: 'k3', codeId: 'a', lane: 0, top: 0.8, bottom: 1 },
    ]);
  });

  it('cuts the cursor’s word into the pieces it covers', () => {
    const pieces = [
      { start: 0, end: 10, ids: [] as string[], label: false },
      { start: 10, end: 20, ids: ['k1'], label: false },
    ];
    expect(cutPieces(pieces, { start: 8, end: 12 }, 'cursor')).toEqual([
      { start: 0, end: 8, ids: [], label: false },
      { start: 8, end: 10, ids: ['cursor'], label: false },
      { start: 10, end: 12, ids: ['k1', 'cursor'], label: false },
      { start: 12, end: 20, ids: ['k1'], label: false },
    ]);
  });
});
