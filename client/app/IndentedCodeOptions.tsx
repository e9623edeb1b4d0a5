import { For } from 'solid-js';

/** A code in a flat list that still shows the tree: its depth under the root. */
export interface CodeOption {
  readonly id: string;
  readonly name: string;
  readonly depth: number;
}

/**
 * Codes as the `<option>`s of a select, each indented by its depth in the codebook (two no-break
 * spaces a level, which every browser keeps in an option). `selected` marks the chosen option on
 * the options themselves, for a select whose codes arrive after its value.
 */
export function IndentedCodeOptions(props: { codes: readonly CodeOption[]; selected?: string }) {
  return (
    <For each={props.codes}>
      {(code) => (
        <option
          value={code.id}
          selected={props.selected === undefined ? undefined : code.id === props.selected}
        >
          {`${'\u00a0\u00a0'.repeat(code.depth)}${code.name}`}
        </option>
      )}
    </For>
  );
}
