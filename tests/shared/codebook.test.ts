// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  assertUniqueSiblingName,
  assertValidParent,
  buildCodeTree,
  codePath,
  putCode,
  removeCode,
  subtreeIds,
  type CodeMap,
  type CodeNode,
} from '../../shared/codebook.ts';
import { DomainError } from '../../shared/errors.ts';
import { newId, type CodeId, type UserId } from '../../shared/ids.ts';
import type { Code } from '../../shared/model.ts';

const lead = newId<UserId>();

function code(name: string, parent: Code | null = null): Code {
  return {
    id: newId<CodeId>(),
    name,
    parentId: parent ? parent.id : null,
    color: '#4363d8',
    description: '',
    createdAt: '2024-03-01T09:00:00.000Z',
    createdBy: lead,
    version: 1,
  };
}

function codeMap(...codes: Code[]): CodeMap {
  return Object.fromEntries(codes.map((c) => [c.id, c]));
}

/** The tree as nested names, easy to compare. */
function names(nodes: readonly CodeNode[]): unknown[] {
  return nodes.map((n) => (n.children.length > 0 ? { [n.code.name]: names(n.children) } : n.code.name));
}

function thrownBy(run: () => void): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

/** Interopérabilité › Redondance de saisie › Double saisie ; Organisation du travail. */
function hospitalCodebook() {
  const interop = code('Interopérabilité');
  const redondance = code('Redondance de saisie', interop);
  const double = code('Double saisie', redondance);
  const formats = code('Formats de fichiers', interop);
  const organisation = code('Organisation du travail');
  return {
    interop,
    redondance,
    double,
    formats,
    organisation,
    codes: codeMap(interop, redondance, double, formats, organisation),
  };
}

describe('buildCodeTree', () => {
  it('nests codes under their parents', () => {
    const { codes } = hospitalCodebook();
    expect(names(buildCodeTree(codes))).toEqual([
      { Interopérabilité: ['Formats de fichiers', { 'Redondance de saisie': ['Double saisie'] }] },
      'Organisation du travail',
    ]);
  });

  it('orders siblings by French collation: accents and case do not push a name to the end', () => {
    const codes = codeMap(
      code('Zèle'),
      code('école'),
      code('Été'),
      code('eau'),
      code('Abri'),
      code('Œuvre'),
      code('ordre'),
    );
    expect(names(buildCodeTree(codes))).toEqual(['Abri', 'eau', 'école', 'Été', 'Œuvre', 'ordre', 'Zèle']);
  });

  it('orders numbers inside names numerically', () => {
    const codes = codeMap(code('Question 10'), code('Question 2'), code('Question 1'));
    expect(names(buildCodeTree(codes))).toEqual(['Question 1', 'Question 2', 'Question 10']);
  });

  it('shows a code whose parent is missing as a root', () => {
    const gone = code('Supprimé');
    const orphan = code('Orphelin', gone);
    const root = code('Racine');
    expect(names(buildCodeTree(codeMap(orphan, root)))).toEqual(['Orphelin', 'Racine']);
  });

  it('returns an empty tree for an empty codebook', () => {
    expect(buildCodeTree({})).toEqual([]);
  });
});

describe('subtreeIds', () => {
  it('lists a code first, then all its descendants', () => {
    const { interop, redondance, double, formats, codes } = hospitalCodebook();
    const ids = subtreeIds(codes, interop.id);
    expect(ids[0]).toBe(interop.id);
    expect([...ids].sort()).toEqual([interop.id, redondance.id, double.id, formats.id].sort());
  });

  it('lists only the code itself for a leaf', () => {
    const { double, codes } = hospitalCodebook();
    expect(subtreeIds(codes, double.id)).toEqual([double.id]);
  });

  it('does not reach into sibling or parent subtrees', () => {
    const { redondance, double, codes } = hospitalCodebook();
    expect(subtreeIds(codes, redondance.id)).toEqual([redondance.id, double.id]);
  });
});

