import { A } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { t } from '../../i18n/index.ts';

async function fetchProjects() {
  return (await unwrap(api.projects.$get())).projects;
}

export type ProjectView = Awaited<ReturnType<typeof fetchProjects>>[number];

export default function ProjectListPage() {
  const [projects, { mutate }] = createResource(fetchProjects);
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);

  const create = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setBusy(true);
    setError(undefined);
    try {
      const project = await unwrap(
        api.projects.$post({
          json: { name: String(data.get('name') ?? ''), description: String(data.get('description') ?? '') },
        }),
      );
      mutate((list) => [project, ...(list ?? [])]);
      form.reset();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <h1>{t('projects.title')}</h1>
      <ErrorAlert error={projects.error} />
      <Show when={projects()} fallback={<p class="muted">{t('app.loading')}</p>}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="muted">{t('projects.empty')}</p>}>
            <ul class="card-list">
              <For each={list()}>
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
          </Show>
        )}
      </Show>

      <section class="card" aria-labelledby="new-project">
        <h2 id="new-project">{t('projects.new')}</h2>
        <form class="stack" onSubmit={(e) => void create(e)}>
          <ErrorAlert error={error()} />
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
    </div>
  );
}
