import { createSignal, For, Show } from 'solid-js';
import { ApiError, api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { chosenFile, createSubmit } from '../../app/submit.ts';
import { t } from '../../i18n/index.ts';

interface CodebookImportReport {
  created: number;
  existing: number;
  errors: { row: number; message: string }[];
}

function isRowErrors(value: unknown): value is { row: number; message: string }[] {
  return (
    Array.isArray(value) &&
    value.every(
      (e) =>
        typeof e === 'object' && e !== null && typeof e.row === 'number' && typeof e.message === 'string',
    )
  );
}

/** The rows the server found unreadable, when it refused the whole file (`error.details.errors`). */
function rowErrorsOf(error: unknown): { row: number; message: string }[] {
  if (!(error instanceof ApiError) || typeof error.body !== 'object' || error.body === null) return [];
  const details = (error.body as { error?: { details?: { errors?: unknown } } }).error?.details?.errors;
  return isRowErrors(details) ? details : [];
}

/**
 * The codebook as a CSV file (code, parent, couleur, description): everyone can download it, leads
 * can import one, e.g. a codebook prepared in a spreadsheet or taken from another study.
 */
export function CodebookTransferPanel(props: { projectId: string; canImport: boolean }) {
  const [report, setReport] = createSignal<CodebookImportReport>();
  const { busy, error, setError, submitForm } = createSubmit();
  const exportUrl = () =>
    api.projects[':projectId'].codes['export.csv'].$url({ param: { projectId: props.projectId } }).pathname;

  const submit = async (form: HTMLFormElement) => {
    const chosen = chosenFile(form);
    if (!chosen) return;
    setReport(undefined);
    setReport(
      await unwrap(
        api.projects[':projectId'].codes.import.$post(
          { param: { projectId: props.projectId } },
          { init: { body: chosen.body } },
        ),
      ),
    );
    form.reset();
  };

  return (
    <section class="card panel" aria-labelledby="codebook-transfer-title">
      <h2 id="codebook-transfer-title">{t('codebookCsv.title')}</h2>
      <p>
        <a href={exportUrl()} download="codebook.csv">
          {t('codebookCsv.export')}
        </a>
      </p>
      <p>
        {t('refi.exportIntro')}{' '}
        <a href={`/api/projects/${props.projectId}/exports/codebook.qdc`} download="codebook.qdc">
          {t('refi.exportCodebook')}
        </a>
        <Show when={props.canImport}>
          {' '}
          ·{' '}
          <a href={`/api/projects/${props.projectId}/exports/project.qdpx`} download="projet.qdpx">
            {t('refi.exportProject')}
          </a>{' '}
          <span class="hint">{t('refi.exportProjectNote')}</span>
        </Show>
      </p>
      <Show when={props.canImport}>
        <form class="stack" onSubmit={(event) => void submitForm(event, submit)}>
          <label class="field">
            <span>{t('codebookCsv.file')}</span>
            <input
              name="file"
              type="file"
              accept=".csv,.tsv,.txt,.qdc"
              required
              aria-describedby="codebook-csv-hint"
            />
            <small class="hint" id="codebook-csv-hint">
              {t('codebookCsv.hint')}
            </small>
          </label>
          <button type="submit" disabled={busy()}>
            {t('codebookCsv.import')}
          </button>
          <ImportOutcome error={error()} onDismiss={() => setError(undefined)} report={report()} />
        </form>
      </Show>
    </section>
  );
}

/** What the import said: its error (with the rows refused), or what it created and the rows skipped. */
function ImportOutcome(props: {
  error: unknown;
  onDismiss: () => void;
  report: CodebookImportReport | undefined;
}) {
  return (
    <div aria-live="polite">
      <ErrorAlert error={props.error} onDismiss={() => props.onDismiss()} />
      <Show when={rowErrorsOf(props.error).length > 0}>
        <ul class="row-errors">
          <For each={rowErrorsOf(props.error)}>
            {(e) => <li>{t('participants.rowError', { row: e.row, message: e.message })}</li>}
          </For>
        </ul>
      </Show>
      <Show when={props.report}>
        {(current) => (
          <>
            <p class="notice">
              {t('codebookCsv.report', { created: current().created, existing: current().existing })}
            </p>
            <Show when={current().errors.length > 0}>
              <div class="alert" role="alert">
                <ul>
                  <For each={current().errors}>
                    {(e) => <li>{t('participants.rowError', { row: e.row, message: e.message })}</li>}
                  </For>
                </ul>
              </div>
            </Show>
          </>
        )}
      </Show>
    </div>
  );
}