describe('assertValidParent', () => {
  it('accepts the root (no parent) and an existing unrelated parent', () => {
    const { organisation, redondance, codes } = hospitalCodebook();
    expect(() => assertValidParent(codes, redondance.id, null)).not.toThrow();
    expect(() => assertValidParent(codes, redondance.id, organisation.id)).not.toThrow();
  });

  it('accepts any existing parent for a code still to be created', () => {
    const { double, codes } = hospitalCodebook();
    expect(() => assertValidParent(codes, null, double.id)).not.toThrow();
  });

  it('refuses a missing parent with not_found', () => {
    const { redondance, codes } = hospitalCodebook();
    const missing = newId<CodeId>();
    expect(thrownBy(() => assertValidParent(codes, redondance.id, missing)).code).toBe('not_found');
    expect(thrownBy(() => assertValidParent(codes, null, missing)).code).toBe('not_found');
  });

  it('refuses to place a code under itself with cycle', () => {
    const { interop, codes } = hospitalCodebook();
    expect(thrownBy(() => assertValidParent(codes, interop.id, interop.id)).code).toBe('cycle');
  });

  it('refuses to place a code under one of its descendants with cycle', () => {
    const { interop, redondance, double, codes } = hospitalCodebook();
    expect(thrownBy(() => assertValidParent(codes, interop.id, redondance.id)).code).toBe('cycle');
    expect(thrownBy(() => assertValidParent(codes, interop.id, double.id)).code).toBe('cycle');
  });
});

