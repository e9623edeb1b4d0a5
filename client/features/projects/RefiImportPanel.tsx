import { A, useNavigate } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { chosenFile, createSubmit } from '../../app/submit.ts';
import { t } from '../../i18n/index.ts';

/**
 * Open a project exported by NVivo, ATLAS.ti, MAXQDA, QualCoder or Verbatim itself (REFI-QDA
 * .qdpx): it becomes a new project, with the caller as lead.
 */
export function RefiImportPanel() {
  const navigate = useNavigate();
  const { busy, error, setError, submitForm } = createSubmit();
  const [warnings, setWarnings] = createSignal<readonly string[]>([]);
  const [coders, setCoders] = createSignal<readonly { name: string; codings: number }[]>([]);
  const [imported, setImported] = createSignal<string>();
  const submit = async (form: HTMLFormElement) => {
    const chosen = chosenFile(form);
    if (!chosen) return;
    setWarnings([]);
    setCoders([]);
    setImported(undefined);
    const result = await unwrap(api.projects.import.$post({}, { init: { body: chosen.body } }));
    setWarnings(result.report.warnings);
    setCoders(result.report.coders);
    // Straight to the project, unless there is something to read first.
    if (result.report.warnings.length === 0 && result.report.coders.length === 0)
      navigate(`/projects/${result.project.id}`);
    else setImported(result.project.id);
  };
  return (
    <section class="card" aria-labelledby="refi-import-title">
      <h2 id="refi-import-title">{t('refi.importTitle')}</h2>
      <p class="muted small">{t('refi.importHint')}</p>
      <form class="stack" onSubmit={(event) => void submitForm(event, submit)}>
        <label class="field">
          <span>{t('refi.file')}</span>
          <input name="file" type="file" accept=".qdpx,.zip" required />
        </label>
        <button type="submit" disabled={busy()}>
          {busy() ? t('refi.importing') : t('refi.import')}
        </button>
        <div aria-live="polite">
          <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
          <Show when={coders().length > 0}>
            <p role="status">{t('refi.codersKept')}</p>
            <ul>
              <For each={coders()}>
                {(coder) => <li>{t('refi.coderCount', { name: coder.name, count: coder.codings })}</li>}
              </For>
            </ul>
          </Show>
          <Show when={warnings().length > 0}>
            <p role="status">{t('refi.importedWithWarnings')}</p>
            <ul>
              <For each={warnings()}>{(w) => <li>{w}</li>}</For>
            </ul>
          </Show>
          <Show when={imported()}>
            {(id) => (
              <A class="button-link primary" href={`/projects/${id()}`}>
                {t('refi.openImported')}
              </A>
            )}
          </Show>
        </div>
      </form>
    </section>
  );
}
