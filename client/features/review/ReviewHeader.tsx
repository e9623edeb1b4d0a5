import { A } from '@solidjs/router';
import { createResource, Show, type JSX } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { fetchProject } from './review-api.ts';
import './review.css';

/** The title of a review page, the way back to the project, and the links between review pages. */
export function ReviewHeader(props: {
  projectId: string;
  title: string;
  intro?: string;
  children?: JSX.Element;
}) {
  const [project] = createResource(() => props.projectId, fetchProject);
  const base = () => `/projects/${props.projectId}/review`;
  return (
    <header class="page-header review-header">
      <A class="back-link" href={`/projects/${props.projectId}`}>
        <Show when={project()} fallback={t('review.backToProject')}>
          {(current) => `← ${current().name}`}
        </Show>
      </A>
      <h1>{props.title}</h1>
      <Show when={props.intro}>
        <p class="lead-text review-intro">{props.intro}</p>
      </Show>
      <nav class="review-nav" aria-label={t('review.nav')}>
        <A href={base()} end>
          {t('review.dashboard.title')}
        </A>
        <A href={`${base()}/frequencies`}>{t('review.frequencies.title')}</A>
        <A href={`${base()}/cooccurrence`}>{t('review.cooccurrence.title')}</A>
        <A href={`${base()}/retrieval`}>{t('review.retrieval.title')}</A>
        <A href={`${base()}/agreement`}>{t('review.agreement.title')}</A>
      </nav>
      {props.children}
    </header>
  );
}
