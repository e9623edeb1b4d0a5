import { DomainError } from './errors.ts';

/**
 * Refuse a memo saved over one the saver never saw: `memoBefore` is the memo the client's edit
 * started from. Without it, the memo is simply replaced (as scripts expect).
 */
export function assertMemoUnchanged(current: string, memoBefore: string | undefined): void {
  if (memoBefore !== undefined && memoBefore !== current) {
    throw new DomainError(
      'conflict',
      'Ce mémo a été modifié par quelqu’un d’autre pendant que vous l’écriviez : rien n’a été écrasé. Relisez le mémo enregistré, puis enregistrez de nouveau.',
      { memo: current },
    );
  }
}
