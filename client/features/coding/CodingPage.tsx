import { A, useParams } from '@solidjs/router';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { useSession } from '../../app/session.tsx';
import { t } from '../../i18n/index.ts';
import type { Span } from '../../../shared/spans.ts';
import { CodebookPanel } from './CodebookPanel.tsx';
import { CodePicker } from './CodePicker.tsx';
import { CodingDetails } from './CodingDetails.tsx';
import { flattenCodebook } from './code-list.ts';
import { createCodingState, isProvisional, type Coding } from './coding-state.ts';
import { transcriptBlocks } from './layout.ts';
import { TranscriptText } from './selection-to-span.ts';
import { TranscriptView } from './TranscriptView.tsx';
import { formatAttributeValue } from '../participants/attribute-format.ts';

const POPOVER_WIDTH = 320;

/** Where to put a popover under `rect`, in the coordinates of `container`, kept inside it. */
function placeUnder(rect: DOMRect, container: HTMLElement): { top: number; left: number } {
  const box = container.getBoundingClientRect();
  const left = Math.max(0, Math.min(rect.left - box.left, box.width - POPOVER_WIDTH));
  return { top: rect.bottom - box.top + 8, left };
}

/** Excerpt of a selection for the picker, shortened in the middle when long. */
function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 90 ? flat : `${flat.slice(0, 50)} … ${flat.slice(-30)}`;
}

export default function CodingPage() {
  const params = useParams<{ projectId: string; documentId: string }>();
  const session = useSession();
  const state = createCodingState(() => ({ projectId: params.projectId, documentId: params.documentId }));
  let page!: HTMLDivElement;

  const text = createMemo(() => {
    const doc = state.document();
    return doc ? new TranscriptText(doc.text) : undefined;
  });
  const blocks = createMemo(() => {
    const doc = state.document();
    const current = text();
    return doc && current ? transcriptBlocks(current, doc.turns) : [];
  });
  const role = () => state.project()?.role;
  const canCode = () => role() === 'lead' || role() === 'coder';
  const flatCodes = createMemo(() =>
    flattenCodebook((state.codes() ?? []).filter((c) => !isProvisional(c.id))),
  );

  const [selection, setSelection] = createSignal<{ span: Span; position: { top: number; left: number } }>();
  const [shown, setShown] = createSignal<{
    ids: readonly string[];
    position: { top: number; left: number };
  }>();
  const shownCodings = createMemo(() => {
    const ids = shown()?.ids ?? [];
    return (state.codings() ?? []).filter((c) => ids.includes(c.id));
  });

  const closePicker = () => {
    setSelection(undefined);
    window.getSelection()?.removeAllRanges();
  };
  const pick = (codeId: Coding['codeId']) => {
    const chosen = selection();
    const me = session.user();
    closePicker();
    if (chosen && me) void state.applyCode(codeId, chosen.span, me.id);
  };
  const mayRemove = (coding: Coding) =>
    !isProvisional(coding.id) &&
    (role() === 'lead' || (role() === 'coder' && coding.coderId === session.user()?.id));

  return (
    <div class="coding-page" ref={page}>
      <ErrorAlert
        error={state.error() ?? state.document.error ?? state.codes.error ?? state.codings.error}
        onDismiss={state.error() ? () => state.setError(undefined) : undefined}
      />
      <header class="coding-header">
        <A class="back-link" href={`/projects/${params.projectId}`}>
          ← {state.project()?.name ?? t('coding.back')}
        </A>
        <h1>{state.document()?.name ?? t('app.loading')}</h1>
        <Show when={state.participant()}>
          {(current) => (
            <div class="participant-card" role="group" aria-label={t('coding.participant')}>
              <span class="badge pseudonym">{current().participant.pseudonym}</span>
              <dl class="attribute-list">
                <For
                  each={current().attributes.filter(
                    (a) => current().participant.attributes[a.name] !== undefined,
                  )}
                >
                  {(def) => (
                    <div>
                      <dt>{def.name}</dt>
                      <dd>{formatAttributeValue(def, current().participant.attributes[def.name])}</dd>
                    </div>
                  )}
                </For>
              </dl>
            </div>
          )}
        </Show>
        <p class="muted small">{canCode() ? t('coding.help') : role() ? t('coding.readOnly') : ''}</p>
      </header>
      <div class="coding-layout">
        <section class="transcript-column" aria-label={t('coding.transcript')}>
          <Show when={text()} fallback={<p class="muted">{t('app.loading')}</p>}>
            {(current) => (
              <TranscriptView
                text={current()}
                blocks={blocks()}
                codings={state.codings() ?? []}
                codeById={state.codeById()}
                coderName={state.coderName}
                renderKey={state.renderKey}
                pending={selection()?.span}
                canCode={canCode()}
                interviewerLabels={state.settings()?.interviewerLabels}
                onSelect={(span, rect) => {
                  setShown(undefined);
                  setSelection({ span, position: placeUnder(rect, page) });
                }}
                onOpenCodings={(ids, rect) => {
                  setSelection(undefined);
                  setShown({ ids, position: placeUnder(rect, page) });
                }}
              />
            )}
          </Show>
        </section>
        <aside class="codebook-column">
          <CodebookPanel codes={state.codes() ?? []} canEdit={canCode()} onCreate={state.createCode} />
        </aside>
      </div>
      <Show when={selection()}>
        {(current) => (
          <CodePicker
            codes={flatCodes()}
            excerpt={excerpt(text()?.slice(current().span.start, current().span.end) ?? '')}
            position={current().position}
            onPick={pick}
            onClose={closePicker}
          />
        )}
      </Show>
      <Show when={shown() && shownCodings().length > 0 ? shown() : undefined}>
        {(current) => (
          <CodingDetails
            codings={shownCodings()}
            codeById={state.codeById()}
            coderName={state.coderName}
            mayRemove={mayRemove}
            position={current().position}
            onRemove={(coding) => void state.removeCoding(coding)}
            onClose={() => setShown(undefined)}
          />
        )}
      </Show>
    </div>
  );
}
