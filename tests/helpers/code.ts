import { newId, type CodeId, type UserId } from '../../shared/ids.ts';
import type { Code } from '../../shared/model.ts';

/**
 * A new top-level code named `name`, as `createdBy` would create it, for changes made on a store
 * directly; `fields` replaces any of the rest (a colour, a description).
 */
export function newCode(name: string, createdBy: UserId, fields: Partial<Omit<Code, 'name'>> = {}): Code {
  return {
    id: newId<CodeId>(),
    name,
    parentId: null,
    color: '#3cb44b',
    description: '',
    createdAt: '2024-03-01T09:05:00.000Z',
    createdBy,
    version: 1,
    ...fields,
  };
}
