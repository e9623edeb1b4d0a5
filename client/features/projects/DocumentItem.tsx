import { A } from '@solidjs/router';
import { For, Show, type Accessor } from 'solid-js';
import { formatNumber, t } from '../../i18n/index.ts';
import type { DocumentRow, DocumentsState } from './documents-state.ts';
import { RecordingControl } from './RecordingControl.tsx';
import './projects.css';

interface ItemProps {
  state: DocumentsState;
  document: Accessor<DocumentRow>;
  projectId: string;
  canManage: boolean;
}

/** One document of the list: its name, participant and counts; for leads, what can be done to it. */
export function DocumentItem(props: ItemProps) {
  const document = () => props.document();
  return (
    <li data-document={document().name}>
      <div class="document-main">
        <A href={`/projects/${props.projectId}/documents/${document().id}`}>{document().name}</A>
        <Show when={props.state.pseudonymOf(document().participantId)}>
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
      <Show when={props.canManage && (props.state.participants()?.length ?? 0) > 0}>
        <label class="participant-select">
          <span class="small">{t('documents.participant')}</span>
          <select
            value={document().participantId ?? ''}
            aria-label={t('documents.participantOf', { name: document().name })}
            onChange={(e) =>
              void props.state.assign(document(), e.currentTarget.value === '' ? null : e.currentTarget.value)
            }
          >
            <option value="">{t('documents.noParticipant')}</option>
            <For each={props.state.participants() ?? []}>
              {(p) => <option value={p.id}>{`${p.pseudonym} — ${p.name}`}</option>}
            </For>
          </select>
        </label>
      </Show>
      <Show when={props.canManage}>
        <DocumentActions state={props.state} document={props.document} projectId={props.projectId} />
      </Show>
    </li>
  );
}

/** A lead's buttons on a document: rename (in place), delete, recording, erase. */
function DocumentActions(props: Omit<ItemProps, 'canManage'>) {
  const document = () => props.document();
  const state = () => props.state;
  return (
    <>
      <Show
        when={state().renaming()?.id === document().id}
        fallback={
          <button
            type="button"
            class="small-button"
            aria-label={t('documents.renameLabel', { name: document().name })}
            onClick={() => state().setRenaming({ id: document().id, draft: document().name })}
          >
            {t('documents.rename')}
          </button>
        }
      >
        <form
          class="rename-form"
          onSubmit={(e) => {
            e.preventDefault();
            void state().rename(document().id, state().renaming()?.draft ?? '');
          }}
        >
          <input
            type="text"
            required
            maxLength={200}
            aria-label={t('documents.newName', { name: document().name })}
            value={state().renaming()?.draft ?? ''}
            onInput={(e) => state().setRenaming({ id: document().id, draft: e.currentTarget.value })}
            onKeyDown={(e) => {
              if (e.key === 'Escape') state().setRenaming(undefined);
            }}
          />
          <button type="submit" class="small-button primary">
            {t('common.save')}
          </button>
          <button type="button" class="small-button" onClick={() => state().setRenaming(undefined)}>
            {t('common.cancel')}
          </button>
        </form>
      </Show>
      <button
        type="button"
        class="small-button"
        aria-label={t('documents.deleteLabel', { name: document().name })}
        onClick={() => void state().remove({ id: document().id, name: document().name })}
      >
        {t('documents.delete')}
      </button>
      <RecordingControl
        projectId={props.projectId}
        documentId={document().id}
        documentName={document().name}
        media={document().media}
        onChange={() => void state().refetch()}
      />
      <button
        type="button"
        class="small-button danger"
        aria-label={t('documents.eraseLabel', { name: document().name })}
        onClick={() => state().setErasing({ id: document().id, name: document().name })}
      >
        {t('documents.erase')}
      </button>
    </>
  );
}
