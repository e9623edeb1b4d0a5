import { newId, type CodeId, type UserId } from '../../shared/ids.ts';
import type { Code } from '../../shared/model.ts';

/** A new top-level code named `name`, as `createdBy` would create it, for changes made on a store directly. */
export function newCode(name: string, createdBy: UserId): Code {
  return {
    id: newId<CodeId>(),
    name,
    parentId: null,
    color: '#3cb44b',
    description: '',
    createdAt: new Date().toISOString(),
    createdBy,
    version: 1,
  };
}
