/**
 * A project's name and its deletion, for its leads, on the settings page. Deleting a project erases
 * it for good (its folder, its copies in the backups): the dialog says so and asks for its name.
 */
import { useNavigate } from '@solidjs/router';
import { createSignal, Show, untrack } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { createSubmit } from '../../app/submit.ts';
import { t } from '../../i18n/index.ts';
import { EraseDialog } from '../privacy/EraseDialog.tsx';
import './settings.css';

export function ProjectAdmin(props: { projectId: string; name: string; onRenamed: (name: string) => void }) {
  const navigate = useNavigate();
  const [draft, setDraft] = createSignal(untrack(() => props.name));
  const { busy, error, setError, submitForm } = createSubmit();
  const [saved, setSaved] = createSignal(false);
  const [deleting, setDeleting] = createSignal(false);

  const rename = async () => {
    setSaved(false);
    const project = await unwrap(
      api.projects[':projectId'].$patch({
        param: { projectId: props.projectId },
        json: { name: draft().trim() },
      }),
    );
    props.onRenamed(project.name);
    setSaved(true);
  };

  const erase = async () => {
    await unwrap(api.projects[':projectId'].$delete({ param: { projectId: props.projectId } }));
    navigate('/', { replace: true });
  };

  return (
    <section class="card" aria-labelledby="project-admin-title">
      <h2 id="project-admin-title">{t('projectAdmin.title')}</h2>
      <form class="stack" onSubmit={(event) => void submitForm(event, rename)}>
        <label class="field">
          <span>{t('projectAdmin.name')}</span>
          <input
            type="text"
            required
            maxLength={200}
            value={draft()}
            onInput={(e) => {
              setDraft(e.currentTarget.value);
              setSaved(false);
            }}
          />
        </label>
        <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
        <div class="button-row">
          <button type="submit" class="primary" disabled={busy() || draft().trim() === ''}>
            {t('projectAdmin.rename')}
          </button>
          <Show when={saved()}>
            <p class="notice" role="status">
              {t('projectAdmin.renamed')}
            </p>
          </Show>
        </div>
      </form>
      <div class="danger-zone">
        <h3>{t('projectAdmin.deleteTitle')}</h3>
        <p>{t('projectAdmin.deleteIntro')}</p>
        <button type="button" class="danger" onClick={() => setDeleting(true)}>
          {t('projectAdmin.delete')}
        </button>
      </div>
      <Show when={deleting()}>
        <EraseDialog kind="project" name={props.name} erase={erase} onClose={() => setDeleting(false)} />
      </Show>
    </section>
  );
}
