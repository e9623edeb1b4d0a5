import type { ProjectEventBody } from '../../shared/events.ts';
import type { CodeId, UserId } from '../../shared/ids.ts';
import { CODE_COLORS, type Code } from '../../shared/model.ts';
import { flattenCodes } from './read-codes.ts';
import type { RefiProject } from './read-project.ts';
import type { NoteReader } from './source-files.ts';
import { UniqueNames } from './unique-names.ts';

/**
 * The file's codes, parents first, in the file's order (a new project: positions from 0), sibling
 * names made unique as Verbatim requires (each rename said in a warning), their notes joined to
 * their description, a colour of Verbatim's palette when the file gives none.
 */
export function planCodes(
  refi: RefiProject,
  stamp: { readonly userId: UserId; readonly now: string },
  notes: NoteReader,
  warnings: string[],
): ProjectEventBody[] {
  const events: ProjectEventBody[] = [];
  const siblingNames = new Map<string, UniqueNames>();
  let colorIndex = 0;
  let position = 0;
  for (const { code, parentGuid } of flattenCodes(refi.codes)) {
    const names = siblingNames.get(parentGuid ?? '') ?? new UniqueNames();
    siblingNames.set(parentGuid ?? '', names);
    const name = names.take(code.name || 'Code sans nom', 200);
    if (name !== (code.name || 'Code sans nom'))
      warnings.push(`Le code « ${code.name} » est renommé « ${name} » (nom en double au même niveau).`);
    const created: Code = {
      id: code.guid as CodeId,
      name,
      parentId: parentGuid as CodeId | null,
      color: code.color ?? (CODE_COLORS[colorIndex++ % CODE_COLORS.length] as string),
      description: [code.description, notes.join(code.noteRefs)]
        .filter((t) => t.trim() !== '')
        .join('\n\n')
        .slice(0, 20_000),
      createdAt: stamp.now,
      createdBy: stamp.userId,
      version: 1,
      position: position++,
    };
    events.push({ type: 'code_created', code: created });
  }
  return events;
}
