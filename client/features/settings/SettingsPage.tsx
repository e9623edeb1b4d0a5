import { A, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { createSubmit } from '../../app/submit.ts';
import { t } from '../../i18n/index.ts';
import { parseLabels } from './labels.ts';
import { ProjectAdmin } from './ProjectAdmin.tsx';

/** A project's settings, as the API gives them. */
type Settings = { readonly interviewerLabels: readonly string[] };

/**
 * The project's settings: the speaker labels that mark the interviewer's turns (set apart in the
 * reading view). Leads edit them; other members read them.
 */
export default function SettingsPage() {
  const params = useParams<{ projectId: string }>();
  const [project, { mutate: setProject }] = createResource(
    () => params.projectId,
    async (projectId) => unwrap(api.projects[':projectId'].$get({ param: { projectId } })),
  );
  const [settings, { mutate }] = createResource(
    () => params.projectId,
    async (projectId) => unwrap(api.projects[':projectId'].settings.$get({ param: { projectId } })),
  );
  const canEdit = () => project()?.role === 'lead';

  return (
    <div class="page">
      <header class="page-header">
        <A class="back-link" href={`/projects/${params.projectId}`}>
          ← {project()?.name ?? t('settings.back')}
        </A>
        <h1>{t('settings.title')}</h1>
      </header>
      <ErrorAlert error={project.error ?? settings.error} />
      <InterviewerLabels
        projectId={params.projectId}
        settings={settings()}
        canEdit={canEdit()}
        onSaved={(next) => mutate(next)}
      />
      <Show when={canEdit() ? project() : undefined}>
        {(current) => (
          <ProjectAdmin
            projectId={params.projectId}
            name={current().name}
            onRenamed={(name) => setProject({ ...current(), name })}
          />
        )}
      </Show>
    </div>
  );
}

/** The speaker labels that mark the interviewer's turns: edited by leads, read by others. */
function InterviewerLabels(props: {
  projectId: string;
  settings: Settings | undefined;
  canEdit: boolean;
  onSaved: (settings: Settings) => void;
}) {
  const [draft, setDraft] = createSignal('');
  const [saved, setSaved] = createSignal(false);
  const { busy, error, setError, submitForm } = createSubmit();
  createEffect(() => {
    const current = props.settings;
    if (current) setDraft(current.interviewerLabels.join('\n'));
  });

  const save = async () => {
    setSaved(false);
    const next = await unwrap(
      api.projects[':projectId'].settings.$patch({
        param: { projectId: props.projectId },
        json: { interviewerLabels: parseLabels(draft()) },
      }),
    );
    props.onSaved(next);
    setSaved(true);
  };

  return (
    <section class="card" aria-labelledby="interviewer-title">
      <h2 id="interviewer-title">{t('settings.interviewerTitle')}</h2>
      <p>{t('settings.interviewerIntro')}</p>
      <Show when={props.settings} fallback={<p class="muted">{t('app.loading')}</p>}>
        <form class="stack" onSubmit={(event) => void submitForm(event, save)}>
          <label class="field">
            <span>{t('settings.interviewerLabels')}</span>
            <textarea
              rows={8}
              value={draft()}
              readOnly={!props.canEdit}
              aria-describedby="interviewer-hint"
              onInput={(e) => {
                setDraft(e.currentTarget.value);
                setSaved(false);
              }}
            />
            <small class="hint" id="interviewer-hint">
              {props.canEdit ? t('settings.interviewerHint') : t('settings.leadsOnly')}
            </small>
          </label>
          <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
          <Show when={props.canEdit}>
            <div class="button-row">
              <button type="submit" class="primary" disabled={busy()}>
                {t('settings.save')}
              </button>
              <Show when={saved()}>
                <p class="notice" role="status">
                  {t('settings.saved')}
                </p>
              </Show>
            </div>
          </Show>
        </form>
      </Show>
    </section>
  );
}
