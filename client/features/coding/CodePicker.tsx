import { createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { CodeId } from './coding-state.ts';
import { filterCodes, type FlatCode } from './code-list.ts';

/**
 * The small menu that appears over a selected passage: type to filter the codes (accents and case
 * ignored), arrows to move, Enter or a click to apply, Escape to cancel.
 */
export function CodePicker(props: {
  codes: readonly FlatCode[];
  excerpt: string;
  position: { top: number; left: number };
  onPick: (codeId: CodeId) => void;
  onClose: () => void;
}) {
  let panel!: HTMLDivElement;
  let input!: HTMLInputElement;
  const [query, setQuery] = createSignal('');
  const [active, setActive] = createSignal(0);
  const matches = createMemo(() => filterCodes(props.codes, query()));
  const current = () => matches()[Math.min(active(), matches().length - 1)];

  const onKeyDown = (event: KeyboardEvent) => {
    const count = matches().length;
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
      props.onClose();
    }
  };

  const onOutside = (event: MouseEvent) => {
    if (!panel.contains(event.target as Node)) props.onClose();
  };
  onMount(() => {
    input.focus({ preventScroll: true });
    document.addEventListener('mousedown', onOutside);
  });
  onCleanup(() => document.removeEventListener('mousedown', onOutside));

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
        type="search"
        role="combobox"
        aria-label={t('coding.pickerFilter')}
        placeholder={t('coding.pickerFilter')}
        aria-expanded="true"
        aria-controls="picker-options"
        aria-autocomplete="list"
        aria-activedescendant={current() ? `picker-option-${current()?.code.id}` : undefined}
        value={query()}
        onInput={(e) => {
          setQuery(e.currentTarget.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
      />
      <ul id="picker-options" role="listbox" aria-label={t('codebook.title')} class="picker-options">
        <For each={matches()}>
          {(item) => (
            <li
              id={`picker-option-${item.code.id}`}
              role="option"
              aria-selected={current()?.code.id === item.code.id}
              classList={{ active: current()?.code.id === item.code.id }}
              style={{ 'padding-left': `${0.5 + item.depth * 1}rem` }}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => props.onPick(item.code.id)}
            >
              <span class="swatch" style={{ 'background-color': item.code.color }} />
              {item.code.name}
            </li>
          )}
        </For>
      </ul>
      <Show when={matches().length === 0}>
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
