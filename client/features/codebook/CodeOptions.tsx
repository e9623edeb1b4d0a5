import { For } from 'solid-js';
import type { FlatCode } from './code-tree.ts';

/** Codes as the `<option>`s of a select, indented by their depth in the tree. */
export function CodeOptions(props: { items: readonly FlatCode[] }) {
  return (
    <For each={props.items}>
      {(item) => (
        <option value={item.code.id}>{`${'\u00a0\u00a0'.repeat(item.depth)}${item.code.name}`}</option>
      )}
    </For>
  );
}
