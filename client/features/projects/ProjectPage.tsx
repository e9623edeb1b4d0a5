import { A, useParams } from '@solidjs/router';
import { createResource, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { t } from '../../i18n/index.ts';
import { CodebookTransferPanel } from './CodebookTransferPanel.tsx';
import { DocumentsPanel } from './DocumentsPanel.tsx';
import { MembersPanel } from './MembersPanel.tsx';
import { ProjectSearchBox } from '../search/ProjectSearchBox.tsx';
import './projects.css';

export default function ProjectPage() {
  const params = useParams<{ projectId: string }>();
  const [project] = createResource(
    () => params.projectId,
    async (projectId) => unwrap(api.projects[':projectId'].$get({ param: { projectId } })),
  );
  return (
    <div class="page">
      <ErrorAlert error={project.error} />
      <Show
        when={project()}
        fallback={
          <Show when={!project.error}>
            <p class="muted">{t('app.loading')}</p>
          </Show>
        }
      >
        {(current) => (
          <>
            <header class="page-header">
              <h1>{current().name}</h1>
              <Show when={current().description}>
                <p class="lead-text">{current().description}</p>
              </Show>
              <p class="muted small">{t('projects.role', { role: t(`role.${current().role}`) })}</p>
              <nav class="project-nav" aria-label={t('projects.sections')}>
                <A class="button-link" href={`/projects/${current().id}/participants`}>
                  {t('projects.participantsLink')}
                </A>
                <A class="button-link" href={`/projects/${current().id}/export`}>
                  {t('projects.exportLink')}
                </A>
                <A class="button-link" href={`/projects/${current().id}/memos`}>
                  {t('memos.link')}
                </A>
                <A class="button-link" href={`/projects/${current().id}/history`}>
                  {t('history.link')}
                </A>
                <A class="button-link" href={`/projects/${current().id}/settings`}>
                  {t('settings.link')}
                </A>
                <A class="button-link" href={`/projects/${current().id}/review`}>
                  {t('projects.reviewLink')}
                </A>
                <A class="button-link" href={`/projects/${current().id}/search`}>
                  {t('search.link')}
                </A>
              </nav>
              <ProjectSearchBox projectId={current().id} />
            </header>
            <div class="project-columns">
              <DocumentsPanel projectId={current().id} canManage={current().role === 'lead'} />
              <div>
                <MembersPanel projectId={current().id} canManage={current().role === 'lead'} />
                <CodebookTransferPanel projectId={current().id} canImport={current().role === 'lead'} />
              </div>
            </div>
          </>
        )}
      </Show>
    </div>
  );
}
