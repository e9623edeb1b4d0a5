/**
 * The coding view's data and what can be done to it, put together for the page: the live document
 * (snapshot + feed, `live-document.ts`), the coding actions (`coding-actions.ts`) and the codebook
 * actions (`../codebook/codebook-actions.ts`), sharing one place where a refusal is shown.
 */
import { createCodebookActions } from '../codebook/codebook-actions.ts';
import { createCodingActions } from './coding-actions.ts';
import { createLiveDocument } from './live-document.ts';
import type { CodingIds } from './page-resources.ts';
import { createRefusals } from './refusals.ts';

export type { Coding, Code } from '../../../shared/model.ts';
export type { CodeWithCount } from '../codebook/code-tree.ts';
export type { CodeId } from '../../../shared/ids.ts';
export type { CodingPatch } from './coding-actions.ts';
export type { CodePatch } from '../codebook/codebook-actions.ts';
export type { CodingIds } from './page-resources.ts';
export { isProvisional } from './live-changes.ts';

export function createCodingState(ids: () => CodingIds, me: () => { id: string } | undefined) {
  const refusals = createRefusals();
  const live = createLiveDocument(ids, me, refusals.setError);
  return {
    ...live,
    error: refusals.error,
    setError: refusals.setError,
    ...createCodingActions(live, ids, me, refusals),
    ...createCodebookActions(live, ids, me, refusals),
  };
}

export type CodingState = ReturnType<typeof createCodingState>;
