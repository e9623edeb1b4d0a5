import { A } from '@solidjs/router';
import { Index, Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { t } from '../../i18n/index.ts';
import { EraseDialog } from '../privacy/EraseDialog.tsx';
import { DocumentItem } from './DocumentItem.tsx';
import { createDocumentsState } from './documents-state.ts';
import './projects.css';

/**
 * The project's documents, each with the participant interviewed in it. Leads link a document to
 * a participant here, and reach the import page.
 */
export function DocumentsPanel(props: { projectId: string; canManage: boolean }) {
  const state = createDocumentsState(() => props.projectId);
  return (
    <section class="card panel" aria-labelledby="documents-title">
      <div class="panel-head">
        <h2 id="documents-title">{t('documents.title')}</h2>
        <Show when={props.canManage}>
          <A class="button-link primary" href={`/projects/${props.projectId}/import`}>
            {t('documents.import')}
          </A>
        </Show>
      </div>
      <ErrorAlert error={state.documents.error ?? state.participants.error} />
      <ErrorAlert error={state.error()} onDismiss={() => state.setError(undefined)} />
      <Show when={state.documents()} fallback={<p class="muted">{t('app.loading')}</p>}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="muted">{t('documents.empty')}</p>}>
            <ul class="document-list">
              <Index each={list()}>
                {(document) => (
                  <DocumentItem
                    state={state}
                    document={document}
                    projectId={props.projectId}
                    canManage={props.canManage}
                  />
                )}
              </Index>
            </ul>
          </Show>
        )}
      </Show>
      <Show when={state.deleted()}>
        {(last) => (
          <div class="notice" role="status">
            <Show when={!last().restored} fallback={<p>{t('documents.restored', { name: last().name })}</p>}>
              <p>{t('documents.deleted', { name: last().name, codings: last().codings })}</p>
              <button type="button" class="small-button" onClick={() => void state.undoDelete()}>
                {t('documents.undoDelete')}
              </button>
            </Show>
          </div>
        )}
      </Show>
      <Show when={state.erased()}>
        <p class="notice" role="status">
          {t('documents.erased')}
        </p>
      </Show>
      <Show when={state.erasing()}>
        {(document) => (
          <EraseDialog
            kind="document"
            name={document().name}
            erase={() => state.erase(document())}
            onClose={() => state.setErasing(undefined)}
          />
        )}
      </Show>
    </section>
  );
}
