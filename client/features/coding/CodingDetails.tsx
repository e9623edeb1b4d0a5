import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show, untrack } from 'solid-js';
import { formatDateTime, t } from '../../i18n/index.ts';
import type { Span } from '../../../shared/spans.ts';
import type { FlatCode } from '../codebook/code-tree.ts';
import type { CodeId, Coding, CodeWithCount, CodingPatch } from './coding-state.ts';
import { isProvisional } from './coding-state.ts';
import type { TranscriptText } from './selection-to-span.ts';
import { excerpt } from './excerpt.ts';

/**
 * The codings of a highlighted passage: code, coder and date, and for those the user may change:
 * another code, boundaries moved by a word (or selected again), a memo, removal.
 */
export function CodingDetails(props: {
  codings: readonly Coding[];
  codeById: ReadonlyMap<string, CodeWithCount>;
  codes: readonly FlatCode[];
  text: TranscriptText;
  coderName: (userId: string) => string;
  mayEdit: (coding: Coding) => boolean;
  canCode: boolean;
  position: { top: number; left: number };
  onRemove: (coding: Coding) => void;
  onUpdate: (coding: Coding, patch: CodingPatch) => void;
  onReselect: (coding: Coding) => void;
  onAddCode: (span: Span) => void;
  onClose: () => void;
}) {
  let panel!: HTMLDivElement;
  let close!: HTMLButtonElement;
  const onOutside = (event: MouseEvent) => {
    if (!panel.contains(event.target as Node)) props.onClose();
  };
  onMount(() => {
    close.focus({ preventScroll: true });
    panel.scrollIntoView({ block: 'nearest' });
    document.addEventListener('mousedown', onOutside);
  });
  onCleanup(() => document.removeEventListener('mousedown', onOutside));
  const codingById = createMemo(() => new Map(props.codings.map((c) => [c.id, c])));
  const union = (): Span | undefined => {
    const list = props.codings;
    if (list.length === 0) return undefined;
    return {
      start: Math.min(...list.map((c) => c.start)),
      end: Math.max(...list.map((c) => c.end)),
    };
  };
  return (
    <div
      ref={panel}
      class="popover details"
      role="dialog"
      aria-labelledby="details-title"
      style={{ top: `${props.position.top}px`, left: `${props.position.left}px` }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          props.onClose();
        }
      }}
    >
      <div class="popover-head">
        <p id="details-title" class="popover-title">
          {t('coding.detailsTitle')}
        </p>
        <button ref={close} type="button" class="small-button" onClick={() => props.onClose()}>
          {t('coding.close')}
        </button>
      </div>
      <ul class="details-list">
        {/* Keyed by id, not by object: a coding updated (its boundaries moved, a live change)
            keeps its item, and the memo being written in it. */}
        <For each={props.codings.map((c) => c.id)}>
          {(id) => (
            <Show when={codingById().get(id)}>
              {(coding) => (
                <CodingItem
                  coding={coding()}
                  codeById={props.codeById}
                  codes={props.codes}
                  text={props.text}
                  coderName={props.coderName}
                  editable={props.mayEdit(coding()) && !isProvisional(coding().id)}
                  onRemove={props.onRemove}
                  onUpdate={props.onUpdate}
                  onReselect={props.onReselect}
                />
              )}
            </Show>
          )}
        </For>
      </ul>
      <Show when={props.canCode && union()}>
        {(span) => (
          <button type="button" class="small-button add-code" onClick={() => props.onAddCode(span())}>
            {t('coding.addCode')}
          </button>
        )}
      </Show>
    </div>
  );
}

