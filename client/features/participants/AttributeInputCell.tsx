import { For, Match, Show, Switch } from 'solid-js';
import type { AttributeDefView, AttributeInput } from './participants-state.ts';

/** The input that fits an attribute's type; the value is saved when the field changes. */
export function AttributeInputCell(props: {
  def: AttributeDefView;
  value: string | number | undefined;
  label: string;
  onCommit: (value: AttributeInput) => void;
}) {
  const current = () => (props.value === undefined ? '' : String(props.value));
  const commit = (input: HTMLInputElement | HTMLSelectElement) => {
    const raw = input.value.trim();
    if (raw === current()) return;
    if (raw === '') {
      props.onCommit(null);
      return;
    }
    if (props.def.type === 'number') {
      const value = Number(raw);
      if (Number.isFinite(value)) props.onCommit(value);
      else input.value = current();
      return;
    }
    props.onCommit(raw);
  };
  return (
    <Switch>
      <Match when={props.def.type === 'choice'}>
        <select
          class="cell-input"
          aria-label={props.label}
          value={current()}
          onChange={(e) => commit(e.currentTarget)}
        >
          <option value="">—</option>
          <For each={props.def.choices}>{(choice) => <option value={choice}>{choice}</option>}</For>
          <Show when={current() !== '' && !props.def.choices.includes(current())}>
            <option value={current()}>{current()}</option>
          </Show>
        </select>
      </Match>
      <Match when={props.def.type === 'number'}>
        <input
          class="cell-input number-input"
          type="number"
          step="any"
          aria-label={props.label}
          value={current()}
          onChange={(e) => commit(e.currentTarget)}
        />
      </Match>
      <Match when={props.def.type === 'date'}>
        <input
          class="cell-input"
          type="date"
          aria-label={props.label}
          value={current()}
          onChange={(e) => commit(e.currentTarget)}
        />
      </Match>
      <Match when={true}>
        <input
          class="cell-input"
          aria-label={props.label}
          value={current()}
          maxLength={1000}
          onChange={(e) => commit(e.currentTarget)}
        />
      </Match>
    </Switch>
  );
}
