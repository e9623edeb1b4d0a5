import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { ApiError, api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { errorMessage, formatNumber, t } from '../../i18n/index.ts';

interface FileOutcome {
  file: string;
  ok: boolean;
  message: string;
}

interface FileError {
  file: string;
  code: string;
  message: string;
}

function fileErrorsOf(body: unknown): FileError[] {
  if (typeof body !== 'object' || body === null || !('errors' in body)) return [];
  const errors = (body as { errors: unknown }).errors;
  return Array.isArray(errors) ? (errors as FileError[]) : [];
}

/** The project's documents, and for leads the import of transcript files. */
export function DocumentsPanel(props: { projectId: string; canUpload: boolean }) {
  const [documents, { refetch }] = createResource(
    () => props.projectId,
    async (projectId) =>
      (await unwrap(api.projects[':projectId'].documents.$get({ param: { projectId } }))).documents,
  );
  const [outcomes, setOutcomes] = createSignal<FileOutcome[]>([]);
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);

  const upload = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const input = form.elements.namedItem('file') as HTMLInputElement;
    const files = [...(input.files ?? [])];
    if (files.length === 0) return;
    const body = new FormData();
    for (const file of files) body.append('file', file, file.name);
    setBusy(true);
    setError(undefined);
    setOutcomes([]);
    const describe = (
      imported: { name: string; turnCount: number }[],
      errors: FileError[],
    ): FileOutcome[] => [
      ...imported.map((d) => ({
        file: d.name,
        ok: true,
        message: t('documents.imported', { name: d.name, turns: d.turnCount }),
      })),
      ...errors.map((e) => ({
        file: e.file,
        ok: false,
        message: t('documents.failed', {
          name: e.file,
          message: errorMessage(new ApiError(0, e.code, e.message)),
        }),
      })),
    ];
    try {
      const result = await unwrap(
        api.projects[':projectId'].documents.$post(
          { param: { projectId: props.projectId } },
          { init: { body } },
        ),
      );
      setOutcomes(describe(result.documents, result.errors));
      form.reset();
      void refetch();
    } catch (failure) {
      const perFile = failure instanceof ApiError ? fileErrorsOf(failure.body) : [];
      if (perFile.length > 0) setOutcomes(describe([], perFile));
      else setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card panel" aria-labelledby="documents-title">
      <h2 id="documents-title">{t('documents.title')}</h2>
      <ErrorAlert error={documents.error} />
      <Show when={documents()} fallback={<p class="muted">{t('app.loading')}</p>}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="muted">{t('documents.empty')}</p>}>
            <ul class="document-list">
              <For each={list()}>
                {(document) => (
                  <li>
                    <A href={`/projects/${props.projectId}/documents/${document.id}`}>{document.name}</A>
                    <span class="muted small">
                      {t('documents.meta', {
                        length: formatNumber(document.length),
                        turns: document.turnCount,
                        codings: document.codings,
                      })}
                    </span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>

      <Show when={props.canUpload}>
        <form class="stack upload-form" onSubmit={(e) => void upload(e)}>
          <h3>{t('documents.upload')}</h3>
          <label class="field">
            <span>{t('documents.files')}</span>
            <input name="file" type="file" multiple required aria-describedby="upload-hint" />
            <small class="hint" id="upload-hint">
              {t('documents.uploadHint')}
            </small>
          </label>
          <button type="submit" class="primary" disabled={busy()}>
            {busy() ? t('documents.sending') : t('documents.send')}
          </button>
          <ErrorAlert error={error()} />
          <Show when={outcomes().length > 0}>
            <ul class="outcomes" aria-live="polite">
              <For each={outcomes()}>
                {(outcome) => (
                  <li
                    classList={{ ok: outcome.ok, failed: !outcome.ok }}
                    role={outcome.ok ? undefined : 'alert'}
                  >
                    <span aria-hidden="true">{outcome.ok ? '✓ ' : '✗ '}</span>
                    {outcome.message}
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </form>
      </Show>
    </section>
  );
}