function CodingItem(props: {
  coding: Coding;
  codeById: ReadonlyMap<string, CodeWithCount>;
  codes: readonly FlatCode[];
  text: TranscriptText;
  coderName: (userId: string) => string;
  editable: boolean;
  onRemove: (coding: Coding) => void;
  onUpdate: (coding: Coding, patch: CodingPatch) => void;
  onReselect: (coding: Coding) => void;
}) {
  const code = () => props.codeById.get(props.coding.codeId);
  const name = () => code()?.name ?? '?';
  const [memo, setMemo] = createSignal(untrack(() => props.coding.memo));
  /** The saved memo the text being written started from (see DocumentMemo). */
  const [memoBase, setMemoBase] = createSignal(untrack(() => props.coding.memo));
  const memoChanged = () => props.coding.memo !== memoBase() && memo() !== props.coding.memo;
  createEffect(
    on(
      () => props.coding.memo,
      (saved, previous) => {
        if (memo() === previous) setMemo(saved);
        if (memo() === saved) setMemoBase(saved);
      },
    ),
  );
  const memoId = () => `memo-${props.coding.id}`;
  const move = (edge: 'start' | 'end', direction: -1 | 1) => {
    const next = props.text.moveEdge(props.coding, edge, direction);
    if (next) props.onUpdate(props.coding, { start: next.start, end: next.end });
  };
  const canMove = (edge: 'start' | 'end', direction: -1 | 1) =>
    props.text.moveEdge(props.coding, edge, direction) !== undefined;
  return (
    <li class="details-item">
      <div role="group" aria-labelledby={`${memoId()}-code`}>
        <div class="details-row">
          <span class="swatch" style={{ 'background-color': code()?.color ?? '#888888' }} />
          <span class="details-text">
            <strong id={`${memoId()}-code`}>{name()}</strong>
            <span class="muted small">
              {t('coding.by', {
                coder: props.coderName(props.coding.coderId),
                date: formatDateTime(props.coding.createdAt),
              })}
            </span>
          </span>
          <Show when={props.editable}>
            <button
              type="button"
              class="small-button danger"
              aria-label={t('coding.removeLabel', { code: name() })}
              onClick={() => props.onRemove(props.coding)}
            >
              {t('coding.remove')}
            </button>
          </Show>
        </div>
        <p class="excerpt">
          {t('coding.selection', {
            text: excerpt(props.text.slice(props.coding.start, props.coding.end)),
          })}
        </p>
        <Show
          when={props.editable}
          fallback={
            <Show when={props.coding.memo}>
              <p class="memo-text">{props.coding.memo}</p>
            </Show>
          }
        >
          <label class="field compact">
            <span>{t('coding.changeCode')}</span>
            <select
              value={props.coding.codeId}
              onChange={(e) => props.onUpdate(props.coding, { codeId: e.currentTarget.value as CodeId })}
            >
              <For each={props.codes}>
                {(item) => (
                  <option
                    value={item.code.id}
                  >{`${'\u00a0\u00a0'.repeat(item.depth)}${item.code.name}`}</option>
                )}
              </For>
            </select>
          </label>
          <div class="bounds" role="group" aria-label={t('coding.bounds', { code: name() })}>
            <span class="bounds-label" aria-hidden="true">
              {t('coding.boundsShort')}
            </span>
            <button
              type="button"
              class="small-button"
              aria-label={t('coding.extendStart')}
              title={t('coding.extendStart')}
              disabled={!canMove('start', -1)}
              onClick={() => move('start', -1)}
            >
              ⟵ [
            </button>
            <button
              type="button"
              class="small-button"
              aria-label={t('coding.shrinkStart')}
              title={t('coding.shrinkStart')}
              disabled={!canMove('start', 1)}
              onClick={() => move('start', 1)}
            >
              [ ⟶
            </button>
            <button
              type="button"
              class="small-button"
              aria-label={t('coding.shrinkEnd')}
              title={t('coding.shrinkEnd')}
              disabled={!canMove('end', -1)}
              onClick={() => move('end', -1)}
            >
              ⟵ ]
            </button>
            <button
              type="button"
              class="small-button"
              aria-label={t('coding.extendEnd')}
              title={t('coding.extendEnd')}
              disabled={!canMove('end', 1)}
              onClick={() => move('end', 1)}
            >
              ] ⟶
            </button>
            <button type="button" class="small-button" onClick={() => props.onReselect(props.coding)}>
              {t('coding.reselect')}
            </button>
          </div>
          <form
            class="memo-form"
            onSubmit={(e) => {
              e.preventDefault();
              props.onUpdate(props.coding, {
                memo: memo(),
                memoBefore: memoChanged() ? props.coding.memo : memoBase(),
              });
            }}
          >
            <label class="field compact" for={memoId()}>
              <span>{t('coding.memo')}</span>
            </label>
            <textarea id={memoId()} rows={2} value={memo()} onInput={(e) => setMemo(e.currentTarget.value)} />
            <Show when={memoChanged()}>
              <div class="memo-changed" role="status">
                <p class="small">{t('coding.memoChanged')}</p>
                <p class="memo-text">{props.coding.memo}</p>
              </div>
            </Show>
            <button type="submit" class="small-button" disabled={memo() === props.coding.memo}>
              {t('coding.saveMemo')}
            </button>
          </form>
        </Show>
      </div>
    </li>
  );
}
