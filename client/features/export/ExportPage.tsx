import { A, useParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { t } from '../../i18n/index.ts';
import { createExportState } from './export-state.ts';
import { ExportOptions } from './ExportOptions.tsx';
import { ExportPreview } from './ExportPreview.tsx';
import { PublicationCheck } from './PublicationCheck.tsx';
import { ReplacementEditor } from './ReplacementEditor.tsx';
import './export.css';

/** Export the coded testimony: the Word quote report and the codings tables, pseudonymised by default. */
export default function ExportPage() {
  const params = useParams<{ projectId: string }>();
  const state = createExportState(() => params.projectId);
  return (
    <div class="page wide">
      <header class="page-header">
        <A class="back-link" href={`/projects/${params.projectId}`}>
          ← {state.info()?.name ?? t('import.backToProject')}
        </A>
        <h1>{t('export.title')}</h1>
        <p class="lead-text">{t('export.intro')}</p>
      </header>
      <ErrorAlert
        error={state.info.error ?? state.codes.error ?? state.members.error ?? state.participants.error}
      />
      <div class="two-columns">
        <ExportOptions state={state} />
        <div class="stack">
          <section class="card stack" aria-labelledby="check-title">
            <h2 id="check-title">{t('check.title')}</h2>
            <Show
              when={state.choices.pseudonymise}
              fallback={<p class="muted">{t('check.pseudonymiseOff')}</p>}
            >
              <PublicationCheck
                projectId={params.projectId}
                query={state.query()}
                version={state.version()}
              />
            </Show>
          </section>
          <ExportPreview state={state} />
          <section class="card" aria-labelledby="replacements-title">
            <h2 id="replacements-title">{t('replacements.title')}</h2>
            <ReplacementEditor
              projectId={params.projectId}
              canEdit={state.isLead()}
              onSaved={() => state.setVersion((v) => v + 1)}
            />
          </section>
        </div>
      </div>
    </div>
  );
}
