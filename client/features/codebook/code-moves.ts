/**
 * Moving codes in the codebook tree: dragged under another code (or to the top level), or moved
 * with Alt+arrows from the keyboard; arrows go from row to row, P pins. Moves are a lead's.
 */
import { createSignal } from 'solid-js';
import type { CodeId } from '../../../shared/ids.ts';
import { t } from '../../i18n/index.ts';
import type { CodeEditorActions } from './CodeEditor.tsx';
import { canMoveUnder, keyboardMoveTarget, type CodeWithCount, type FlatCode } from './code-tree.ts';

export interface CodeMovesProps {
  codes: readonly CodeWithCount[];
  flat: readonly FlatCode[];
  canManage: boolean;
  onTogglePin: (codeId: string) => void;
  actions: CodeEditorActions;
  announce: (message: string) => void;
}

export function createCodeMoves(
  props: CodeMovesProps,
  view: {
    /** The rows shown, in order. */
    rows: () => readonly FlatCode[];
    list: () => HTMLUListElement | undefined;
    codeById: () => ReadonlyMap<string, CodeWithCount>;
  },
) {
  const { rows, list, codeById } = view;
  const [dragged, setDragged] = createSignal<string>();
  /** Where a dragged code would go: a code's id, null for the top level. */
  const [dropTarget, setDropTarget] = createSignal<string | null>();
  let moves: Promise<void> = Promise.resolve();

  /** Put a code under another (null: top level), as a lead's move. */
  const moveUnder = async (codeId: string, parentId: string | null) => {
    const code = codeById().get(codeId);
    if (!code || code.parentId === parentId || !canMoveUnder(props.codes, codeId, parentId)) return;
    const refused = await props.actions.updateCode(
      code,
      { parentId: parentId as CodeId | null },
      code.version,
    );
    if (refused) return;
    props.announce(
      parentId === null
        ? t('codebook.movedTop', { name: code.name })
        : t('codebook.movedUnder', { name: code.name, parent: codeById().get(parentId)?.name ?? '?' }),
    );
  };

  const focusRow = (codeId: string) =>
    list()?.querySelector<HTMLElement>(`[data-code-id="${codeId}"] .code-handle`)?.focus();

  /** Alt+arrows move the code (one move after the other, each from where the last left it). */
  const moveByKey = (codeId: string, direction: 'indent' | 'outdent') => {
    moves = moves.then(async () => {
      const target = keyboardMoveTarget(props.flat, codeId, direction);
      if (!target) {
        props.announce(t('codebook.cannotMove'));
        return;
      }
      await moveUnder(codeId, target.parentId);
      // Moving a row in the list may take the focus with it: give it back.
      if (!list()?.contains(document.activeElement)) focusRow(codeId);
    });
  };

  const onHandleKey = (event: KeyboardEvent, item: FlatCode) => {
    const at = rows().findIndex((r) => r.code.id === item.code.id);
    if (event.altKey && (event.key === 'ArrowRight' || event.key === 'ArrowLeft') && props.canManage) {
      event.preventDefault();
      moveByKey(item.code.id, event.key === 'ArrowRight' ? 'indent' : 'outdent');
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = rows()[at + (event.key === 'ArrowDown' ? 1 : -1)];
      if (next) focusRow(next.code.id);
    } else if (/^[pP]$/.test(event.key)) {
      event.preventDefault();
      props.onTogglePin(item.code.id);
    }
  };

  /** A drop on a code (or on the top-level zone, null): the dragged code goes there. */
  const drop = (event: DragEvent, parentId: string | null) => {
    event.preventDefault();
    const from = dragged();
    setDragged(undefined);
    setDropTarget(undefined);
    if (from) void moveUnder(from, parentId);
  };

  return { dragged, setDragged, dropTarget, setDropTarget, focusRow, onHandleKey, drop };
}

export type CodeMoves = ReturnType<typeof createCodeMoves>;
