import { For } from 'solid-js';

export interface Choice<T extends string> {
  readonly value: T;
  readonly label: string;
}

/**
 * A row of radio buttons under a legend, for the review pages' display options (unit of
 * agreement, co-occurrence unit, percentage base, operator): one selected value, told on change.
 */
export function ChoiceGroup<T extends string>(props: {
  legend: string;
  /** The radio group's name, unique on the page. */
  name: string;
  choices: readonly Choice<T>[];
  selected: T;
  onChange: (value: T) => void;
  disabled?: boolean;
}) {
  return (
    <fieldset class="inline-choice" disabled={props.disabled === true}>
      <legend>{props.legend}</legend>
      <For each={props.choices}>
        {(choice) => (
          <label class="checkbox">
            <input
              type="radio"
              name={props.name}
              checked={props.selected === choice.value}
              onChange={() => props.onChange(choice.value)}
            />
            <span>{choice.label}</span>
          </label>
        )}
      </For>
    </fieldset>
  );
}
