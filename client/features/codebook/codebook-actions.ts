/**
 * What a lead (or a coder, for new codes) does to the codebook from the coding view: add, save,
 * delete and merge codes. A new or saved code shows at once in the live copy of the project and is
 * put back if the server refuses.
 */
import { api, ApiError, unwrap } from '../../api/client.ts';
import type { CodeId, UserId } from '../../../shared/ids.ts';
import type { Code } from '../../../shared/model.ts';
import { provisionalId } from '../coding/live-changes.ts';
import type { LiveDocument } from '../coding/live-document.ts';
import type { CodingIds } from '../coding/page-resources.ts';
import type { Refusals } from '../coding/refusals.ts';
import { withoutCount } from './code-tree.ts';

/** A code change a lead may ask for (PATCH …/codes/:id). */
export interface CodePatch {
  name?: string;
  parentId?: CodeId | null;
  color?: string;
  description?: string;
}

/** A new code, as the codebook panel asks for it. */
export interface NewCodeInput {
  name: string;
  color: string;
  parentId: string | null;
  description?: string;
}

export function createCodebookActions(
  live: LiveDocument,
  ids: () => CodingIds,
  me: () => { id: string } | undefined,
  { attempt, setError }: Refusals,
) {
  const { patchCodes, catchUp } = live;

  /** Add a code to the codebook; true once the server has it. */
  async function createCode(input: NewCodeInput): Promise<boolean> {
    const temp: Code = {
      id: provisionalId<CodeId>(),
      name: input.name.trim(),
      parentId: input.parentId as CodeId | null,
      color: input.color.toLowerCase(),
      description: input.description ?? '',
      createdAt: new Date().toISOString(),
      createdBy: (me()?.id ?? '') as UserId,
      version: 1,
    };
    patchCodes((map) => map.set(temp.id, temp));
    return attempt(async () => {
      try {
        const created = await unwrap(
          api.projects[':projectId'].codes.$post({
            param: { projectId: ids().projectId },
            json: {
              name: input.name,
              color: input.color,
              parentId: input.parentId,
              ...(input.description ? { description: input.description } : {}),
            },
          }),
        );
        patchCodes((map) => {
          map.delete(temp.id);
          map.set(created.id, withoutCount(created));
        });
      } catch (failure) {
        patchCodes((map) => map.delete(temp.id));
        throw failure;
      }
    });
  }

  /**
   * Save a code, sending the version it was edited from: if someone saved it in between, the server
   * refuses (409) and nothing is overwritten. Resolves to the refusal, if any, for the editor to show.
   */
  async function updateCode(code: Code, patch: CodePatch, version: number): Promise<ApiError | undefined> {
    const optimistic: Code = { ...code, ...patch, version: code.version + 1 };
    patchCodes((map) => map.set(code.id, optimistic));
    try {
      const after = await unwrap(
        api.projects[':projectId'].codes[':codeId'].$patch({
          param: { projectId: ids().projectId, codeId: code.id },
          json: { ...patch, version },
        }),
      );
      patchCodes((map) => map.set(after.id, withoutCount(after)));
      return undefined;
    } catch (failure) {
      patchCodes((map) => {
        // Put the code back unless the live feed brought a newer one meanwhile.
        if (map.get(code.id) === optimistic) map.set(code.id, code);
      });
      if (failure instanceof ApiError) return failure;
      setError(failure);
      return new ApiError(0, 'network', String(failure));
    }
  }

  /** Delete a code, its sub-codes and their codings. */
  async function deleteCode(code: Code): Promise<boolean> {
    return attempt(async () => {
      await unwrap(
        api.projects[':projectId'].codes[':codeId'].$delete({
          param: { projectId: ids().projectId, codeId: code.id },
        }),
      );
      await catchUp();
    });
  }

  /** Merge a code into another; resolves to what moved, or undefined when refused. */
  async function mergeCode(code: Code, targetId: CodeId) {
    let result: { moved: number; collapsed: number; children: number } | undefined;
    await attempt(async () => {
      result = (
        await unwrap(
          api.projects[':projectId'].codes[':codeId'].merge.$post({
            param: { projectId: ids().projectId, codeId: code.id },
            json: { targetId },
          }),
        )
      ).merged;
      await catchUp();
    });
    return result;
  }

  return { createCode, updateCode, deleteCode, mergeCode };
}
