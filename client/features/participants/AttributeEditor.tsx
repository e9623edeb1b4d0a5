import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import { t } from '../../i18n/index.ts';
import type { AttributeType } from '../../../shared/model.ts';
import type { AttributeDraft, ParticipantsState } from './participants-state.ts';
import './participants.css';

const TYPES: readonly AttributeType[] = ['text', 'number', 'date', 'choice'];
const PUBLISH: readonly AttributeDraft['publish'][] = ['auto', 'yes', 'no'];

/**
 * The attribute definitions as drafts, started again from the server's list each time it changes
 * (after a save or a CSV import); `onEdit` runs when a row is added.
 */
function createAttributeDrafts(state: () => ParticipantsState, onEdit: () => void) {
  const [drafts, setDrafts] = createStore<AttributeDraft[]>([]);
  let nextKey = 0;

  const reset = () => {
    const defs = state().view()?.attributes ?? [];
    setDrafts(
      defs.map((d) => {
        nextKey += 1;
        return {
          key: nextKey,
          originalName: d.name,
          name: d.name,
          type: d.type,
          choices: d.choices.join('; '),
          publish: d.publish === undefined ? 'auto' : d.publish ? 'yes' : 'no',
        } satisfies AttributeDraft;
      }),
    );
  };
  // Start again from the server's list each time it changes (after a save or a CSV import).
  createEffect(on(() => state().view()?.attributes, reset));

  const addRow = () => {
    nextKey += 1;
    setDrafts(drafts.length, {
      key: nextKey,
      originalName: undefined,
      name: '',
      type: 'text',
      choices: '',
      publish: 'auto',
    });
    onEdit();
    queueMicrotask(() => document.getElementById(`attribute-name-${nextKey}`)?.focus());
  };
  return { drafts, setDrafts, reset, addRow };
}

/**
 * The attributes participants can carry (« type de structure », « taille »…): add, rename, retype
 * and remove them, then save the whole list at once.
 */
export function AttributeEditor(props: { state: ParticipantsState }) {
  const [busy, setBusy] = createSignal(false);
  const [saved, setSaved] = createSignal(false);
  const { drafts, setDrafts, reset, addRow } = createAttributeDrafts(
    () => props.state,
    () => setSaved(false),
  );

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    const ok = await props.state.saveAttributes(drafts);
    setBusy(false);
    setSaved(ok);
  };

  return (
    <form class="attribute-editor stack" onSubmit={(e) => void submit(e)}>
      <Show when={drafts.length > 0} fallback={<p class="muted">{t('attributes.empty')}</p>}>
        <ul class="attribute-rows">
          <For each={drafts}>
            {(draft, i) => (
              <AttributeDraftRow
                draft={draft}
                onEdit={(field, value) => {
                  setDrafts(i(), field, value);
                  setSaved(false);
                }}
                onRemove={() => {
                  setDrafts(produce((list) => list.splice(i(), 1)));
                  setSaved(false);
                }}
              />
            )}
          </For>
        </ul>
        <small class="hint" id="choices-hint">
          {t('attributes.choicesHint')}
        </small>
        <small class="hint" id="publish-hint">
          {t('attributes.publishHint')}
        </small>
      </Show>
      <div class="button-row">
        <button type="button" onClick={addRow}>
          {t('attributes.add')}
        </button>
        <button type="submit" class="primary" disabled={busy()}>
          {t('attributes.save')}
        </button>
        <button type="button" class="link-button" onClick={reset}>
          {t('attributes.reset')}
        </button>
      </div>
      <p class="small" role="status">
        {saved() ? t('attributes.saved') : ''}
      </p>
      <p class="hint">{t('attributes.removeWarning')}</p>
    </form>
  );
}

/** One attribute being edited: its name, type, whether exports may cite it, its choices. */
function AttributeDraftRow(props: {
  draft: AttributeDraft;
  onEdit: <K extends 'name' | 'type' | 'publish' | 'choices'>(field: K, value: AttributeDraft[K]) => void;
  onRemove: () => void;
}) {
  return (
    <li class="attribute-row">
      <label class="field grow">
        <span>{t('attributes.name')}</span>
        <input
          id={`attribute-name-${props.draft.key}`}
          value={props.draft.name}
          required
          maxLength={200}
          autocomplete="off"
          onInput={(e) => props.onEdit('name', e.currentTarget.value)}
        />
      </label>
      <label class="field">
        <span id={`attribute-type-${props.draft.key}`}>{t('attributes.type')}</span>
        <select
          aria-labelledby={`attribute-type-${props.draft.key}`}
          value={props.draft.type}
          onChange={(e) => props.onEdit('type', e.currentTarget.value as AttributeType)}
        >
          <For each={TYPES}>{(type) => <option value={type}>{t(`attributes.type.${type}`)}</option>}</For>
        </select>
      </label>
      <label class="field">
        <span id={`attribute-publish-${props.draft.key}`}>{t('attributes.publish')}</span>
        <select
          aria-labelledby={`attribute-publish-${props.draft.key}`}
          aria-describedby="publish-hint"
          value={props.draft.publish}
          onChange={(e) => props.onEdit('publish', e.currentTarget.value as AttributeDraft['publish'])}
        >
          <For each={PUBLISH}>
            {(choice) => <option value={choice}>{t(`attributes.publish.${choice}`)}</option>}
          </For>
        </select>
      </label>
      <Show when={props.draft.type === 'choice'}>
        <label class="field grow">
          <span>{t('attributes.choices')}</span>
          <input
            value={props.draft.choices}
            required
            autocomplete="off"
            aria-describedby="choices-hint"
            onInput={(e) => props.onEdit('choices', e.currentTarget.value)}
          />
        </label>
      </Show>
      <button
        type="button"
        class="small-button danger"
        aria-label={t('attributes.removeLabel', { name: props.draft.name || t('attributes.unnamed') })}
        onClick={() => props.onRemove()}
      >
        {t('attributes.remove')}
      </button>
    </li>
  );
}
