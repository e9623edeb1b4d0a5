import { A, useParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { eraseParticipant } from '../privacy/erasure-api.ts';
import { t } from '../../i18n/index.ts';
import { AttributeEditor } from './AttributeEditor.tsx';
import { createParticipantsState } from './participants-state.ts';
import { ParticipantImport } from './ParticipantImport.tsx';
import { ParticipantsTable } from './ParticipantsTable.tsx';

/** The study's participants (cases) and their attributes; leads edit, others read. */
export default function ParticipantsPage() {
  const params = useParams<{ projectId: string }>();
  const [project] = createResource(
    () => params.projectId,
    async (projectId) => unwrap(api.projects[':projectId'].$get({ param: { projectId } })),
  );
  const [documents, { refetch: refetchDocuments }] = createResource(
    () => params.projectId,
    async (projectId) =>
      (await unwrap(api.projects[':projectId'].documents.$get({ param: { projectId } }))).documents,
  );
  const state = createParticipantsState(() => params.projectId);
  const canEdit = () => project()?.role === 'lead';
  /** Withdrawal of consent, confirmed in the dialog: erased, then the lists read again. */
  const erase = async (participant: { id: string; name: string }) => {
    await eraseParticipant(params.projectId, participant.id, participant.name);
    await Promise.all([state.refetch(), refetchDocuments()]);
  };
  const documentName = (id: string) => documents()?.find((d) => d.id === id)?.name ?? '…';

  return (
    <div class="page wide">
      <header class="page-header">
        <A class="back-link" href={`/projects/${params.projectId}`}>
          ← {project()?.name ?? t('import.backToProject')}
        </A>
        <h1>{t('participants.title')}</h1>
        <p class="lead-text">{t('participants.intro')}</p>
      </header>
      <ErrorAlert error={project.error ?? state.view.error ?? documents.error} />
      <ErrorAlert error={state.error()} onDismiss={() => state.setError(undefined)} />
      <Show when={state.view()} fallback={<p class="muted">{t('app.loading')}</p>}>
        <section class="card" aria-labelledby="participants-title">
          <h2 id="participants-title">{t('participants.tableTitle')}</h2>
          <Show when={!canEdit() && project()}>
            <p class="muted small">{t('participants.readOnly')}</p>
          </Show>
          <ParticipantsTable state={state} canEdit={canEdit()} documentName={documentName} onErase={erase} />
        </section>
        <Show when={canEdit()}>
          <div class="two-columns">
            <section class="card" aria-labelledby="attributes-title">
              <h2 id="attributes-title">{t('attributes.title')}</h2>
              <AttributeEditor state={state} />
            </section>
            <section class="card" aria-labelledby="participants-import-title">
              <h2 id="participants-import-title">{t('participants.importTitle')}</h2>
              <ParticipantImport state={state} onImported={() => void refetchDocuments()} />
            </section>
          </div>
        </Show>
      </Show>
    </div>
  );
}
