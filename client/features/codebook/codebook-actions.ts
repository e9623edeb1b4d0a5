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

/** What the codebook actions work with. */
interface ActionContext {
  live: LiveDocument;
  ids: () => CodingIds;
  me: () => { id: string } | undefined;
  refusals: Refusals;
}

export function createCodebookActions(
  live: LiveDocument,
  ids: () => CodingIds,
  me: () => { id: string } | undefined,
  refusals: Refusals,
) {
  const ctx: ActionContext = { live, ids, me, refusals };
  return {
    createCode: (input: NewCodeInput) => createCode(ctx, input),
    updateCode: (code: Code, patch: CodePatch, version: number) => updateCode(ctx, code, patch, version),
    deleteCode: (code: Code) => deleteCode(ctx, code),
    mergeCode: (code: Code, targetId: CodeId) => mergeCode(ctx, code, targetId),
  };
}

/** Add a code to the codebook; true once the server has it. */
async function createCode(ctx: ActionContext, input: NewCodeInput): Promise<boolean> {
  const temp: Code = {
    id: provisionalId<CodeId>(),
    name: input.name.trim(),
    parentId: input.parentId as CodeId | null,
    color: input.color.toLowerCase(),
    description: input.description ?? '',
    createdAt: new Date().toISOString(),
    createdBy: (ctx.me()?.id ?? '') as UserId,
    version: 1,
  };
  ctx.live.patchCodes((map) => map.set(temp.id, temp));
  return ctx.refusals.attempt(async () => {
    try {
      const created = await unwrap(
        api.projects[':projectId'].codes.$post({
          param: { projectId: ctx.ids().projectId },
          json: {
            name: input.name,
            color: input.color,
            parentId: input.parentId,
            ...(input.description ? { description: input.description } : {}),
          },
        }),
      );
      ctx.live.patchCodes((map) => {
        map.delete(temp.id);
        map.set(created.id, withoutCount(created));
      });
    } catch (failure) {
      ctx.live.patchCodes((map) => map.delete(temp.id));
      throw failure;
    }
  });
}

/**
 * Save a code, sending the version it was edited from: if someone saved it in between, the server
 * refuses (409) and nothing is overwritten. Resolves to the refusal, if any, for the editor to show.
 */
async function updateCode(
  ctx: ActionContext,
  code: Code,
  patch: CodePatch,
  version: number,
): Promise<ApiError | undefined> {
  const optimistic: Code = { ...code, ...patch, version: code.version + 1 };
  ctx.live.patchCodes((map) => map.set(code.id, optimistic));
  try {
    const after = await unwrap(
      api.projects[':projectId'].codes[':codeId'].$patch({
        param: { projectId: ctx.ids().projectId, codeId: code.id },
        json: { ...patch, version },
      }),
    );
    ctx.live.patchCodes((map) => map.set(after.id, withoutCount(after)));
    return undefined;
  } catch (failure) {
    ctx.live.patchCodes((map) => {
      // Put the code back unless the live feed brought a newer one meanwhile.
      if (map.get(code.id) === optimistic) map.set(code.id, code);
    });
    if (failure instanceof ApiError) return failure;
    ctx.refusals.setError(failure);
    return new ApiError(0, 'network', String(failure));
  }
}

/** Delete a code, its sub-codes and their codings. */
async function deleteCode(ctx: ActionContext, code: Code): Promise<boolean> {
  return ctx.refusals.attempt(async () => {
    await unwrap(
      api.projects[':projectId'].codes[':codeId'].$delete({
        param: { projectId: ctx.ids().projectId, codeId: code.id },
      }),
    );
    await ctx.live.catchUp();
  });
}

/** Merge a code into another; resolves to what moved, or undefined when refused. */
async function mergeCode(ctx: ActionContext, code: Code, targetId: CodeId) {
  let result: { moved: number; collapsed: number; children: number } | undefined;
  await ctx.refusals.attempt(async () => {
    result = (
      await unwrap(
        api.projects[':projectId'].codes[':codeId'].merge.$post({
          param: { projectId: ctx.ids().projectId, codeId: code.id },
          json: { targetId },
        }),
      )
    ).merged;
    await ctx.live.catchUp();
  });
  return result;
}
