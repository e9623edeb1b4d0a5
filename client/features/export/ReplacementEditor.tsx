import { createEffect, createResource, createSignal, For, on, Show } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { createSubmit } from '../../app/submit.ts';
import { t } from '../../i18n/index.ts';
import { REPLACEMENT_KINDS, type ReplacementKind } from '../../../shared/model.ts';
import { SuggestionList } from './SuggestionList.tsx';

interface Row {
  key: number;
  from: string;
  to: string;
  kind?: ReplacementKind | undefined;
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
  const [saved, setSaved] = createSignal(false);
  const { busy, error, setError, run } = createSubmit();
  let nextKey = 0;
  const row = (from: string, to: string, kind?: ReplacementKind): Row => {
    nextKey += 1;
    return { key: nextKey, from, to, kind };
  };
  createEffect(on(list, (current) => setRows((current ?? []).map((r) => row(r.from, r.to, r.kind)))));

  const addRow = () => {
    const added = row('', '');
    setRows(rows.length, added);
    setSaved(false);
    queueMicrotask(() => document.getElementById(`replacement-from-${added.key}`)?.focus());
  };
  /** Save the list as it stands, with `accepted` suggestions added at its end. */
  const persist = (accepted: readonly { from: string; to: string; kind: ReplacementKind }[] = []) => {
    const send = async () => {
      setSaved(false);
      const all = [...rows, ...accepted];
      await unwrap(
        project().replacements.$put({
          param: { projectId: props.projectId },
          json: {
            replacements: all.map((r) => ({
              from: r.from,
              to: r.to,
              ...(r.kind === undefined ? {} : { kind: r.kind }),
            })),
          },
        }),
      );
      setSaved(true);
      await refetch();
      if (props.canEdit) await refetchSuggestions();
      props.onSaved?.();
    };
    return run(send);
  };
  const save = (event: SubmitEvent) => {
    event.preventDefault();
    void persist();
  };

  return (
    <div class="stack">
      <p class="hint">{t('replacements.intro')}</p>
      <ErrorAlert error={list.error ?? suggestions.error} />
      <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
      <Show when={props.canEdit} fallback={<p class="muted small">{t('replacements.readOnly')}</p>}>
        <form class="stack" onSubmit={save}>
          <Show when={rows.length > 0} fallback={<p class="muted">{t('replacements.empty')}</p>}>
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
                        <select
                          aria-label={`${t('replacements.kind')} ${i() + 1}`}
                          value={r.kind ?? ''}
                          onChange={(e) => {
                            const value = e.currentTarget.value;
                            setRows(i(), 'kind', value === '' ? undefined : (value as ReplacementKind));
                            setSaved(false);
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
