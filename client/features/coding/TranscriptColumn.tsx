import { Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { AnonymisedView } from './AnonymisedView.tsx';
import type { CodePrefs } from './code-prefs.ts';
import type { CodingFilters } from './coding-filters.ts';
import type { CodingFlow } from './coding-flow.ts';
import type { CodingState } from './coding-state.ts';
import type { Block } from './layout.ts';
import { TranscriptView } from './TranscriptView.tsx';

/** The transcript, as coded or as pseudonymised exports show it, with the re-selection notice. */
export function TranscriptColumn(props: {
  projectId: string;
  documentId: string;
  state: CodingState;
  flow: CodingFlow;
  filters: CodingFilters;
  prefs: CodePrefs;
  blocks: readonly Block[];
  canCode: boolean;
  anonymised: boolean;
  announce: (message: string) => void;
}) {
  return (
    <section class="transcript-column" aria-label={t('coding.transcript')}>
      <Show when={props.flow.reselecting()}>
        {(coding) => (
          <div class="notice reselect" role="status">
            {t('coding.reselectPrompt', { code: props.state.codeById().get(coding().codeId)?.name ?? '?' })}{' '}
            <button type="button" class="small-button" onClick={() => props.flow.setReselecting(undefined)}>
              {t('common.cancel')}
            </button>
          </div>
        )}
      </Show>
      <Show when={props.anonymised && props.state.text()}>
        {(current) => (
          <AnonymisedView
            projectId={props.projectId}
            documentId={props.documentId}
            text={current()}
            blocks={props.blocks}
          />
        )}
      </Show>
      <Show
        when={!props.anonymised && props.state.text()}
        fallback={
          <Show when={!props.anonymised}>
            <p class="muted">{t('app.loading')}</p>
          </Show>
        }
      >
        {(current) => (
          <TranscriptView
            text={current()}
            blocks={props.blocks}
            marks={props.state.document()?.marks ?? []}
            codings={props.filters.visibleCodings()}
            codeById={props.state.codeById()}
            coderName={props.state.coderName}
            renderKey={props.state.renderKey}
            pending={props.flow.picking()?.span ?? props.flow.draft()}
            canCode={props.canCode}
            snap={props.prefs.snap()}
            interviewerLabels={props.state.interviewerLabels()}
            onSelect={props.flow.onSelect}
            onDraft={props.flow.setDraft}
            onPinned={props.flow.applyPinned}
            announce={props.announce}
            onOpenCodings={props.flow.openCodings}
          />
        )}
      </Show>
    </section>
  );
}
