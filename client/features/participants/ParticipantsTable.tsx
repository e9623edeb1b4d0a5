import { createSignal, For, Index, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { EraseDialog } from '../privacy/EraseDialog.tsx';
import { AddParticipantForm } from './AddParticipantForm.tsx';
import type { AttributeDefView, ParticipantRow, ParticipantsState } from './participants-state.ts';
import { ParticipantTableRow } from './ParticipantTableRow.tsx';
import './participants.css';

/**
 * The participants, one row each: leads edit the name, pseudonym and attribute values in place
 * (saved when the field is left), add and delete participants; others read.
 */
export function ParticipantsTable(props: {
  state: ParticipantsState;
  canEdit: boolean;
  documentName: (documentId: string) => string;
  /** Erase a participant for good (withdrawal of consent), once confirmed in the dialog. */
  onErase: (participant: ParticipantRow) => Promise<void>;
}) {
  const participants = () => props.state.view()?.participants ?? [];
  const attributes = () => props.state.view()?.attributes ?? [];
  const [confirming, setConfirming] = createSignal<string>();
  const [erasing, setErasing] = createSignal<ParticipantRow>();
  const [erased, setErased] = createSignal(false);
  const erase = async (participant: ParticipantRow) => {
    await props.onErase(participant);
    setErased(true);
  };

  return (
    <>
      <div class="table-scroll" role="region" aria-label={t('participants.tableScroll')} tabindex="0">
        <table class="participants-table">
          <caption class="visually-hidden">{t('participants.caption')}</caption>
          <ParticipantsTableHead attributes={attributes()} canEdit={props.canEdit} />
          <tbody>
            <Index
              each={participants()}
              fallback={
                <tr>
                  <td colSpan={attributes().length + (props.canEdit ? 4 : 3)} class="muted">
                    {t('participants.empty')}
                  </td>
                </tr>
              }
            >
              {(participant) => (
                <ParticipantTableRow
                  state={props.state}
                  participant={participant}
                  attributes={attributes}
                  canEdit={props.canEdit}
                  documentName={props.documentName}
                  confirming={confirming}
                  setConfirming={setConfirming}
                  onErase={setErasing}
                />
              )}
            </Index>
          </tbody>
        </table>
      </div>
      <Show when={erased()}>
        <p class="notice" role="status">
          {t('participants.erased')}
        </p>
      </Show>
      <Show when={erasing()}>
        {(participant) => (
          <EraseDialog
            kind="participant"
            name={participant().name}
            erase={() => erase(participant())}
            onClose={() => setErasing(undefined)}
          />
        )}
      </Show>
      <Show when={props.canEdit}>
        <AddParticipantForm state={props.state} />
      </Show>
    </>
  );
}

/** The columns: pseudonym, name, one per attribute (with its type), documents, and actions for leads. */
function ParticipantsTableHead(props: { attributes: readonly AttributeDefView[]; canEdit: boolean }) {
  return (
    <thead>
      <tr>
        <th scope="col">{t('participants.pseudonym')}</th>
        <th scope="col">{t('participants.name')}</th>
        <For each={props.attributes}>
          {(def) => (
            <th scope="col">
              {def.name}
              <span class="th-type">{t(`attributes.type.${def.type}`)}</span>
            </th>
          )}
        </For>
        <th scope="col">{t('participants.documents')}</th>
        <Show when={props.canEdit}>
          <th scope="col">
            <span class="visually-hidden">{t('participants.actions')}</span>
          </th>
        </Show>
      </tr>
    </thead>
  );
}
