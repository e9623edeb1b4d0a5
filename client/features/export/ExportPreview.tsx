import { Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import type { ExportState } from './export-state.ts';

/** What the report will hold with the current choices, and the buttons that download each file. */
export function ExportPreview(props: { state: ExportState }) {
  const state = () => props.state;
  return (
    <section class="card stack" aria-labelledby="export-preview-title">
      <h2 id="export-preview-title">{t('export.preview')}</h2>
      <ErrorAlert error={state().preview.error} />
      <p role="status" data-testid="export-preview">
        <Show when={state().preview()} fallback={t('export.previewLoading')}>
          {(p) => (
            <span>
              {t('export.previewCounts', {
                themes: formatNumber(p().themes),
                quotes: formatNumber(p().quotes),
                passages: formatNumber(p().passages),
                participants: formatNumber(p().participants),
              })}
            </span>
          )}
        </Show>
      </p>
      <h3>{t('export.download')}</h3>
      <div class="button-row">
        <button
          type="button"
          class="primary"
          disabled={!!state().progress()}
          onClick={() => void state().download('report.docx')}
        >
          {t('export.downloadDocx')}
        </button>
        <button
          type="button"
          disabled={!!state().progress()}
          onClick={() => void state().download('codings.csv')}
        >
          {t('export.downloadCsv')}
        </button>
        <button
          type="button"
          disabled={!!state().progress()}
          onClick={() => void state().download('codings.xlsx')}
        >
          {t('export.downloadXlsx')}
        </button>
      </div>
      <Show when={state().progress()}>
        {(p) => (
          <div class="stack">
            <label for="export-progress">{t('export.downloading', { file: p().file })}</label>
            <Show
              when={p().at.total}
              fallback={
                <progress id="export-progress" aria-valuetext={`${formatNumber(p().at.received)} o`} />
              }
            >
              {(total) => <progress id="export-progress" max={total()} value={p().at.received} />}
            </Show>
          </div>
        )}
      </Show>
      <p class="small" role="status">
        {state().done()}
      </p>
      <ErrorAlert error={state().error()} onDismiss={() => state().setError(undefined)} />
    </section>
  );
}
