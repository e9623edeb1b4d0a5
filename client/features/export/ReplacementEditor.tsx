import { For, Show } from 'solid-js';
import { produce } from 'solid-js/store';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { t } from '../../i18n/index.ts';
import { REPLACEMENT_KINDS, type ReplacementKind } from '../../../shared/model.ts';
import { createReplacements, type Replacements, type Row } from './replacements-state.ts';
import { SuggestionList } from './SuggestionList.tsx';

/**
 * The project's replacement list (real name → replacement), edited by the lead and saved as a
 * whole, with suggestions of names found in the transcripts.
 */
export function ReplacementEditor(props: { projectId: string; canEdit: boolean; onSaved?: () => void }) {
  const state = createReplacements(props);
  const { rows, saved, busy, error, setError, addRow, persist, save, list, suggestions } = state;

  return (
    <div class="stack">
      <p class="hint">{t('replacements.intro')}</p>
      <ErrorAlert error={list.error ?? suggestions.error} />
      <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
      <Show when={props.canEdit} fallback={<p class="muted small">{t('replacements.readOnly')}</p>}>
        <form class="stack" onSubmit={save}>
          <Show when={rows.length > 0} fallback={<p class="muted">{t('replacements.empty')}</p>}>
            <ReplacementTable state={state} />
          </Show>
          <div class="button-row">
            <button type="button" onClick={() => addRow()}>
              {t('replacements.add')}
            </button>
            <button type="submit" class="primary" disabled={busy()}>
              {t('replacements.save')}
            </button>
          </div>
          <p class="small" role="status">
            {saved() ? t('replacements.saved') : ''}
          </p>
        </form>
        <SuggestionList
          suggestions={suggestions()}
          loading={suggestions.loading}
          busy={busy()}
          onAccept={(accepted) => void persist(accepted)}
        />
      </Show>
    </div>
  );
}

/** The rows of the list: a real name, its replacement, its kind. */
function ReplacementTable(props: { state: Replacements }) {
  const state = () => props.state;
  return (
    <table class="replacements-table">
      <thead>
        <tr>
          <th scope="col">{t('replacements.from')}</th>
          <th scope="col">{t('replacements.to')}</th>
          <th scope="col">{t('replacements.kind')}</th>
          <th scope="col">
            <span class="visually-hidden">{t('replacements.remove')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        <For each={state().rows}>
          {(r, i) => (
            <ReplacementRow
              row={r}
              index={i()}
              onEdit={(field, value) => {
                state().setRows(i(), field, value);
                state().setSaved(false);
              }}
              onRemove={() => {
                state().setRows(produce((all) => all.splice(i(), 1)));
                state().setSaved(false);
              }}
            />
          )}
        </For>
      </tbody>
    </table>
  );
}

/** One replacement being edited. */
function ReplacementRow(props: {
  row: Row;
  index: number;
  onEdit: <K extends 'from' | 'to' | 'kind'>(field: K, value: Row[K]) => void;
  onRemove: () => void;
}) {
  return (
    <tr>
      <td>
        <input
          id={`replacement-from-${props.row.key}`}
          aria-label={`${t('replacements.from')} ${props.index + 1}`}
          value={props.row.from}
          required
          maxLength={200}
          size={16}
          autocomplete="off"
          onInput={(e) => props.onEdit('from', e.currentTarget.value)}
        />
      </td>
      <td>
        <input
          id={`replacement-to-${props.row.key}`}
          aria-label={`${t('replacements.to')} ${props.index + 1}`}
          value={props.row.to}
          required
          maxLength={200}
          size={16}
          autocomplete="off"
          onInput={(e) => props.onEdit('to', e.currentTarget.value)}
        />
      </td>
      <td>
        <select
          aria-label={`${t('replacements.kind')} ${props.index + 1}`}
          value={props.row.kind ?? ''}
          onChange={(e) => {
            const value = e.currentTarget.value;
            props.onEdit('kind', value === '' ? undefined : (value as ReplacementKind));
          }}
        >
          <option value="">{t('replacements.kind.none')}</option>
          <For each={REPLACEMENT_KINDS}>
            {(kind) => <option value={kind}>{t(`replacements.kind.${kind}`)}</option>}
          </For>
        </select>
      </td>
      <td>
        <button
          type="button"
          class="small-button danger"
          aria-label={t('replacements.removeLabel', { name: props.row.from || '…' })}
          onClick={() => props.onRemove()}
        >
          {t('replacements.remove')}
        </button>
      </td>
    </tr>
  );
}
