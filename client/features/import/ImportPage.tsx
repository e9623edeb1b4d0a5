import { A, useParams } from '@solidjs/router';
import { createResource, For, Match, Show, Switch } from 'solid-js';
import { ApiError, api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { errorMessage, formatNumber, t, type MessageKey } from '../../i18n/index.ts';
import { DropZone } from './DropZone.tsx';
import { createUploadBatches, type Batch, type FileOutcome } from './upload-batches.ts';
import './import.css';

const ENCODINGS: Readonly<Record<string, MessageKey>> = {
  'utf-8': 'encoding.utf-8',
  'utf-8-bom': 'encoding.utf-8-bom',
  'utf-16le': 'encoding.utf-16le',
  'utf-16be': 'encoding.utf-16be',
  'windows-1252': 'encoding.windows-1252',
  pdf: 'encoding.pdf',
};

/** How the server decoded a file, in words (« Windows-1252 », « texte du PDF »). */
export function encodingName(encoding: string): string {
  const key = ENCODINGS[encoding];
  return key ? t(key) : encoding;
}

/** Bytes in kB or MB, in the user's language. */
function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024)
    return t('import.kilobytes', { size: formatNumber(Math.max(1, Math.round(bytes / 1024))) });
  return t('import.megabytes', { size: formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10) });
}

/** The import of a study's transcripts: drop many files at once, follow each batch, read each file's fate. */
export default function ImportPage() {
  const params = useParams<{ projectId: string }>();
  const [project] = createResource(
    () => params.projectId,
    async (projectId) => unwrap(api.projects[':projectId'].$get({ param: { projectId } })),
  );
  const { batches, send } = createUploadBatches(() => params.projectId);
  const isLead = () => project()?.role === 'lead';

  return (
    <div class="page">
      <ErrorAlert error={project.error} />
      <header class="page-header">
        <A class="back-link" href={`/projects/${params.projectId}`}>
          ← {project()?.name ?? t('import.backToProject')}
        </A>
        <h1>{t('import.title')}</h1>
        <p class="lead-text">{t('import.intro')}</p>
      </header>
      <Show when={project()}>
        <Show when={isLead()} fallback={<p class="notice">{t('import.leadsOnly')}</p>}>
          <DropZone onFiles={(files) => void send(files)} />
        </Show>
      </Show>
      <Show when={batches.length > 0}>
        <section class="batches" aria-labelledby="batches-title">
          <h2 id="batches-title">{t('import.batchesTitle')}</h2>
          <For each={batches}>{(batch) => <BatchView batch={batch} projectId={params.projectId} />}</For>
        </section>
      </Show>
    </div>
  );
}

function BatchView(props: { batch: Batch; projectId: string }) {
  const percent = () =>
    props.batch.progress.total === 0
      ? props.batch.state === 'sending'
        ? 0
        : 100
      : Math.round((props.batch.progress.loaded / props.batch.progress.total) * 100);
  const titleId = () => `batch-${props.batch.id}`;
  const okCount = () => props.batch.outcomes.filter((o) => o.ok).length;
  const failedCount = () => props.batch.outcomes.filter((o) => !o.ok).length;
  return (
    <article class="card batch" aria-labelledby={titleId()} data-batch={props.batch.id}>
      <h3 id={titleId()}>
        {t('import.batchTitle', { number: props.batch.id, count: props.batch.files.length })}
      </h3>
      <div class="progress-row">
        <div
          class="progress"
          role="progressbar"
          aria-labelledby={titleId()}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent()}
          aria-valuetext={t('import.progressText', {
            percent: percent(),
            size: formatSize(props.batch.progress.total),
          })}
        >
          <div class="progress-bar" style={{ width: `${percent()}%` }} />
        </div>
        <span class="small muted progress-label">
          <Switch>
            <Match when={props.batch.state === 'sending' && percent() < 100}>
              {t('import.sending', { percent: percent() })}
            </Match>
            <Match when={props.batch.state === 'sending'}>{t('import.reading')}</Match>
            <Match when={true}>{t('import.summary', { ok: okCount(), failed: failedCount() })}</Match>
          </Switch>
        </span>
      </div>
      <div aria-live="polite">
        <Show when={props.batch.error}>{(error) => <ErrorAlert error={error()} />}</Show>
        <Show when={props.batch.outcomes.length > 0}>
          <ul class="outcomes">
            <For each={props.batch.outcomes}>
              {(outcome) => <OutcomeView outcome={outcome} projectId={props.projectId} />}
            </For>
          </ul>
        </Show>
      </div>
    </article>
  );
}

function OutcomeView(props: { outcome: FileOutcome; projectId: string }) {
  return (
    <Show
      when={props.outcome.ok ? props.outcome : undefined}
      fallback={
        <li class="failed" data-file={props.outcome.file}>
          <span class="outcome-mark" aria-hidden="true">
            ✗
          </span>
          <span>
            <strong>{props.outcome.file}</strong>
            {' — '}
            {t('import.refused', {
              message: props.outcome.ok
                ? ''
                : errorMessage(new ApiError(0, props.outcome.code, props.outcome.message)),
            })}
          </span>
        </li>
      }
    >
      {(ok) => (
        <li class="ok" data-file={ok().file}>
          <span class="outcome-mark" aria-hidden="true">
            ✓
          </span>
          <span>
            <A href={`/projects/${props.projectId}/documents/${ok().document.id}`}>{ok().file}</A>
            {' — '}
            {t('import.imported', {
              turns: ok().document.turnCount,
              encoding: encodingName(ok().document.encoding),
            })}
          </span>
        </li>
      )}
    </Show>
  );
}
