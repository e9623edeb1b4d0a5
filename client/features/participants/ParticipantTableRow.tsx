import { attributeValueOf } from '../../../shared/attributes.ts';
import { For, Show, type Accessor } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { formatAttributeValue } from './attribute-format.ts';
import { AttributeInputCell } from './AttributeInputCell.tsx';
import type { AttributeDefView, ParticipantRow, ParticipantsState } from './participants-state.ts';
import './participants.css';

interface RowProps {
  state: ParticipantsState;
  participant: Accessor<ParticipantRow>;
  attributes: Accessor<AttributeDefView[]>;
  canEdit: boolean;
  documentName: (documentId: string) => string;
  /** The participant whose deletion awaits confirmation, if any (one at a time in the table). */
  confirming: Accessor<string | undefined>;
  setConfirming: (participantId: string | undefined) => void;
  /** Open the erasure dialog for this participant. */
  onErase: (participant: ParticipantRow) => void;
}

/** One participant's row: read-only cells, or cells edited in place, then documents and actions. */
export function ParticipantTableRow(props: RowProps) {
  const participant = () => props.participant();
  return (
    <tr data-participant={participant().pseudonym}>
      <Show
        when={props.canEdit}
        fallback={
          <>
            <th scope="row">{participant().pseudonym}</th>
            <td>{participant().name}</td>
            <For each={props.attributes()}>
              {(def) => (
                <td>{formatAttributeValue(def, attributeValueOf(participant().attributes, def.name))}</td>
              )}
            </For>
          </>
        }
      >
        <EditableCells {...props} />
      </Show>
      <td class="documents-cell">
        <Show
          when={participant().documentIds.length > 0}
          fallback={<span class="muted">{t('participants.noDocument')}</span>}
        >
          <ul class="plain-list">
            <For each={participant().documentIds}>{(id) => <li>{props.documentName(id)}</li>}</For>
          </ul>
        </Show>
      </td>
      <Show when={props.canEdit}>
        <RowActions {...props} />
      </Show>
    </tr>
  );
}

/** The pseudonym, name and attribute values as fields, each saved when it changes. */
function EditableCells(props: RowProps) {
  const participant = () => props.participant();
  return (
    <>
      <th scope="row">
        <input
          class="cell-input pseudonym-input"
          value={participant().pseudonym}
          aria-label={t('participants.pseudonymOf', { name: participant().name })}
          maxLength={100}
          onChange={(e) => {
            const value = e.currentTarget.value.trim();
            if (value !== '' && value !== participant().pseudonym)
              void props.state.update(participant(), { pseudonym: value });
            else e.currentTarget.value = participant().pseudonym;
          }}
        />
      </th>
      <td>
        <input
          class="cell-input"
          value={participant().name}
          aria-label={t('participants.nameOf', { pseudonym: participant().pseudonym })}
          maxLength={200}
          onChange={(e) => {
            const value = e.currentTarget.value.trim();
            if (value !== '' && value !== participant().name)
              void props.state.update(participant(), { name: value });
            else e.currentTarget.value = participant().name;
          }}
        />
      </td>
      <For each={props.attributes()}>
        {(def) => (
          <td>
            <AttributeInputCell
              def={def}
              value={attributeValueOf(participant().attributes, def.name)}
              label={t('participants.valueOf', {
                attribute: def.name,
                pseudonym: participant().pseudonym,
              })}
              onCommit={(value) =>
                void props.state.update(participant(), { attributes: { [def.name]: value } })
              }
            />
          </td>
        )}
      </For>
    </>
  );
}

/** Delete (after a confirmation in place) or erase the participant. */
function RowActions(props: RowProps) {
  const participant = () => props.participant();
  return (
    <td class="actions-cell">
      <Show
        when={props.confirming() === participant().id}
        fallback={
          <span class="row-actions">
            <button
              type="button"
              class="small-button danger"
              aria-label={t('participants.deleteLabel', {
                pseudonym: participant().pseudonym,
              })}
              onClick={() => props.setConfirming(participant().id)}
            >
              {t('participants.delete')}
            </button>
            <button
              type="button"
              class="small-button danger"
              aria-label={t('participants.eraseLabel', {
                pseudonym: participant().pseudonym,
              })}
              onClick={() => props.onErase(participant())}
            >
              {t('participants.erase')}
            </button>
          </span>
        }
      >
        <span class="confirm" role="group" aria-label={t('participants.confirmLabel')}>
          <span class="small">{t('participants.confirm', { pseudonym: participant().pseudonym })}</span>
          <button
            type="button"
            class="small-button danger"
            ref={(el) => queueMicrotask(() => el.focus())}
            onClick={() => {
              props.setConfirming(undefined);
              void props.state.remove(participant());
            }}
          >
            {t('participants.confirmYes')}
          </button>
          <button type="button" class="small-button" onClick={() => props.setConfirming(undefined)}>
            {t('common.cancel')}
          </button>
        </span>
      </Show>
    </td>
  );
}
