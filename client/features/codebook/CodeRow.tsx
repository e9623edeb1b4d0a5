import { Show } from 'solid-js';
import type { Coding } from '../../../shared/model.ts';
import { formatNumber, t } from '../../i18n/index.ts';
import { isProvisional } from '../coding/live-changes.ts';
import { CodeEditorDialog, type CodeEditorActions } from './CodeEditor.tsx';
import type { CodeMoves } from './code-moves.ts';
import { canMoveUnder, type CodeWithCount, type FlatCode } from './code-tree.ts';

/** What every row of the codebook tree shares with the panel. */
export interface CodeRowContext {
  codes: readonly CodeWithCount[];
  flat: readonly FlatCode[];
  canManage: boolean;
  mayMove: (coding: Coding) => boolean;
  coderName: (userId: string) => string;
  actions: CodeEditorActions;
  announce: (message: string) => void;
  hidden: ReadonlySet<string>;
  onToggleHidden: (codeId: string) => void;
  onTogglePin: (codeId: string) => void;
  pinNumber: (codeId: string) => number | undefined;
  /** Codings of a code and all its sub-codes. */
  rolledUp: (codeId: string) => number | undefined;
  /** Ids of the codes whose names match the filter. */
  matches: ReadonlySet<string>;
  /** The id of the code whose editor is open, and that code, if any. */
  open: () => string | undefined;
  openCode: () => CodeWithCount | undefined;
  setOpen: (codeId: string | undefined) => void;
  closeEditor: () => void;
  codingsOf: (codeId: string) => Coding[];
  moves: CodeMoves;
}

/** One code of the tree: its row, and its editor when opened; a place to drop a dragged code. */
export function CodeRow(props: { item: FlatCode; context: CodeRowContext }) {
  const code = () => props.item.code;
  const isOpen = () => props.context.open() === code().id;
  const moves = () => props.context.moves;
  return (
    <li
      class="code-item"
      classList={{
        provisional: isProvisional(code().id),
        match: props.context.matches.has(code().id),
        'drop-target': moves().dropTarget() === code().id,
        hidden: props.context.hidden.has(code().id),
        open: isOpen(),
      }}
      data-code-id={code().id}
      style={{ 'padding-left': `${props.item.depth * 1.25}rem` }}
      onDragOver={(e) => {
        const from = moves().dragged();
        if (!from || !canMoveUnder(props.context.codes, from, code().id) || from === code().id) return;
        e.preventDefault();
        moves().setDropTarget(code().id);
      }}
      onDragLeave={() => {
        const id = code().id;
        moves().setDropTarget((d) => (d === id ? undefined : d));
      }}
      onDrop={(e) => moves().drop(e, code().id)}
    >
      <CodeRowControls item={props.item} context={props.context} />
      <Show when={isOpen() ? props.context.openCode() : undefined}>
        {(open) => (
          <CodeEditorDialog
            code={open()}
            codes={props.context.codes}
            flat={props.context.flat}
            codings={props.context.codingsOf(open().id)}
            canManage={props.context.canManage}
            mayMove={props.context.mayMove}
            coderName={props.context.coderName}
            actions={props.context.actions}
            announce={props.context.announce}
            onClose={props.context.closeEditor}
          />
        )}
      </Show>
    </li>
  );
}

/** The row itself: swatch, the handle that opens (and drags) the code, count, pin, visibility. */
function CodeRowControls(props: { item: FlatCode; context: CodeRowContext }) {
  const code = () => props.item.code;
  const provisional = () => isProvisional(code().id);
  const isOpen = () => props.context.open() === code().id;
  const pin = () => props.context.pinNumber(code().id);
  return (
    <div class="code-row">
      <span class="swatch" style={{ 'background-color': code().color }} />
      <button
        type="button"
        class="code-handle"
        draggable={props.context.canManage && !provisional()}
        aria-expanded={isOpen()}
        aria-controls={isOpen() ? `code-${code().id}-editor` : undefined}
        aria-label={t('codebook.openCode', { name: code().name, level: props.item.depth + 1 })}
        disabled={provisional()}
        onClick={() => props.context.setOpen(isOpen() ? undefined : code().id)}
        onKeyDown={(e) => props.context.moves.onHandleKey(e, props.item)}
        onDragStart={(e) => {
          props.context.moves.setDragged(code().id);
          e.dataTransfer?.setData('text/plain', code().name);
          if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
        }}
        onDragEnd={() => {
          props.context.moves.setDragged(undefined);
          props.context.moves.setDropTarget(undefined);
        }}
      >
        <span class="code-name">{code().name}</span>
      </button>
      <Show
        when={props.item.hasChildren}
        fallback={
          <span class="count" title={t('codebook.countLabel', { count: code().codings })}>
            {formatNumber(code().codings)}
          </span>
        }
      >
        {/* A parent code counts its sub-codes' codings too, as the review tables do. */}
        <span
          class="count rollup"
          title={t('codebook.countRollupLabel', {
            own: code().codings,
            total: props.context.rolledUp(code().id) ?? code().codings,
          })}
        >
          {formatNumber(props.context.rolledUp(code().id) ?? code().codings)}
        </span>
      </Show>
      <button
        type="button"
        class="icon-button pin"
        classList={{ pinned: pin() !== undefined }}
        aria-pressed={pin() !== undefined}
        aria-label={t('codebook.pin', { name: code().name })}
        title={pin() === undefined ? t('codebook.pinHint') : t('coding.pinKey', { key: pin() ?? '' })}
        disabled={provisional()}
        onClick={() => props.context.onTogglePin(code().id)}
      >
        {pin() ?? '☆'}
      </button>
      <input
        type="checkbox"
        class="visibility"
        checked={!props.context.hidden.has(code().id)}
        aria-label={t('codebook.show', { name: code().name })}
        title={t('codebook.show', { name: code().name })}
        onChange={() => props.context.onToggleHidden(code().id)}
      />
    </div>
  );
}
