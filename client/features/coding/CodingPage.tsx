import { A, useParams, useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { useSession } from '../../app/session.tsx';
import { t } from '../../i18n/index.ts';
import type { Span } from '../../../shared/spans.ts';
import { CodebookPanel } from '../codebook/CodebookPanel.tsx';
import { flattenCodebook } from '../codebook/code-tree.ts';
import { formatAttributeValue } from '../participants/attribute-format.ts';
import { createCodePrefs } from './code-prefs.ts';
import { CodePicker } from './CodePicker.tsx';
import { CodingDetails } from './CodingDetails.tsx';
import { createCodingState, isProvisional, type CodeId, type Coding } from './coding-state.ts';
import { DocumentMemo } from './DocumentMemo.tsx';
import { HelpDialog } from './HelpDialog.tsx';
import { transcriptBlocks } from './layout.ts';
import { TranscriptText } from './selection-to-span.ts';
import { AnonymisedView } from './AnonymisedView.tsx';
import { excerpt } from './excerpt.ts';
import { TranscriptView } from './TranscriptView.tsx';

const POPOVER_WIDTH = 340;

/** Where to put a popover under `rect`, in the coordinates of `container`, kept inside it. */
function placeUnder(rect: DOMRect, container: HTMLElement): { top: number; left: number } {
  const box = container.getBoundingClientRect();
  const left = Math.max(0, Math.min(rect.left - box.left, box.width - POPOVER_WIDTH));
  return { top: rect.bottom - box.top + 8, left };
}

/** Whether a key press is meant for a text field rather than for the page's shortcuts. */
function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

/** Which coders' codings are drawn: all, the user's own, or one coder's. */
type CoderFilter = 'all' | 'mine' | { readonly coderId: string };

export default function CodingPage() {
  const params = useParams<{ projectId: string; documentId: string }>();
  const session = useSession();
  const state = createCodingState(
    () => ({ projectId: params.projectId, documentId: params.documentId }),
    () => session.user() ?? undefined,
  );
  const prefs = createMemo(() => createCodePrefs(params.projectId));
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
  const isLead = () => role() === 'lead';
  const me = () => session.user()?.id;
  const flatAll = createMemo(() => flattenCodebook(state.codes()));
  const flatCodes = createMemo(() => flatAll().filter((item) => !isProvisional(item.code.id)));

  const [hidden, setHidden] = createSignal<ReadonlySet<string>>(new Set());
  const [coderFilter, setCoderFilter] = createSignal<CoderFilter>('all');
  const visibleCodings = createMemo(() => {
    const filter = coderFilter();
    const self = me();
    const off = hidden();
    return state
      .codings()
      .filter(
        (c) =>
          !off.has(c.codeId) &&
          (filter === 'all' || (filter === 'mine' ? c.coderId === self : c.coderId === filter.coderId)),
      );
  });
  const coders = createMemo(() => (state.members() ?? []).filter((m) => m.role !== 'viewer'));

  const [announcement, setAnnouncement] = createSignal('');
  const announce = (message: string) => {
    // Cleared first so that the same message twice is announced twice.
    setAnnouncement('');
    queueMicrotask(() => setAnnouncement(message));
  };

  const [draft, setDraft] = createSignal<Span>();
  /** Show the transcript as pseudonymised exports do (read-only). */
  const [anonymised, setAnonymised] = createSignal(false);

  // Opened from a search hit or a retrieved passage (`?start=&end=` in code points): select that
  // passage, ready to code, and bring it into view once the transcript is drawn.
  const [query] = useSearchParams<{ start?: string; end?: string }>();
  let jumped = '';
  createEffect(() => {
    const current = text();
    const start = Number(query.start);
    const end = Number(query.end);
    const key = `${params.documentId}:${query.start}:${query.end}`;
    if (!current || jumped === key || !Number.isInteger(start) || !Number.isInteger(end)) return;
    if (start < 0 || end > current.length || start >= end) return;
    jumped = key;
    setDraft({ start, end });
    requestAnimationFrame(() => {
      const pieces = page.querySelectorAll<HTMLElement>('span[data-start]');
      const target = [...pieces].find(
        (el) => Number(el.dataset.end) > start && Number(el.dataset.start) < end,
      );
      target?.scrollIntoView({ block: 'center' });
    });
  });
  const [picking, setPicking] = createSignal<{
    span: Span;
    position: { top: number; left: number };
    returnTo: HTMLElement | null;
  }>();
  const [shown, setShown] = createSignal<{
    ids: readonly string[];
    position: { top: number; left: number };
    returnTo: HTMLElement | null;
  }>();
  const [reselecting, setReselecting] = createSignal<Coding>();
  const [help, setHelp] = createSignal(false);
  const shownCodings = createMemo(() => {
    const ids = shown()?.ids ?? [];
    return state.codings().filter((c) => ids.includes(c.id) || ids.includes(state.renderKey(c)));
  });

  const activeElement = () => (document.activeElement instanceof HTMLElement ? document.activeElement : null);
  const restoreFocus = (element: HTMLElement | null) => {
    if (element && element.isConnected) element.focus({ preventScroll: true });
  };

  const closePicker = () => {
    const returnTo = picking()?.returnTo ?? null;
    setPicking(undefined);
    setDraft(undefined);
    window.getSelection()?.removeAllRanges();
    restoreFocus(returnTo);
  };
  const apply = (codeId: CodeId, span: Span) => {
    const name = state.codeById().get(codeId)?.name ?? '?';
    prefs().noteUsed(codeId);
    announce(t('coding.coded', { code: name }));
    void state.applyCode(codeId, span);
  };
  const pick = (codeId: CodeId) => {
    const chosen = picking();
    closePicker();
    if (chosen) apply(codeId, chosen.span);
  };
  const applyPinned = (index: number, span: Span) => {
    const codeId = prefs().pins()[index];
    if (!codeId || !state.codeById().has(codeId)) {
      announce(t('coding.noPin', { key: index + 1 }));
      return;
    }
    setDraft(undefined);
    apply(codeId as CodeId, span);
  };
  const onSelect = (span: Span, rect: DOMRect) => {
    const coding = reselecting();
    if (coding) {
      setReselecting(undefined);
      setDraft(undefined);
      window.getSelection()?.removeAllRanges();
      void state.updateCoding(coding, { start: span.start, end: span.end }).then((ok) => {
        if (ok) announce(t('coding.reselected'));
      });
      return;
    }
    setShown(undefined);
    setPicking({ span, position: placeUnder(rect, page), returnTo: activeElement() });
  };
  const mayEdit = (coding: Coding) =>
    !isProvisional(coding.id) && (isLead() || (role() === 'coder' && coding.coderId === me()));

  // Undo and redo, the help dialog, from anywhere on the page but a text field.
  const onKeyDown = (event: KeyboardEvent) => {
    if (typingIn(event.target) || help()) return;
    const key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && !event.altKey && canCode()) {
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        void undo();
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        void redo();
      }
    } else if (event.key === '?') {
      event.preventDefault();
      setHelp(true);
    } else if (event.key === 'Escape') {
      if (reselecting()) setReselecting(undefined);
      else if (shown()) {
        const returnTo = shown()?.returnTo ?? null;
        setShown(undefined);
        restoreFocus(returnTo);
      } else if (picking()) closePicker();
    }
  };
  onMount(() => document.addEventListener('keydown', onKeyDown));
  onCleanup(() => document.removeEventListener('keydown', onKeyDown));

  const undo = async () => {
    if (await state.undo()) announce(t('coding.undone'));
  };
  const redo = async () => {
    if (await state.redo()) announce(t('coding.redone'));
  };

  // Someone else's change may remove the codings a popover shows.
  createEffect(
    on(shownCodings, (list) => {
      if (shown() && list.length === 0) setShown(undefined);
    }),
  );

  return (
    <div class="coding-page" ref={page}>
      <ErrorAlert
        error={state.error() ?? state.document.error ?? state.project.error}
        onDismiss={state.error() ? () => state.setError(undefined) : undefined}
      />
      <Show when={state.documentDeleted()}>
        <div class="alert" role="alert">
          <p>{t('coding.documentDeleted')}</p>
        </div>
      </Show>
      <header class="coding-header">
        <A class="back-link" href={`/projects/${params.projectId}`}>
          ← {state.project()?.name ?? t('coding.back')}
        </A>
        <h1>{state.documentMeta()?.name ?? t('app.loading')}</h1>
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
        <Show when={state.documentMeta()}>
          {(meta) => <DocumentMemo memo={meta().memo} canEdit={canCode()} onSave={state.saveDocumentMemo} />}
        </Show>
      </header>

      <div class="coding-toolbar" role="group" aria-label={t('coding.toolbar')}>
        <Show when={canCode()}>
          <div class="toolbar-group">
            <button
              type="button"
              class="small-button"
              aria-keyshortcuts="Control+Z"
              disabled={state.history()?.undo === null}
              onClick={() => void undo()}
            >
              ↶ {t('coding.undo')}
            </button>
            <button
              type="button"
              class="small-button"
              aria-keyshortcuts="Control+Shift+Z"
              disabled={state.history()?.redo === null}
              onClick={() => void redo()}
            >
              ↷ {t('coding.redo')}
            </button>
          </div>
        </Show>
        <label class="toolbar-group">
          <span>{t('coding.showCoders')}</span>
          <select
            value={(() => {
              const f = coderFilter();
              return typeof f === 'string' ? f : f.coderId;
            })()}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setCoderFilter(value === 'all' || value === 'mine' ? value : { coderId: value });
            }}
          >
            <option value="all">{t('coding.allCoders')}</option>
            <option value="mine">{t('coding.myCodings')}</option>
            <For each={coders().filter((m) => m.userId !== me())}>
              {(m) => <option value={m.userId}>{m.displayName || m.username}</option>}
            </For>
          </select>
        </label>
        <Show when={canCode()}>
          <label class="toolbar-group checkbox">
            <input
              type="checkbox"
              checked={prefs().snap()}
              onChange={(e) => prefs().setSnap(e.currentTarget.checked)}
            />
            <span>{t('coding.snap')}</span>
          </label>
        </Show>
        <label class="toolbar-group checkbox">
          <input
            type="checkbox"
            checked={anonymised()}
            onChange={(e) => setAnonymised(e.currentTarget.checked)}
          />
          <span>{t('coding.anonymised')}</span>
        </label>
        <div class="toolbar-group presence" aria-live="polite">
          <span class="live-dot" classList={{ off: state.feedStatus() !== 'open' }} aria-hidden="true" />
          <span class="muted small">
            {state.feedStatus() === 'open' ? t('coding.live') : t('coding.reconnecting')}
          </span>
          <Show when={state.presence().length > 0}>
            <span class="presence-label">{t('coding.alsoHere')}</span>
            <ul class="presence-list">
              <For each={state.presence()}>{(p) => <li class="badge">{p.displayName || p.username}</li>}</For>
            </ul>
          </Show>
        </div>
        <button
          type="button"
          class="small-button help-button"
          aria-keyshortcuts="?"
          onClick={() => setHelp(true)}
        >
          {t('coding.shortcuts')}
        </button>
      </div>

      <div class="coding-layout">
        <section class="transcript-column" aria-label={t('coding.transcript')}>
          <Show when={reselecting()}>
            {(coding) => (
              <div class="notice reselect" role="status">
                {t('coding.reselectPrompt', { code: state.codeById().get(coding().codeId)?.name ?? '?' })}{' '}
                <button type="button" class="small-button" onClick={() => setReselecting(undefined)}>
                  {t('common.cancel')}
                </button>
              </div>
            )}
          </Show>
          <Show when={anonymised() && text()}>
            {(current) => (
              <AnonymisedView
                projectId={params.projectId}
                documentId={params.documentId}
                text={current()}
                blocks={blocks()}
              />
            )}
          </Show>
          <Show
            when={!anonymised() && text()}
            fallback={
              <Show when={!anonymised()}>
                <p class="muted">{t('app.loading')}</p>
              </Show>
            }
          >
            {(current) => (
              <TranscriptView
                text={current()}
                blocks={blocks()}
                codings={visibleCodings()}
                codeById={state.codeById()}
                coderName={state.coderName}
                renderKey={state.renderKey}
                pending={picking()?.span ?? draft()}
                canCode={canCode()}
                snap={prefs().snap()}
                interviewerLabels={state.interviewerLabels()}
                onSelect={onSelect}
                onDraft={setDraft}
                onPinned={applyPinned}
                announce={announce}
                onOpenCodings={(ids, rect) => {
                  setPicking(undefined);
                  setShown({ ids, position: placeUnder(rect, page), returnTo: activeElement() });
                }}
              />
            )}
          </Show>
        </section>
        <aside class="codebook-column" aria-label={t('codebook.title')}>
          <CodebookPanel
            projectId={params.projectId}
            codes={state.codes()}
            flat={flatAll()}
            allCodings={state.allCodings}
            canCreate={canCode()}
            canManage={isLead()}
            mayMove={mayEdit}
            coderName={state.coderName}
            pins={prefs().pins()}
            onTogglePin={(id) => prefs().togglePin(id)}
            hidden={hidden()}
            onToggleHidden={(id) =>
              setHidden((set) => {
                const next = new Set(set);
                if (next.has(id)) next.delete(id);
                else next.add(id);
                return next;
              })
            }
            onCreate={state.createCode}
            actions={{
              updateCode: state.updateCode,
              deleteCode: state.deleteCode,
              mergeCode: state.mergeCode,
              moveCodings: state.moveCodings,
            }}
            announce={announce}
          />
        </aside>
      </div>
      <Show when={picking()}>
        {(current) => (
          <CodePicker
            codes={flatCodes()}
            pins={prefs().pins()}
            recent={prefs().recent()}
            excerpt={excerpt(text()?.slice(current().span.start, current().span.end) ?? '')}
            position={current().position}
            onPick={pick}
            onClose={closePicker}
          />
        )}
      </Show>
      <Show when={shown() && shownCodings().length > 0 ? shown() : undefined}>
        {(current) => (
          <Show when={text()}>
            {(transcript) => (
              <CodingDetails
                codings={shownCodings()}
                codeById={state.codeById()}
                codes={flatCodes()}
                text={transcript()}
                coderName={state.coderName}
                mayEdit={mayEdit}
                canCode={canCode()}
                position={current().position}
                onRemove={(coding) => void state.removeCoding(coding)}
                onUpdate={(coding, patch) => void state.updateCoding(coding, patch)}
                onReselect={(coding) => {
                  setShown(undefined);
                  setReselecting(coding);
                  announce(
                    t('coding.reselectPrompt', { code: state.codeById().get(coding.codeId)?.name ?? '?' }),
                  );
                }}
                onAddCode={(span) => {
                  const { returnTo, position } = current();
                  setShown(undefined);
                  setPicking({ span, position, returnTo });
                }}
                onClose={() => {
                  const returnTo = current().returnTo;
                  setShown(undefined);
                  restoreFocus(returnTo);
                }}
              />
            )}
          </Show>
        )}
      </Show>
      <Show when={help()}>
        <HelpDialog onClose={() => setHelp(false)} />
      </Show>
      <div class="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement()}
      </div>
    </div>
  );
}
