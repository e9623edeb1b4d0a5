import { createSignal, For, Show } from 'solid-js';
import { chosenFile, createSubmit } from '../../app/submit.ts';
import { t } from '../../i18n/index.ts';
import type { ParticipantImportReport } from '../../../shared/participants.ts';
import type { ParticipantsState } from './participants-state.ts';
import './participants.css';

/**
 * Import a participants table (.csv): one row per participant, a file column linking documents,
 * every other column an attribute. Shows what was created, updated and linked, and each bad row.
 */
export function ParticipantImport(props: { state: ParticipantsState; onImported: () => void }) {
  const [report, setReport] = createSignal<ParticipantImportReport>();
  // A refusal is the participants state's error, shown by the page.
  const { busy, submitForm } = createSubmit();

  const submit = async (form: HTMLFormElement) => {
    const chosen = chosenFile(form);
    if (!chosen) return;
    setReport(undefined);
    const result = await props.state.importCsv(chosen.file);
    if (result) {
      setReport(result);
      form.reset();
      props.onImported();
    }
  };

  return (
    <form class="stack" onSubmit={(event) => void submitForm(event, submit)}>
      <label class="field">
        <span>{t('participants.importFile')}</span>
        <input
          name="file"
          type="file"
          accept=".csv,.tsv,.txt"
          required
          aria-describedby="participants-csv-hint"
        />
        <small class="hint" id="participants-csv-hint">
          {t('participants.importHint')}
        </small>
      </label>
      <button type="submit" class="primary" disabled={busy()}>
        {busy() ? t('participants.importing') : t('participants.import')}
      </button>
      <div aria-live="polite">
        <Show when={report()}>
          {(current) => (
            <div class="import-report" data-testid="participants-report">
              <p class="notice">
                {t('participants.report', {
                  created: current().created,
                  updated: current().updated,
                  linked: current().linked,
                })}
                <Show when={current().attributesAdded.length > 0}>
                  {' '}
                  {t('participants.reportAttributes', { names: current().attributesAdded.join(', ') })}
                </Show>
              </p>
              <Show when={current().errors.length > 0}>
                <div class="alert" role="alert">
                  <div>
                    <p>{t('participants.reportErrors', { count: current().errors.length })}</p>
                    <ul>
                      <For each={current().errors}>
                        {(error) => (
                          <li>{t('participants.rowError', { row: error.row, message: error.message })}</li>
                        )}
                      </For>
                    </ul>
                  </div>
                </div>
              </Show>
            </div>
          )}
        </Show>
      </div>
    </form>
  );
}
