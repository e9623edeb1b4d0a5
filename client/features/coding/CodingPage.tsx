import { useParams, useSearchParams } from '@solidjs/router';
import { createEffect, createMemo, createSignal, Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { useSession } from '../../app/session.tsx';
import { t } from '../../i18n/index.ts';
import type { Span } from '../../../shared/spans.ts';
// Before the codebook panel's own styles, which refine some of these (swatches, compact fields).
import './coding.css';
import { CodebookPanel } from '../codebook/CodebookPanel.tsx';
import { flattenCodebook, type FlatCode } from '../codebook/code-tree.ts';
import { createCodePrefs, type CodePrefs } from './code-prefs.ts';
import { createCodingFilters, type CodingFilters } from './coding-filters.ts';
import { createCodingFlow, type CodingFlow } from './coding-flow.ts';
import { createCodingState, isProvisional, type Coding, type CodingState } from './coding-state.ts';
import { CodingHeader } from './CodingHeader.tsx';
import { CodingPopovers } from './CodingPopovers.tsx';
import { CodingToolbar } from './CodingToolbar.tsx';
import { HelpDialog } from './HelpDialog.tsx';
import { createPlayer, PlayerContext, recordingOf } from './player/player.ts';
import { TranscriptPlayer } from './player/TranscriptPlayer.tsx';
import { transcriptBlocks, type Block } from './layout.ts';
import type { TranscriptText } from './selection-to-span.ts';
import { TranscriptColumn } from './TranscriptColumn.tsx';

/** Messages for screen readers, in a polite live region. */
function createAnnouncer() {
  const [announcement, setAnnouncement] = createSignal('');
  const announce = (message: string) => {
    // Cleared first so that the same message twice is announced twice.
    setAnnouncement('');
    queueMicrotask(() => setAnnouncement(message));
  };
  return { announcement, announce };
}

/**
 * Opened from a search hit or a retrieved passage (`?start=&end=` in code points): select that
 * passage, ready to code, and bring it into view once the transcript is drawn.
 */
function createPassageJump(
  text: () => TranscriptText | undefined,
  documentId: () => string,
  select: (span: Span) => void,
  page: () => HTMLElement,
): void {
  const [query] = useSearchParams<{ start?: string; end?: string }>();
  let jumped = '';
  createEffect(() => {
    const current = text();
    const start = Number(query.start);
    const end = Number(query.end);
    const key = `${documentId()}:${query.start}:${query.end}`;
    if (!current || jumped === key || !Number.isInteger(start) || !Number.isInteger(end)) return;
    if (start < 0 || end > current.length || start >= end) return;
    jumped = key;
    select({ start, end });
    requestAnimationFrame(() => {
      const pieces = page().querySelectorAll<HTMLElement>('span[data-start]');
      const target = [...pieces].find(
        (el) => Number(el.dataset.end) > start && Number(el.dataset.start) < end,
      );
      target?.scrollIntoView({ block: 'center' });
    });
  });
}

/** What the user's role in the project lets them do here. */
function createAccess(state: CodingState, me: () => string | undefined) {
  const role = () => state.project()?.role;
  const isLead = () => role() === 'lead';
  return {
    role,
    canCode: () => role() === 'lead' || role() === 'coder',
    isLead,
    /** A lead changes any coding; a coder their own. */
    mayEdit: (coding: Coding) =>
      !isProvisional(coding.id) && (isLead() || (role() === 'coder' && coding.coderId === me())),
  };
}

/** The last refusal (or a failed load), and a notice once the document is deleted. */
function CodingAlerts(props: { state: CodingState }) {
  return (
    <>
      <ErrorAlert
        error={props.state.error() ?? props.state.opened.error}
        onDismiss={props.state.error() ? () => props.state.setError(undefined) : undefined}
      />
      <Show when={props.state.documentDeleted()}>
        <div class="alert" role="alert">
          <p>{t('coding.documentDeleted')}</p>
        </div>
      </Show>
    </>
  );
}

/** The transcript's blocks (turns and paragraphs), once the document and its text are read. */
function blocksOf(state: CodingState) {
  const doc = state.document();
  const current = state.text();
  return doc && current ? transcriptBlocks(current, doc.turns, doc.marks) : [];
}

/** The document's recording, if any, and the player that plays it beside the transcript. */
function createDocumentPlayer(state: CodingState) {
  const recording = createMemo(() => {
    const doc = state.document();
    return doc ? recordingOf(doc) : null;
  });
  const syncPoints = () => state.document()?.syncPoints ?? [];
  const player = createPlayer(syncPoints, () => recording() !== null);
  return { recording, syncPoints, player };
}

/** Where the document's recording is served. */
function mediaUrl(projectId: string, documentId: string): string {
  return `/api/projects/${encodeURIComponent(projectId)}/documents/${encodeURIComponent(documentId)}/media`;
}

export default function CodingPage() {
  const params = useParams<{ projectId: string; documentId: string }>();
  const session = useSession();
  const state = createCodingState(
    () => ({ projectId: params.projectId, documentId: params.documentId }),
    () => session.user() ?? undefined,
  );
  const prefs = createMemo(() => createCodePrefs(params.projectId));
  let page!: HTMLDivElement;

  const blocks = createMemo(() => blocksOf(state));
  const me = () => session.user()?.id;
  const { role, canCode, isLead, mayEdit } = createAccess(state, me);
  const flatAll = createMemo(() => flattenCodebook(state.codes()));
  const flatCodes = createMemo(() => flatAll().filter((item) => !isProvisional(item.code.id)));
  const filters = createCodingFilters(state, me);
  const { announcement, announce } = createAnnouncer();
  /** Show the transcript as pseudonymised exports do (read-only). */
  const [anonymised, setAnonymised] = createSignal(false);
  const flow = createCodingFlow({ state, prefs, page: () => page, canCode, announce });
  createPassageJump(
    state.text,
    () => params.documentId,
    flow.setDraft,
    () => page,
  );
  const documentPlayer = createDocumentPlayer(state);
  const { recording, player } = documentPlayer;

  return (
    <PlayerContext.Provider value={player}>
      <div class="coding-page" classList={{ 'with-player': recording() !== null }} ref={page}>
        <CodingAlerts state={state} />
        <CodingHeader projectId={params.projectId} state={state} role={role()} canCode={canCode()} />
        <CodingToolbar
          state={state}
          flow={flow}
          filters={filters}
          prefs={prefs()}
          me={me()}
          canCode={canCode()}
          anonymised={anonymised()}
          onAnonymised={setAnonymised}
        />
        <CodingColumns
          projectId={params.projectId}
          documentId={params.documentId}
          state={state}
          flow={flow}
          filters={filters}
          prefs={prefs()}
          blocks={blocks()}
          flat={flatAll()}
          canCode={canCode()}
          isLead={isLead()}
          anonymised={anonymised()}
          mayEdit={mayEdit}
          announce={announce}
        />
        <CodingPopovers
          state={state}
          flow={flow}
          prefs={prefs()}
          codes={flatCodes()}
          canCode={canCode()}
          mayEdit={mayEdit}
        />
        <Show when={flow.help()}>
          <HelpDialog onClose={() => flow.setHelp(false)} />
        </Show>
        <RecordingPlayer
          documentPlayer={documentPlayer}
          src={mediaUrl(params.projectId, params.documentId)}
          root={() => page}
          announce={announce}
        />
        <div class="visually-hidden" aria-live="polite" aria-atomic="true">
          {announcement()}
        </div>
      </div>
    </PlayerContext.Provider>
  );
}

/** The codebook beside the transcript: codes to pin, hide, create and (for a lead) manage. */
function CodebookColumn(props: {
  projectId: string;
  state: CodingState;
  filters: CodingFilters;
  prefs: CodePrefs;
  flat: readonly FlatCode[];
  canCode: boolean;
  isLead: boolean;
  mayEdit: (coding: Coding) => boolean;
  announce: (message: string) => void;
}) {
  return (
    <aside class="codebook-column" aria-label={t('codebook.title')}>
      <CodebookPanel
        projectId={props.projectId}
        codes={props.state.codes()}
        flat={props.flat}
        loadCodings={props.state.codingsOfCode}
        seq={props.state.seq}
        canCreate={props.canCode}
        canManage={props.isLead}
        mayMove={props.mayEdit}
        coderName={props.state.coderName}
        pins={props.prefs.pins()}
        onTogglePin={(id) => props.prefs.togglePin(id)}
        hidden={props.filters.hidden()}
        onToggleHidden={props.filters.toggleHidden}
        onCreate={props.state.createCode}
        actions={{
          updateCode: props.state.updateCode,
          deleteCode: props.state.deleteCode,
          mergeCode: props.state.mergeCode,
          moveCodings: props.state.moveCodings,
        }}
        announce={props.announce}
      />
    </aside>
  );
}

/** The transcript and, beside it, the codebook. */
function CodingColumns(props: {
  projectId: string;
  documentId: string;
  state: CodingState;
  flow: CodingFlow;
  filters: CodingFilters;
  prefs: CodePrefs;
  blocks: readonly Block[];
  flat: readonly FlatCode[];
  canCode: boolean;
  isLead: boolean;
  anonymised: boolean;
  mayEdit: (coding: Coding) => boolean;
  announce: (message: string) => void;
}) {
  return (
    <div class="coding-layout">
      <TranscriptColumn
        projectId={props.projectId}
        documentId={props.documentId}
        state={props.state}
        flow={props.flow}
        filters={props.filters}
        prefs={props.prefs}
        blocks={props.blocks}
        canCode={props.canCode}
        anonymised={props.anonymised}
        announce={props.announce}
      />
      <CodebookColumn
        projectId={props.projectId}
        state={props.state}
        filters={props.filters}
        prefs={props.prefs}
        flat={props.flat}
        canCode={props.canCode}
        isLead={props.isLead}
        mayEdit={props.mayEdit}
        announce={props.announce}
      />
    </div>
  );
}

/** The player of the document's recording, when it has one. */
function RecordingPlayer(props: {
  documentPlayer: ReturnType<typeof createDocumentPlayer>;
  src: string;
  root: () => HTMLElement;
  announce: (message: string) => void;
}) {
  return (
    <Show when={props.documentPlayer.recording()}>
      {(current) => (
        <TranscriptPlayer
          player={props.documentPlayer.player}
          recording={current()}
          src={props.src}
          points={props.documentPlayer.syncPoints}
          root={props.root}
          announce={props.announce}
        />
      )}
    </Show>
  );
}
