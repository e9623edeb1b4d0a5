import { For, Show } from 'solid-js';
import { buildCodeTree, type CodeNode } from '../../../shared/codebook.ts';
import type { Code } from '../../../shared/model.ts';
import { t } from '../../i18n/index.ts';

/** The codebook as a tree of checkboxes; nothing checked means the whole codebook. */
export function ThemeChecklist(props: {
  codes: readonly Code[];
  checked: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  const tree = () => buildCodeTree(Object.fromEntries(props.codes.map((c) => [c.id, c])));
  const toggle = (id: string, on: boolean) =>
    props.onChange(on ? [...props.checked, id] : props.checked.filter((c) => c !== id));
  const Branch = (branch: { nodes: readonly CodeNode[] }) => (
    <ul class="theme-tree">
      <For each={branch.nodes}>
        {(node) => (
          <li>
            <label>
              <input
                type="checkbox"
                checked={props.checked.includes(node.code.id)}
                onChange={(e) => toggle(node.code.id, e.currentTarget.checked)}
              />{' '}
              {node.code.name}
            </label>
            <Show when={node.children.length > 0}>
              <Branch nodes={node.children} />
            </Show>
          </li>
        )}
      </For>
    </ul>
  );
  return (
    <fieldset class="stack">
      <legend>{t('export.themes')}</legend>
      <p class="hint">{t('export.themesHint')}</p>
      <div class="button-row">
        <button
          type="button"
          class="small-button"
          onClick={() => props.onChange(props.codes.map((c) => c.id))}
        >
          {t('export.allThemes')}
        </button>
        <button type="button" class="small-button" onClick={() => props.onChange([])}>
          {t('export.noThemes')}
        </button>
      </div>
      <Branch nodes={tree()} />
    </fieldset>
  );
}
