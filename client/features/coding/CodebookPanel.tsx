import { createMemo, createSignal, For, Show } from 'solid-js';
import { CODE_COLORS } from '../../../shared/model.ts';
import { formatNumber, t } from '../../i18n/index.ts';
import { flattenCodebook } from './code-list.ts';
import { isProvisional, type CodeWithCount } from './coding-state.ts';

/** The codebook as a tree with each code's number of codings, and a form to add a code. */
export function CodebookPanel(props: {
  codes: readonly CodeWithCount[];
  canEdit: boolean;
  onCreate: (input: { name: string; color: string; parentId: string | null }) => Promise<boolean>;
}) {
  const flat = createMemo(() => flattenCodebook(props.codes));
  const nextColor = () => CODE_COLORS[props.codes.length % CODE_COLORS.length] ?? '#4363d8';
  const [color, setColor] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const parent = String(data.get('parentId') ?? '');
    setBusy(true);
    const ok = await props.onCreate({
      name: String(data.get('name') ?? ''),
      color: String(data.get('color') ?? nextColor()),
      parentId: parent === '' ? null : parent,
    });
    setBusy(false);
    if (ok) {
      // Not form.reset(): it would blank the colour input, whose value is set as a property.
      (form.elements.namedItem('name') as HTMLInputElement).value = '';
      setColor(undefined);
    }
  };

  return (
    <section class="codebook" aria-labelledby="codebook-title">
      <h2 id="codebook-title">{t('codebook.title')}</h2>
      <Show when={flat().length > 0} fallback={<p class="muted">{t('codebook.empty')}</p>}>
        <ul class="code-tree">
          <For each={flat()}>
            {(item) => (
              <li
                class="code-item"
                classList={{ provisional: isProvisional(item.code.id) }}
                data-code-id={item.code.id}
                style={{ 'padding-left': `${item.depth * 1.25}rem` }}
              >
                <span class="swatch" style={{ 'background-color': item.code.color }} />
                <span class="code-name">{item.code.name}</span>
                <span class="count" title={t('codebook.countLabel', { count: item.code.codings })}>
                  {formatNumber(item.code.codings)}
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.canEdit}>
        <form class="stack code-form" onSubmit={(e) => void submit(e)}>
          <h3>{t('codebook.new')}</h3>
          <label class="field">
            <span>{t('codebook.name')}</span>
            <input name="name" required maxLength={200} autocomplete="off" />
          </label>
          <div class="field-row">
            <label class="field color-field">
              <span>{t('codebook.color')}</span>
              <input
                name="color"
                type="color"
                value={color() ?? nextColor()}
                onInput={(e) => setColor(e.currentTarget.value)}
              />
            </label>
            <label class="field grow">
              <span>{t('codebook.parent')}</span>
              <select name="parentId">
                <option value="">{t('codebook.noParent')}</option>
                <For each={flat().filter((item) => !isProvisional(item.code.id))}>
                  {(item) => <option value={item.code.id}>{`${'  '.repeat(item.depth)}${item.path}`}</option>}
                </For>
              </select>
            </label>
          </div>
          <button type="submit" class="primary" disabled={busy()}>
            {t('codebook.create')}
          </button>
        </form>
      </Show>
    </section>
  );
}
