import { createSignal, For } from 'solid-js';
import { CODE_COLORS } from '../../../shared/model.ts';
import { t } from '../../i18n/index.ts';
import { isProvisional } from '../coding/live-changes.ts';
import type { NewCodeInput } from './codebook-actions.ts';
import type { CodeWithCount, FlatCode } from './code-tree.ts';

/** The form that adds a code: name, colour (the next of the palette by default), parent. */
export function NewCodeForm(props: {
  codes: readonly CodeWithCount[];
  flat: readonly FlatCode[];
  onCreate: (input: NewCodeInput) => Promise<boolean>;
}) {
  const [color, setColor] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const nextColor = () => CODE_COLORS[props.codes.length % CODE_COLORS.length] ?? '#4363d8';

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
            <For each={props.flat.filter((item) => !isProvisional(item.code.id))}>
              {(item) => <option value={item.code.id}>{`${'  '.repeat(item.depth)}${item.path}`}</option>}
            </For>
          </select>
        </label>
      </div>
      <button type="submit" class="primary" disabled={busy()}>
        {t('codebook.create')}
      </button>
    </form>
  );
}
