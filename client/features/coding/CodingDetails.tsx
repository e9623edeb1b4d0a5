import { createEffect, createMemo, createSignal, For, on, Show, untrack } from 'solid-js';
import { formatDateTime, t, type MessageKey } from '../../i18n/index.ts';
import type { Span } from '../../../shared/spans.ts';
import type { FlatCode } from '../codebook/code-tree.ts';
import { CodeOptions } from '../codebook/CodeOptions.tsx';
import type { CodeId, Coding, CodeWithCount, CodingPatch } from './coding-state.ts';
import { isProvisional } from './coding-state.ts';
import type { TranscriptText } from './selection-to-span.ts';
import { excerpt } from './excerpt.ts';
import { ListenButton } from './player/ListenButton.tsx';
import { createPopoverDismiss } from './popover-dismiss.ts';

/** The smallest span covering all the codings, if any. */
function unionOf(codings: readonly Coding[]): Span | undefined {
  if (codings.length === 0) return undefined;
  return {
    start: Math.min(...codings.map((c) => c.start)),
    end: Math.max(...codings.map((c) => c.end)),
  };
}

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
  createPopoverDismiss(
    () => panel,
    () => close,
    () => props.onClose(),
  );
  const codingById = createMemo(() => new Map(props.codings.map((c) => [c.id, c])));
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
      <Show when={props.canCode && unionOf(props.codings)}>
        {(span) => (
          <button type="button" class="small-button add-code" onClick={() => props.onAddCode(span())}>
            {t('coding.addCode')}
          </button>
        )}
      </Show>
    </div>
  );
}

interface CodingItemProps {
  coding: Coding;
  codeById: ReadonlyMap<string, CodeWithCount>;
  codes: readonly FlatCode[];
  text: TranscriptText;
  coderName: (userId: string) => string;
  editable: boolean;
  onRemove: (coding: Coding) => void;
  onUpdate: (coding: Coding, patch: CodingPatch) => void;
  onReselect: (coding: Coding) => void;
}

/**
 * The memo being written for a coding, and the saved memo it started from: when someone else saves
 * another meanwhile, the text being written is kept and theirs is shown beside it (see DocumentMemo).
 */
function createMemoDraft(saved: () => string) {
  const [memo, setMemo] = createSignal(untrack(saved));
  const [memoBase, setMemoBase] = createSignal(untrack(saved));
  createEffect(
    on(saved, (current, previous) => {
      if (memo() === previous) setMemo(current);
      if (memo() === current) setMemoBase(current);
    }),
  );
  return {
    memo,
    setMemo,
    memoBase,
    changed: () => saved() !== memoBase() && memo() !== saved(),
  };
}

type MemoDraft = ReturnType<typeof createMemoDraft>;

function CodingItem(props: CodingItemProps) {
  const code = () => props.codeById.get(props.coding.codeId);
  const name = () => code()?.name ?? '?';
  const draft = createMemoDraft(() => props.coding.memo);
  const memoId = () => `memo-${props.coding.id}`;
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
        <ListenButton span={{ start: props.coding.start, end: props.coding.end }} />
        <Show
          when={props.editable}
          fallback={
            <Show when={props.coding.memo}>
              <p class="memo-text">{props.coding.memo}</p>
            </Show>
          }
        >
          <CodeSelect coding={props.coding} codes={props.codes} onUpdate={props.onUpdate} />
          <BoundsButtons item={props} name={name()} />
          <MemoForm coding={props.coding} memoId={memoId()} draft={draft} onUpdate={props.onUpdate} />
        </Show>
      </div>
    </li>
  );
}

/** Another code for the coding. */
function CodeSelect(props: {
  coding: Coding;
  codes: readonly FlatCode[];
  onUpdate: (coding: Coding, patch: CodingPatch) => void;
}) {
  return (
    <label class="field compact">
      <span>{t('coding.changeCode')}</span>
      <select
        value={props.coding.codeId}
        onChange={(e) => props.onUpdate(props.coding, { codeId: e.currentTarget.value as CodeId })}
      >
        <CodeOptions items={props.codes} />
      </select>
    </label>
  );
}

/** The four word-by-word moves of a coding's ends, in the order the buttons show them. */
const MOVES: readonly { edge: 'start' | 'end'; direction: -1 | 1; label: MessageKey; glyph: string }[] = [
  { edge: 'start', direction: -1, label: 'coding.extendStart', glyph: '⟵ [' },
  { edge: 'start', direction: 1, label: 'coding.shrinkStart', glyph: '[ ⟶' },
  { edge: 'end', direction: -1, label: 'coding.shrinkEnd', glyph: '⟵ ]' },
  { edge: 'end', direction: 1, label: 'coding.extendEnd', glyph: '] ⟶' },
];

/** Move the coding's ends by a word, or select its passage again. */
function BoundsButtons(props: { item: CodingItemProps; name: string }) {
  const moved = (edge: 'start' | 'end', direction: -1 | 1) =>
    props.item.text.moveEdge(props.item.coding, edge, direction);
  return (
    <div class="bounds" role="group" aria-label={t('coding.bounds', { code: props.name })}>
      <span class="bounds-label" aria-hidden="true">
        {t('coding.boundsShort')}
      </span>
      <For each={MOVES}>
        {(move) => (
          <button
            type="button"
            class="small-button"
            aria-label={t(move.label)}
            title={t(move.label)}
            disabled={moved(move.edge, move.direction) === undefined}
            onClick={() => {
              const next = moved(move.edge, move.direction);
              if (next) props.item.onUpdate(props.item.coding, { start: next.start, end: next.end });
            }}
          >
            {move.glyph}
          </button>
        )}
      </For>
      <button type="button" class="small-button" onClick={() => props.item.onReselect(props.item.coding)}>
        {t('coding.reselect')}
      </button>
    </div>
  );
}

/** The coding's memo, saved with the memo it started from (the server refuses if it changed). */
function MemoForm(props: {
  coding: Coding;
  memoId: string;
  draft: MemoDraft;
  onUpdate: (coding: Coding, patch: CodingPatch) => void;
}) {
  return (
    <form
      class="memo-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onUpdate(props.coding, {
          memo: props.draft.memo(),
          memoBefore: props.draft.changed() ? props.coding.memo : props.draft.memoBase(),
        });
      }}
    >
      <label class="field compact" for={props.memoId}>
        <span>{t('coding.memo')}</span>
      </label>
      <textarea
        id={props.memoId}
        rows={2}
        value={props.draft.memo()}
        onInput={(e) => props.draft.setMemo(e.currentTarget.value)}
      />
      <Show when={props.draft.changed()}>
        <div class="memo-changed" role="status">
          <p class="small">{t('coding.memoChanged')}</p>
          <p class="memo-text">{props.coding.memo}</p>
        </div>
      </Show>
      <button type="submit" class="small-button" disabled={props.draft.memo() === props.coding.memo}>
        {t('coding.saveMemo')}
      </button>
    </form>
  );
}
