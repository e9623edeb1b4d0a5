import { A } from '@solidjs/router';
import { createResource, createSignal, For, Index, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import { eraseDocument } from '../privacy/erasure-api.ts';
import { EraseDialog } from '../privacy/EraseDialog.tsx';
import { RecordingControl } from './RecordingControl.tsx';
import './projects.css';

/**
 * The project's documents, each with the participant interviewed in it. Leads link a document to
 * a participant here, and reach the import page.
 */
export function DocumentsPanel(props: { projectId: string; canManage: boolean }) {
  const [documents, { mutate, refetch }] = createResource(
    () => props.projectId,
    async (projectId) =>
      (await unwrap(api.projects[':projectId'].documents.$get({ param: { projectId } }))).documents,
  );
  const [participants] = createResource(
    () => props.projectId,
    async (projectId) =>
      (await unwrap(api.projects[':projectId'].participants.$get({ param: { projectId } }))).participants,
  );
  const [error, setError] = createSignal<unknown>();
  const [erasing, setErasing] = createSignal<{ id: string; name: string }>();
  const [erased, setErased] = createSignal(false);
  /** Erase a document for good, confirmed in the dialog; the list is read again. */
  const erase = async (document: { id: string; name: string }) => {
    await eraseDocument(props.projectId, document.id, document.name);
    setErased(true);
    await refetch();
  };

  const [renaming, setRenaming] = createSignal<{ id: string; draft: string }>();
  const [deleted, setDeleted] = createSignal<{ name: string; codings: number; restored?: boolean }>();
  /** Rename a document (leads); the list is read again. */
  const rename = async (documentId: string, name: string) => {
    setError(undefined);
    try {
      await unwrap(
        api.projects[':projectId'].documents[':documentId'].$patch({
          param: { projectId: props.projectId, documentId },
          json: { name: name.trim() },
        }),
      );
      setRenaming(undefined);
      await refetch();
    } catch (failure) {
      setError(failure);
    }
  };
  /** Delete a document with its codings, as one change the lead can undo from the notice. */
  const remove = async (document: { id: string; name: string }) => {
    setError(undefined);
    try {
      const result = await unwrap(
        api.projects[':projectId'].documents[':documentId'].$delete({
          param: { projectId: props.projectId, documentId: document.id },
        }),
      );
      setDeleted({ name: document.name, codings: result.deleted.codings });
      await refetch();
    } catch (failure) {
      setError(failure);
    }
  };
  const undoDelete = async () => {
    const last = deleted();
    if (!last) return;
    setError(undefined);
    try {
      await unwrap(api.projects[':projectId'].undo.$post({ param: { projectId: props.projectId } }));
      setDeleted({ ...last, restored: true });
      await refetch();
    } catch (failure) {
      setError(failure);
    }
  };

  const pseudonymOf = (participantId: string | null) =>
    participantId === null ? undefined : participants()?.find((p) => p.id === participantId)?.pseudonym;

  type DocumentRow = NonNullable<ReturnType<typeof documents>>[number];
  /** Link a document to a participant (or to none); the choice shows at once and is undone if refused. */
  const assign = async (document: DocumentRow, participantId: string | null) => {
    const setParticipant = (value: string | null) =>
      mutate((list) =>
        list?.map((d) =>
          d.id === document.id ? { ...d, participantId: value as DocumentRow['participantId'] } : d,
        ),
      );
    const before = document.participantId;
    setError(undefined);
    setParticipant(participantId);
    try {
      await unwrap(
        api.projects[':projectId'].documents[':documentId'].$patch({
          param: { projectId: props.projectId, documentId: document.id },
          json: { participantId },
        }),
      );
    } catch (failure) {
      setParticipant(before);
      setError(failure);
    }
  };

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
      <ErrorAlert error={documents.error ?? participants.error} />
      <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
      <Show when={documents()} fallback={<p class="muted">{t('app.loading')}</p>}>
        {(list) => (
          <Show when={list().length > 0} fallback={<p class="muted">{t('documents.empty')}</p>}>
            <ul class="document-list">
              <Index each={list()}>
                {(document) => (
                  <li data-document={document().name}>
                    <div class="document-main">
                      <A href={`/projects/${props.projectId}/documents/${document().id}`}>
                        {document().name}
                      </A>
                      <Show when={pseudonymOf(document().participantId)}>
                        {(pseudonym) => (
                          <span class="badge pseudonym" title={t('documents.participant')}>
                            {pseudonym()}
                          </span>
                        )}
                      </Show>
                      <span class="muted small document-meta">
                        {t('documents.meta', {
                          words: formatNumber(document().words ?? 0),
                          turns: document().turnCount,
                          codings: document().codings,
                        })}
                      </span>
                    </div>
                    <Show when={props.canManage && (participants()?.length ?? 0) > 0}>
                      <label class="participant-select">
                        <span class="small">{t('documents.participant')}</span>
                        <select
                          value={document().participantId ?? ''}
                          aria-label={t('documents.participantOf', { name: document().name })}
                          onChange={(e) =>
                            void assign(
                              document(),
                              e.currentTarget.value === '' ? null : e.currentTarget.value,
                            )
                          }
                        >
                          <option value="">{t('documents.noParticipant')}</option>
                          <For each={participants() ?? []}>
                            {(p) => <option value={p.id}>{`${p.pseudonym} — ${p.name}`}</option>}
                          </For>
                        </select>
                      </label>
                    </Show>
                    <Show when={props.canManage}>
                      <Show
                        when={renaming()?.id === document().id}
                        fallback={
                          <button
                            type="button"
                            class="small-button"
                            aria-label={t('documents.renameLabel', { name: document().name })}
                            onClick={() => setRenaming({ id: document().id, draft: document().name })}
                          >
                            {t('documents.rename')}
                          </button>
                        }
                      >
                        <form
                          class="rename-form"
                          onSubmit={(e) => {
                            e.preventDefault();
                            void rename(document().id, renaming()?.draft ?? '');
                          }}
                        >
                          <input
                            type="text"
                            required
                            maxLength={200}
                            aria-label={t('documents.newName', { name: document().name })}
                            value={renaming()?.draft ?? ''}
                            onInput={(e) => setRenaming({ id: document().id, draft: e.currentTarget.value })}
                            onKeyDown={(e) => {
                              if (e.key === 'Escape') setRenaming(undefined);
                            }}
                          />
                          <button type="submit" class="small-button primary">
                            {t('common.save')}
                          </button>
                          <button type="button" class="small-button" onClick={() => setRenaming(undefined)}>
                            {t('common.cancel')}
                          </button>
                        </form>
                      </Show>
                      <button
                        type="button"
                        class="small-button"
                        aria-label={t('documents.deleteLabel', { name: document().name })}
                        onClick={() => void remove({ id: document().id, name: document().name })}
                      >
                        {t('documents.delete')}
                      </button>
                      <RecordingControl
                        projectId={props.projectId}
                        documentId={document().id}
                        documentName={document().name}
                        media={document().media}
                        onChange={() => void refetch()}
                      />
                      <button
                        type="button"
                        class="small-button danger"
                        aria-label={t('documents.eraseLabel', { name: document().name })}
                        onClick={() => setErasing({ id: document().id, name: document().name })}
                      >
                        {t('documents.erase')}
                      </button>
                    </Show>
                  </li>
                )}
              </Index>
            </ul>
          </Show>
        )}
      </Show>
      <Show when={deleted()}>
        {(last) => (
          <div class="notice" role="status">
            <Show when={!last().restored} fallback={<p>{t('documents.restored', { name: last().name })}</p>}>
              <p>{t('documents.deleted', { name: last().name, codings: last().codings })}</p>
              <button type="button" class="small-button" onClick={() => void undoDelete()}>
                {t('documents.undoDelete')}
              </button>
            </Show>
          </div>
        )}
      </Show>
      <Show when={erased()}>
        <p class="notice" role="status">
          {t('documents.erased')}
        </p>
      </Show>
      <Show when={erasing()}>
        {(document) => (
          <EraseDialog
            kind="document"
            name={document().name}
            erase={() => erase(document())}
            onClose={() => setErasing(undefined)}
          />
        )}
      </Show>
    </section>
  );
}
