import { IndentedCodeOptions } from '../../app/IndentedCodeOptions.tsx';
import type { FlatCode } from './code-tree.ts';

/** The codebook's codes (as code-tree.ts flattens them) as the `<option>`s of a select, indented. */
export function CodeOptions(props: { items: readonly FlatCode[] }) {
  return (
    <IndentedCodeOptions
      codes={props.items.map((item) => ({ id: item.code.id, name: item.code.name, depth: item.depth }))}
    />
  );
}