describe('assertUniqueSiblingName', () => {
  it('refuses a sibling name differing only by case or accents', () => {
    const couts = code('Coûts');
    const codes = codeMap(couts, code('Délais'));
    const error = thrownBy(() => assertUniqueSiblingName(codes, 'couts', null, null));
    expect(error.code).toBe('duplicate_name');
    expect(error.details).toEqual({ existingId: couts.id });
    expect(thrownBy(() => assertUniqueSiblingName(codes, 'DELAIS', null, null)).code).toBe('duplicate_name');
  });

  it('ignores spaces around the new name', () => {
    const codes = codeMap(code('Coûts'));
    expect(thrownBy(() => assertUniqueSiblingName(codes, '  Coûts ', null, null)).code).toBe(
      'duplicate_name',
    );
  });

  it('accepts the same name under another parent', () => {
    const { interop, organisation, codes } = hospitalCodebook();
    const withChild = { ...codes, ...codeMap(code('Formats de fichiers', organisation)) };
    expect(() => assertUniqueSiblingName(withChild, 'Double saisie', interop.id, null)).not.toThrow();
    expect(() => assertUniqueSiblingName(codes, 'Formats de fichiers', organisation.id, null)).not.toThrow();
    expect(() => assertUniqueSiblingName(codes, 'Formats de fichiers', null, null)).not.toThrow();
  });

  it('checks a renamed code (a new object) by its new name', () => {
    const couts = code('Coûts');
    expect(thrownBy(() => assertUniqueSiblingName(codeMap(couts), 'couts', null, null)).code).toBe(
      'duplicate_name',
    );
    const renamed = codeMap({ ...couts, name: 'Budget', version: 2 });
    expect(() => assertUniqueSiblingName(renamed, 'couts', null, null)).not.toThrow();
    expect(thrownBy(() => assertUniqueSiblingName(renamed, 'BUDGET', null, null)).code).toBe(
      'duplicate_name',
    );
  });

  it('folds each sibling’s name once, not at every check', () => {
    let reads = 0;
    const siblings = Array.from({ length: 200 }, (_, i) => {
      const c = code(`Thème ${i}`);
      Object.defineProperty(c, 'name', {
        get: () => {
          reads++;
          return `Thème ${i}`;
        },
      });
      return c;
    });
    const codes = codeMap(...siblings);
    for (let i = 0; i < 10; i++) assertUniqueSiblingName(codes, `Nouveau ${i}`, null, null);
    // Folding every sibling at each check read the names 2,000 times.
    expect(reads).toBe(200);
  });

  it('looks a name up among its siblings, without reading the rest of the codebook at each check', () => {
    const siblings = Array.from({ length: 500 }, (_, i) => code(`Thème ${i}`));
    let reads = 0;
    const codes = new Proxy(codeMap(...siblings) as Record<string, Code>, {
      get: (target, key) => {
        reads++;
        return Reflect.get(target, key);
      },
    });
    assertUniqueSiblingName(codes, 'Nouveau', null, null); // The first check may read them all.
    reads = 0;
    for (let i = 0; i < 20; i++) assertUniqueSiblingName(codes, `Nouveau ${i}`, null, null);
    expect(thrownBy(() => assertUniqueSiblingName(codes, 'thème 42', null, null)).details).toEqual({
      existingId: siblings[42]?.id,
    });
    // Walking the codebook at each check read 500 codes 21 times.
    expect(reads).toBeLessThan(10);
  });

  it('follows a record changed through putCode and removeCode once it has been checked', () => {
    const { interop, formats, organisation, codes: start } = hospitalCodebook();
    const codes = { ...start } as Record<string, Code>;
    expect(() => assertUniqueSiblingName(codes, 'Coûts', null, null)).not.toThrow();
    const couts = code('Coûts');
    putCode(codes, couts);
    expect(thrownBy(() => assertUniqueSiblingName(codes, 'couts', null, null)).details).toEqual({
      existingId: couts.id,
    });
    // Renamed, and moved under another parent: its old place and name are free, its new ones taken.
    const moved = { ...couts, name: 'Budget', parentId: organisation.id, version: 2 };
    putCode(codes, moved);
    expect(() => assertUniqueSiblingName(codes, 'couts', null, null)).not.toThrow();
    expect(() => assertUniqueSiblingName(codes, 'budget', null, null)).not.toThrow();
    expect(thrownBy(() => assertUniqueSiblingName(codes, 'BUDGET', organisation.id, null)).code).toBe(
      'duplicate_name',
    );
    expect(() => assertUniqueSiblingName(codes, 'budget', organisation.id, moved.id)).not.toThrow();
    removeCode(codes, moved.id);
    expect(() => assertUniqueSiblingName(codes, 'budget', organisation.id, null)).not.toThrow();
    expect(codes[moved.id]).toBeUndefined();
    removeCode(codes, formats.id);
    expect(() => assertUniqueSiblingName(codes, 'Formats de fichiers', interop.id, null)).not.toThrow();
    // A code of that name put there again is found: the one removed hides nothing.
    const again = code('formats de fichiers', interop);
    putCode(codes, again);
    expect(
      thrownBy(() => assertUniqueSiblingName(codes, 'Formats de fichiers', interop.id, null)).details,
    ).toEqual({ existingId: again.id });
    removeCode(codes, again.id);
    // The record as it now is, checked afresh, gives the same answers.
    const fresh = { ...codes };
    for (const [name, parent] of [
      ['Formats de fichiers', interop.id],
      ['Budget', organisation.id],
      ['Redondance de saisie', interop.id],
      ['Organisation du travail', null],
    ] as const) {
      const here = () => assertUniqueSiblingName(codes, name, parent, null);
      const there = () => assertUniqueSiblingName(fresh, name, parent, null);
      let thrown = false;
      try {
        there();
      } catch {
        thrown = true;
      }
      if (thrown) expect(here).toThrow(DomainError);
      else expect(here).not.toThrow();
    }
  });

  it('lets a code keep its own name when renamed (exceptId)', () => {
    const { formats, interop, codes } = hospitalCodebook();
    expect(() => assertUniqueSiblingName(codes, 'formats de fichiers', interop.id, formats.id)).not.toThrow();
    expect(thrownBy(() => assertUniqueSiblingName(codes, 'formats de fichiers', interop.id, null)).code).toBe(
      'duplicate_name',
    );
  });
});

describe('codePath', () => {
  it('gives the names from the root down to the code', () => {
    const { double, codes } = hospitalCodebook();
    expect(codePath(codes, double.id)).toEqual(['Interopérabilité', 'Redondance de saisie', 'Double saisie']);
  });

  it('gives a single name for a root code', () => {
    const { organisation, codes } = hospitalCodebook();
    expect(codePath(codes, organisation.id)).toEqual(['Organisation du travail']);
  });

  it('stops at a missing parent and returns nothing for a missing code', () => {
    const gone = code('Supprimé');
    const orphan = code('Orphelin', gone);
    expect(codePath(codeMap(orphan), orphan.id)).toEqual(['Orphelin']);
    expect(codePath(codeMap(orphan), gone.id)).toEqual([]);
  });

  it('terminates on damaged data holding a cycle', () => {
    const a = code('A');
    const b: Code = { ...code('B'), parentId: a.id };
    const looped: Code = { ...a, parentId: b.id };
    expect(codePath(codeMap(looped, b), b.id)).toEqual(['A', 'B']);
  });
});
