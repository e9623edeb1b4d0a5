import { describe, expect, it } from 'vitest';
import { derivedGuid, parseGuid } from '../../../server/refi/guid.ts';

describe('parseGuid', () => {
  it('reads upper case, lower case and braced GUIDs into lower case without braces', () => {
    const id = 'a182cd3a-d83c-4d8c-bc80-26d9103ec6d6';
    expect(parseGuid('A182CD3A-D83C-4D8C-BC80-26D9103EC6D6')).toBe(id);
    expect(parseGuid('{A182CD3A-D83C-4D8C-BC80-26D9103EC6D6}')).toBe(id);
    expect(parseGuid(` ${id} `)).toBe(id);
  });

  it('refuses a brace on one side, wrong lengths, other characters and absence', () => {
    for (const bad of [
      '{a182cd3a-d83c-4d8c-bc80-26d9103ec6d6',
      'a182cd3a-d83c-4d8c-bc80-26d9103ec6d',
      'g182cd3a-d83c-4d8c-bc80-26d9103ec6d6',
      '',
      'not-a-guid',
    ]) {
      expect(parseGuid(bad)).toBeUndefined();
    }
    expect(parseGuid(undefined)).toBeUndefined();
  });
});

describe('derivedGuid', () => {
  it('gives the same GUID for the same parts and another for other parts', () => {
    expect(derivedGuid('variable', 'p', 'Âge')).toBe(derivedGuid('variable', 'p', 'Âge'));
    expect(derivedGuid('variable', 'p', 'Âge')).not.toBe(derivedGuid('variable', 'p', 'Age'));
    // Parts are kept apart: ('ab', 'c') is not ('a', 'bc').
    expect(derivedGuid('ab', 'c')).not.toBe(derivedGuid('a', 'bc'));
  });

  it('is a version-5-shaped UUID that the REFI-QDA GUID pattern and parseGuid accept', () => {
    const guid = derivedGuid('selection', 'doc', '0', '4');
    expect(guid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseGuid(guid)).toBe(guid);
  });
});
