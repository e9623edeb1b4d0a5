import { createEffect, createResource, createSignal, For, on, Show } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { t } from '../../i18n/index.ts';

interface Row {
  key: number;
  from: string;
  to: string;
}

/**
 * The project's replacement list (real name → replacement), edited by the lead and saved as a
 * whole, with suggestions of names found in the transcripts.
 */
export function ReplacementEditor(props: { projectId: string; canEdit: boolean; onSaved?: () => void }) {
  const project = () => api.projects[':projectId'];
  const [list, { refetch }] = createResource(
    () => props.projectId,
    async (projectId) => (await unwrap(project().replacements.$get({ param: { projectId } }))).replacements,
  );
  const [suggestions, { refetch: refetchSuggestions }] = createResource(
    () => (props.canEdit ? props.projectId : undefined),
    async (projectId) =>
      (await unwrap(project().replacements.suggestions.$get({ param: { projectId } }))).suggestions,
  );
  const [rows, setRows] = createStore<Row[]>([]);
  const [error, setError] = createSignal<unknown>();
  const [saved, setSaved] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  let nextKey = 0;
  const row = (from: string, to: string): Row => {
    nextKey += 1;
    return { key: nextKey, from, to };
  };
  createEffect(on(list, (current) => setRows((current ?? []).map((r) => row(r.from, r.to)))));

  const addRow = (from = '', to = '') => {
    const added = row(from, to);
    setRows(rows.length, added);
    setSaved(false);
    queueMicrotask(() =>
      document.getElementById(`replacement-${from === '' ? 'from' : 'to'}-${added.key}`)?.focus(),
    );
  };
  const listed = (name: string) =>
    rows.some((r) => r.from.trim().toLocaleLowerCase('fr') === name.toLocaleLowerCase('fr'));

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(false);
    try {
      await unwrap(
        project().replacements.$put({
          param: { projectId: props.projectId },
          json: { replacements: rows.map((r) => ({ from: r.from, to: r.to })) },
        }),
      );
      setSaved(true);
      await refetch();
      if (props.canEdit) await refetchSuggestions();
      props.onSaved?.();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="stack">
      <p class="hint">{t('replacements.intro')}</p>
      <ErrorAlert error={list.error ?? suggestions.error} />
      <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
      <Show when={props.canEdit} fallback={<p class="muted small">{t('replacements.readOnly')}</p>}>
        <form class="stack" onSubmit={(e) => void save(e)}>
          <Show when={rows.length > 0} fallback={<p class="muted">{t('replacements.empty')}</p>}>
            <table class="replacements-table">
              <thead>
                <tr>
                  <th scope="col">{t('replacements.from')}</th>
                  <th scope="col">{t('replacements.to')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('replacements.remove')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={rows}>
                  {(r, i) => (
                    <tr>
                      <td>
                        <input
                          id={`replacement-from-${r.key}`}
                          aria-label={`${t('replacements.from')} ${i() + 1}`}
                          value={r.from}
                          required
                          maxLength={200}
                          size={16}
                          autocomplete="off"
                          onInput={(e) => {
                            setRows(i(), 'from', e.currentTarget.value);
                            setSaved(false);
                          }}
                        />
                      </td>
                      <td>
                        <input
                          id={`replacement-to-${r.key}`}
                          aria-label={`${t('replacements.to')} ${i() + 1}`}
                          value={r.to}
                          required
                          maxLength={200}
                          size={16}
                          autocomplete="off"
                          onInput={(e) => {
                            setRows(i(), 'to', e.currentTarget.value);
                            setSaved(false);
                          }}
                        />
                      </td>
                      <td>
                        <button
                          type="button"
                          class="small-button danger"
                          aria-label={t('replacements.removeLabel', { name: r.from || '…' })}
                          onClick={() => {
                            setRows(produce((all) => all.splice(i(), 1)));
                            setSaved(false);
                          }}
                        >
                          {t('replacements.remove')}
                        </button>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
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
        <section class="stack" aria-labelledby="suggestions-title">
          <h3 id="suggestions-title">{t('replacements.suggestions')}</h3>
          <p class="hint">{t('replacements.suggestionsHint')}</p>
          <Show
            when={(suggestions() ?? []).length > 0}
            fallback={
              <p class="muted small">
                {suggestions.loading ? t('app.loading') : t('replacements.noSuggestions')}
              </p>
            }
          >
            <ul class="suggestion-list">
              <For each={suggestions()}>
                {(s) => (
                  <li>
                    <span>{s.from}</span>{' '}
                    <span class="muted small">
                      ({t('replacements.suggestionCount', { count: s.count })}
                      {s.to ? ` → ${s.to}` : ''})
                    </span>{' '}
                    <button
                      type="button"
                      class="small-button"
                      disabled={listed(s.from)}
                      aria-label={t('replacements.addSuggestionLabel', { name: s.from })}
                      onClick={() => addRow(s.from, s.to ?? '')}
                    >
                      {t('replacements.addSuggestion')}
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
      </Show>
    </div>
  );
}
