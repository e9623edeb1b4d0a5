import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { attributeValueOf } from '../../../shared/attributes.ts';
import { formatAttributeValue } from '../participants/attribute-format.ts';
import type { CodingState } from './coding-state.ts';
import { DocumentMemo } from './DocumentMemo.tsx';

/** The document's heading: back to the project, its name, the participant interviewed, its memo. */
export function CodingHeader(props: {
  projectId: string;
  state: CodingState;
  role: string | undefined;
  canCode: boolean;
}) {
  return (
    <header class="coding-header">
      <A class="back-link" href={`/projects/${props.projectId}`}>
        ← {props.state.project()?.name ?? t('coding.back')}
      </A>
      <h1>{props.state.documentMeta()?.name ?? t('app.loading')}</h1>
      <Show when={props.state.participant()}>{(current) => <ParticipantCard value={current()} />}</Show>
      <p class="muted small">{props.canCode ? t('coding.help') : props.role ? t('coding.readOnly') : ''}</p>
      <Show when={props.state.documentMeta()}>
        {(meta) => (
          <DocumentMemo memo={meta().memo} canEdit={props.canCode} onSave={props.state.saveDocumentMemo} />
        )}
      </Show>
    </header>
  );
}

type Participant = NonNullable<ReturnType<CodingState['participant']>>;

/** The participant's pseudonym and the attributes they have a value for. */
function ParticipantCard(props: { value: Participant }) {
  return (
    <div class="participant-card" role="group" aria-label={t('coding.participant')}>
      <span class="badge pseudonym">{props.value.participant.pseudonym}</span>
      <dl class="attribute-list">
        <For
          each={props.value.attributes.filter(
            (a) => attributeValueOf(props.value.participant.attributes, a.name) !== undefined,
          )}
        >
          {(def) => (
            <div>
              <dt>{def.name}</dt>
              <dd>
                {formatAttributeValue(def, attributeValueOf(props.value.participant.attributes, def.name))}
              </dd>
            </div>
          )}
        </For>
      </dl>
    </div>
  );
}
