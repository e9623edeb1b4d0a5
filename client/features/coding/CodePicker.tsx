import { createMemo, createSignal, For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { FlatCode } from '../codebook/code-tree.ts';
import { pickerOrder } from './picker-order.ts';
import { createPopoverDismiss } from './popover-dismiss.ts';
import type { CodeId } from './coding-state.ts';

const optionId = (id: string) => `picker-option-${id}`;

/** The codes offered as the filter is typed (recent ones first), the active one, and pin numbers. */
function createPickerOptions(props: {
  codes: readonly FlatCode[];
  pins: readonly string[];
  recent: readonly string[];
}) {
  const [query, setQuery] = createSignal('');
  const [active, setActive] = createSignal(0);
  const order = createMemo(() => pickerOrder(props.codes, query(), props.recent));
  const options = createMemo(() => [...order().recent, ...order().rest]);
  const current = () => options()[Math.min(active(), options().length - 1)];
  const pinNumber = (id: string) => {
    const at = props.pins.indexOf(id);
    return at < 0 ? undefined : at + 1;
  };
  return { query, setQuery, active, setActive, order, options, current, pinNumber };
}

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
  const { query, setQuery, setActive, order, options, current, pinNumber } = createPickerOptions(props);
  const onKeyDown = (event: KeyboardEvent) =>
    handlePickerKey(event, {
      count: options().length,
      current,
      setActive,
      filtering: query() !== '',
      pins: props.pins,
      codes: props.codes,
      onPick: props.onPick,
      onClose: props.onClose,
    });

  createPopoverDismiss(
    () => panel,
    () => input,
    () => props.onClose(),
  );

  const Option = (item: FlatCode, recentItem: boolean) => (
    <PickerOption
      item={item}
      recent={recentItem}
      active={current()?.code.id === item.code.id}
      pin={pinNumber(item.code.id)}
      onPick={props.onPick}
    />
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
      <PickerFilter
        ref={(el) => (input = el)}
        query={query()}
        activeId={current() ? optionId(current()?.code.id ?? '') : undefined}
        onQuery={(value) => {
          setQuery(value);
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

/** The keys of the picker's filter field: arrows move, Enter applies, a digit applies a pin. */
function handlePickerKey(
  event: KeyboardEvent,
  picker: {
    count: number;
    current: () => FlatCode | undefined;
    setActive: (change: (index: number) => number) => void;
    /** Whether something is typed in the filter (digits are then text, not pins). */
    filtering: boolean;
    pins: readonly string[];
    codes: readonly FlatCode[];
    onPick: (codeId: CodeId) => void;
    onClose: () => void;
  },
): void {
  const count = picker.count;
  if (event.key === 'ArrowDown' && count > 0) {
    event.preventDefault();
    picker.setActive((i) => (i + 1) % count);
  } else if (event.key === 'ArrowUp' && count > 0) {
    event.preventDefault();
    picker.setActive((i) => (i - 1 + count) % count);
  } else if (event.key === 'Enter') {
    event.preventDefault();
    const chosen = picker.current();
    if (chosen) picker.onPick(chosen.code.id);
  } else if (event.key === 'Escape') {
    event.preventDefault();
    event.stopPropagation();
    picker.onClose();
  } else if (/^[1-9]$/.test(event.key) && !picker.filtering) {
    const pinned = picker.pins[Number(event.key) - 1];
    if (pinned && picker.codes.some((c) => c.code.id === pinned)) {
      event.preventDefault();
      picker.onPick(pinned as CodeId);
    }
  }
}

/** One code of the picker's list, with its pin key if it has one. */
function PickerOption(props: {
  item: FlatCode;
  /** Listed among the recent codes (by path, not indented). */
  recent: boolean;
  active: boolean;
  pin: number | undefined;
  onPick: (codeId: CodeId) => void;
}) {
  return (
    <li
      id={optionId(props.item.code.id)}
      role="option"
      aria-selected={props.active}
      classList={{ active: props.active, recent: props.recent }}
      style={{ 'padding-left': `${0.5 + (props.recent ? 0 : props.item.depth) * 1}rem` }}
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => props.onPick(props.item.code.id)}
    >
      <span class="swatch" style={{ 'background-color': props.item.code.color }} />
      <span class="option-name">{props.recent ? props.item.path : props.item.code.name}</span>
      <Show when={props.pin}>
        {(n) => (
          <kbd class="pin-number" aria-label={t('coding.pinKey', { key: n() })}>
            {n()}
          </kbd>
        )}
      </Show>
    </li>
  );
}

/** The picker's filter: a combobox whose active option is the one Enter applies. */
function PickerFilter(props: {
  ref: (element: HTMLInputElement) => void;
  query: string;
  activeId: string | undefined;
  onQuery: (value: string) => void;
  onKeyDown: (event: KeyboardEvent) => void;
}) {
  return (
    <input
      ref={props.ref}
      type="text"
      role="combobox"
      aria-label={t('coding.pickerFilter')}
      placeholder={t('coding.pickerFilter')}
      aria-expanded="true"
      aria-controls="picker-options"
      aria-autocomplete="list"
      aria-describedby="picker-hint"
      aria-activedescendant={props.activeId}
      autocomplete="off"
      value={props.query}
      onInput={(e) => props.onQuery(e.currentTarget.value)}
      onKeyDown={(e) => props.onKeyDown(e)}
    />
  );
}
