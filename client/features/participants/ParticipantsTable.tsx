import { attributeValueOf } from '../../../shared/attributes.ts';
import { createSignal, For, Index, Match, Show, Switch } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { EraseDialog } from '../privacy/EraseDialog.tsx';
import { formatAttributeValue } from './attribute-format.ts';
import type {
  AttributeDefView,
  AttributeInput,
  ParticipantRow,
  ParticipantsState,
} from './participants-state.ts';
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
  const [adding, setAdding] = createSignal(false);

  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setAdding(true);
    const ok = await props.state.add({
      name: String(data.get('name') ?? ''),
      pseudonym: String(data.get('pseudonym') ?? ''),
    });
    setAdding(false);
    if (ok) form.reset();
  };

  return (
    <>
      <div class="table-scroll" role="region" aria-label={t('participants.tableScroll')} tabindex="0">
        <table class="participants-table">
          <caption class="visually-hidden">{t('participants.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('participants.pseudonym')}</th>
              <th scope="col">{t('participants.name')}</th>
              <For each={attributes()}>
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
                <tr data-participant={participant().pseudonym}>
                  <Show
                    when={props.canEdit}
                    fallback={
                      <>
                        <th scope="row">{participant().pseudonym}</th>
                        <td>{participant().name}</td>
                        <For each={attributes()}>
                          {(def) => (
                            <td>
                              {formatAttributeValue(
                                def,
                                attributeValueOf(participant().attributes, def.name),
                              )}
                            </td>
                          )}
                        </For>
                      </>
                    }
                  >
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
                    <For each={attributes()}>
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
                  </Show>
                  <td class="documents-cell">
                    <Show
                      when={participant().documentIds.length > 0}
                      fallback={<span class="muted">{t('participants.noDocument')}</span>}
                    >
                      <ul class="plain-list">
                        <For each={participant().documentIds}>
                          {(id) => <li>{props.documentName(id)}</li>}
                        </For>
                      </ul>
                    </Show>
                  </td>
                  <Show when={props.canEdit}>
                    <td class="actions-cell">
                      <Show
                        when={confirming() === participant().id}
                        fallback={
                          <span class="row-actions">
                            <button
                              type="button"
                              class="small-button danger"
                              aria-label={t('participants.deleteLabel', {
                                pseudonym: participant().pseudonym,
                              })}
                              onClick={() => setConfirming(participant().id)}
                            >
                              {t('participants.delete')}
                            </button>
                            <button
                              type="button"
                              class="small-button danger"
                              aria-label={t('participants.eraseLabel', {
                                pseudonym: participant().pseudonym,
                              })}
                              onClick={() => setErasing(participant())}
                            >
                              {t('participants.erase')}
                            </button>
                          </span>
                        }
                      >
                        <span class="confirm" role="group" aria-label={t('participants.confirmLabel')}>
                          <span class="small">
                            {t('participants.confirm', { pseudonym: participant().pseudonym })}
                          </span>
                          <button
                            type="button"
                            class="small-button danger"
                            ref={(el) => queueMicrotask(() => el.focus())}
                            onClick={() => {
                              setConfirming(undefined);
                              void props.state.remove(participant());
                            }}
                          >
                            {t('participants.confirmYes')}
                          </button>
                          <button type="button" class="small-button" onClick={() => setConfirming(undefined)}>
                            {t('common.cancel')}
                          </button>
                        </span>
                      </Show>
                    </td>
                  </Show>
                </tr>
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
        <form class="inline-form" onSubmit={(e) => void add(e)}>
          <h3>{t('participants.addTitle')}</h3>
          <label class="field">
            <span>{t('participants.name')}</span>
            <input name="name" required maxLength={200} autocomplete="off" />
          </label>
          <label class="field">
            <span>{t('participants.pseudonymOptional')}</span>
            <input name="pseudonym" maxLength={100} autocomplete="off" aria-describedby="pseudonym-hint" />
          </label>
          <button type="submit" disabled={adding()}>
            {t('participants.add')}
          </button>
          <small class="hint" id="pseudonym-hint">
            {t('participants.pseudonymHint')}
          </small>
        </form>
      </Show>
    </>
  );
}

/** The input that fits an attribute's type; the value is saved when the field changes. */
function AttributeInputCell(props: {
  def: AttributeDefView;
  value: string | number | undefined;
  label: string;
  onCommit: (value: AttributeInput) => void;
}) {
  const current = () => (props.value === undefined ? '' : String(props.value));
  const commit = (input: HTMLInputElement | HTMLSelectElement) => {
    const raw = input.value.trim();
    if (raw === current()) return;
    if (raw === '') {
      props.onCommit(null);
      return;
    }
    if (props.def.type === 'number') {
      const value = Number(raw);
      if (Number.isFinite(value)) props.onCommit(value);
      else input.value = current();
      return;
    }
    props.onCommit(raw);
  };
  return (
    <Switch>
      <Match when={props.def.type === 'choice'}>
        <select
          class="cell-input"
          aria-label={props.label}
          value={current()}
          onChange={(e) => commit(e.currentTarget)}
        >
          <option value="">—</option>
          <For each={props.def.choices}>{(choice) => <option value={choice}>{choice}</option>}</For>
          <Show when={current() !== '' && !props.def.choices.includes(current())}>
            <option value={current()}>{current()}</option>
          </Show>
        </select>
      </Match>
      <Match when={props.def.type === 'number'}>
        <input
          class="cell-input number-input"
          type="number"
          step="any"
          aria-label={props.label}
          value={current()}
          onChange={(e) => commit(e.currentTarget)}
        />
      </Match>
      <Match when={props.def.type === 'date'}>
        <input
          class="cell-input"
          type="date"
          aria-label={props.label}
          value={current()}
          onChange={(e) => commit(e.currentTarget)}
        />
      </Match>
      <Match when={true}>
        <input
          class="cell-input"
          aria-label={props.label}
          value={current()}
          maxLength={1000}
          onChange={(e) => commit(e.currentTarget)}
        />
      </Match>
    </Switch>
  );
}
