import { A, useNavigate } from '@solidjs/router';
import { createResource, createSignal, For, Show, type JSX } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { createSubmit } from '../../app/submit.ts';
import { t } from '../../i18n/index.ts';
import { RefiImportPanel } from './RefiImportPanel.tsx';
import './projects.css';

async function fetchProjects() {
  return (await unwrap(api.projects.$get())).projects;
}

export type ProjectView = Awaited<ReturnType<typeof fetchProjects>>[number];

export default function ProjectListPage() {
  const [projects, { mutate }] = createResource(fetchProjects);
  const { busy, error, setError, submitForm } = createSubmit();
  const [loadingDemo, setLoadingDemo] = createSignal(false);
  const navigate = useNavigate();

  /** Create « Étude démo » for the caller (four interviews, participants, a codebook) and open it. */
  const loadDemo = async () => {
    setLoadingDemo(true);
    setError(undefined);
    try {
      const project = await unwrap(api.projects.demo.$post());
      navigate(`/projects/${project.id}`);
    } catch (failure) {
      setError(failure);
      setLoadingDemo(false);
    }
  };
  const demoButton = (primary: boolean) => (
    <DemoButton primary={primary} loading={loadingDemo()} onLoad={() => void loadDemo()} />
  );

  const create = async (form: HTMLFormElement) => {
    const data = new FormData(form);
    const project = await unwrap(
      api.projects.$post({
        json: { name: String(data.get('name') ?? ''), description: String(data.get('description') ?? '') },
      }),
    );
    mutate((list) => [project, ...(list ?? [])]);
    form.reset();
  };

  return (
    <div class="page">
      <h1>{t('projects.title')}</h1>
      <ErrorAlert error={projects.error} />
      <Show when={projects()} fallback={<p class="muted">{t('app.loading')}</p>}>
        {(list) => (
          <Show when={list().length > 0} fallback={<WelcomeCard>{demoButton(true)}</WelcomeCard>}>
            <ProjectCards projects={list()} />
            <div class="demo-offer">
              <p id="demo-hint" class="muted small">
                {t('projects.demoHint')}
              </p>
              {demoButton(false)}
            </div>
          </Show>
        )}
      </Show>

      <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
      <section class="card" aria-labelledby="new-project">
        <h2 id="new-project">{t('projects.new')}</h2>
        <form class="stack" onSubmit={(event) => void submitForm(event, create)}>
          <label class="field">
            <span>{t('projects.name')}</span>
            <input name="name" required maxLength={200} />
          </label>
          <label class="field">
            <span>{t('projects.description')}</span>
            <textarea name="description" rows={3} maxLength={5000} />
          </label>
          <button type="submit" class="primary" disabled={busy()}>
            {t('projects.create')}
          </button>
        </form>
      </section>
      <RefiImportPanel />
    </div>
  );
}

/** The button that loads the demo study, described by the hint beside it. */
function DemoButton(props: { primary: boolean; loading: boolean; onLoad: () => void }) {
  return (
    <button
      type="button"
      class={props.primary ? 'primary' : 'secondary'}
      disabled={props.loading}
      aria-describedby="demo-hint"
      onClick={() => props.onLoad()}
    >
      {props.loading ? t('projects.demoLoading') : t('projects.demo')}
    </button>
  );
}

/** A first visit, with no project yet: what Verbatim does, and the demo to try it. */
function WelcomeCard(props: { children: JSX.Element }) {
  return (
    <section class="card welcome" aria-labelledby="welcome-title">
      <h2 id="welcome-title">{t('projects.welcomeTitle')}</h2>
      <p>{t('projects.welcome')}</p>
      <ul class="welcome-steps">
        <li>{t('projects.welcomeImport')}</li>
        <li>{t('projects.welcomeCode')}</li>
        <li>{t('projects.welcomeCompare')}</li>
      </ul>
      <p id="demo-hint" class="muted small">
        {t('projects.demoHint')}
      </p>
      {props.children}
      <p class="muted small welcome-or">{t('projects.empty')}</p>
    </section>
  );
}

/** The caller's projects, each with its counts and the caller's role. */
function ProjectCards(props: { projects: readonly ProjectView[] }) {
  return (
    <ul class="card-list">
      <For each={props.projects}>
        {(project) => (
          <li class="card project-card">
            <h2>
              <A href={`/projects/${project.id}`}>{project.name}</A>
            </h2>
            <Show when={project.description}>
              <p>{project.description}</p>
            </Show>
            <p class="muted small">
              {t('projects.counts', {
                documents: project.counts.documents,
                codes: project.counts.codes,
                codings: project.counts.codings,
              })}
              {' · '}
              {t('projects.role', { role: t(`role.${project.role}`) })}
            </p>
          </li>
        )}
      </For>
    </ul>
  );
}
