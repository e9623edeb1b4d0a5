import { createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { FlatCode } from '../codebook/code-tree.ts';
import { pickerOrder } from './picker-order.ts';
import type { CodeId } from './coding-state.ts';

/**
 * The small menu that appears over a selected passage: type to filter the codes (accents and case
 * ignored), arrows to move, Enter or a click to apply, 1–9 for a pinned code, Escape to cancel.
 * A combobox driving a listbox, so screen readers follow the active option.
 */
export function CodePicker(props: {
  codes: readonly FlatCode[];
  /** Pinned code ids, in key order (1 to 9). */
  pins: readonly string[];
  /** Recently applied code ids, most recent first. */
  recent: readonly string[];
  excerpt: string;
  position: { top: number; left: number };
  onPick: (codeId: CodeId) => void;
  onClose: () => void;
}) {
  let panel!: HTMLDivElement;
  let input!: HTMLInputElement;
  const [query, setQuery] = createSignal('');
  const [active, setActive] = createSignal(0);
  const order = createMemo(() => pickerOrder(props.codes, query(), props.recent));
  const options = createMemo(() => [...order().recent, ...order().rest]);
  const current = () => options()[Math.min(active(), options().length - 1)];
  const pinNumber = (id: string) => {
    const at = props.pins.indexOf(id);
    return at < 0 ? undefined : at + 1;
  };
  const optionId = (id: string) => `picker-option-${id}`;

  const onKeyDown = (event: KeyboardEvent) => {
    const count = options().length;
    if (event.key === 'ArrowDown' && count > 0) {
      event.preventDefault();
      setActive((i) => (i + 1) % count);
    } else if (event.key === 'ArrowUp' && count > 0) {
      event.preventDefault();
      setActive((i) => (i - 1 + count) % count);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = current();
      if (chosen) props.onPick(chosen.code.id);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      props.onClose();
    } else if (/^[1-9]$/.test(event.key) && query() === '') {
      const pinned = props.pins[Number(event.key) - 1];
      if (pinned && props.codes.some((c) => c.code.id === pinned)) {
        event.preventDefault();
        props.onPick(pinned as CodeId);
      }
    }
  };

  const onOutside = (event: MouseEvent) => {
    if (!panel.contains(event.target as Node)) props.onClose();
  };
  onMount(() => {
    input.focus({ preventScroll: true });
    panel.scrollIntoView({ block: 'nearest' });
    document.addEventListener('mousedown', onOutside);
  });
  onCleanup(() => document.removeEventListener('mousedown', onOutside));

  const Option = (item: FlatCode, recentItem: boolean) => (
    <li
      id={optionId(item.code.id)}
      role="option"
      aria-selected={current()?.code.id === item.code.id}
      classList={{ active: current()?.code.id === item.code.id, recent: recentItem }}
      style={{ 'padding-left': `${0.5 + (recentItem ? 0 : item.depth) * 1}rem` }}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => props.onPick(item.code.id)}
    >
      <span class="swatch" style={{ 'background-color': item.code.color }} />
      <span class="option-name">{recentItem ? item.path : item.code.name}</span>
      <Show when={pinNumber(item.code.id)}>
        {(n) => (
          <kbd class="pin-number" aria-label={t('coding.pinKey', { key: n() })}>
            {n()}
          </kbd>
        )}
      </Show>
    </li>
  );

  return (
    <div
      ref={panel}
      class="popover picker"
      role="dialog"
      aria-labelledby="picker-title"
      style={{ top: `${props.position.top}px`, left: `${props.position.left}px` }}
    >
      <p id="picker-title" class="popover-title">
        {t('coding.pickerTitle')}
      </p>
      <p class="excerpt">{t('coding.selection', { text: props.excerpt })}</p>
      <input
        ref={input}
        type="text"
        role="combobox"
        aria-label={t('coding.pickerFilter')}
        placeholder={t('coding.pickerFilter')}
        aria-expanded="true"
        aria-controls="picker-options"
        aria-autocomplete="list"
        aria-describedby="picker-hint"
        aria-activedescendant={current() ? optionId(current()?.code.id ?? '') : undefined}
        autocomplete="off"
        value={query()}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <p id="picker-hint" class="hint">
        {t('coding.pickerHint')}
      </p>
      <ul id="picker-options" role="listbox" aria-label={t('codebook.title')} class="picker-options">
        <For each={order().recent}>{(item) => Option(item, true)}</For>
        <For each={order().rest}>{(item) => Option(item, false)}</For>
      </ul>
      <Show when={options().length === 0}>
        <p class="muted small">
          {props.codes.length === 0 ? t('coding.pickerNoCodes') : t('coding.pickerEmpty')}
        </p>
      </Show>
      <button type="button" class="link-button" onClick={() => props.onClose()}>
        {t('coding.cancel')}
      </button>
    </div>
  );
}
