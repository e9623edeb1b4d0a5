/**
 * The coding view's live copy of what it shows: the codebook, the open document's codings and the
 * number of codings of each code elsewhere, read once with the document (one request), then kept
 * current from the server's event log (live feed, or a catch-up read after an undo). Actions change
 * this copy at once through `patchCodings` / `patchCodes` and put it back if the server refuses.
 */
import { createEffect, createMemo, createSignal, onCleanup, type Accessor, type Resource } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import type { ProjectEvent } from '../../../shared/events.ts';
import type { Code, Coding } from '../../../shared/model.ts';
import { CodePointIndex } from '../../../shared/offsets.ts';
import { withoutCount, type CodeWithCount } from '../codebook/code-tree.ts';
import { isEvent, openLiveFeed, type PresenceEntry } from './live-feed.ts';
import { applyEvents, codingCountsOf, emptyView, type LiveView } from './live-changes.ts';
import {
  loadPageResources,
  type CodingIds,
  type DocumentView,
  type PageResources,
} from './page-resources.ts';
import { TranscriptText } from './selection-to-span.ts';

/** Events read per catch-up request. */
const CATCH_UP_PAGE = 1000;

function byPosition(a: Coding, b: Coding): number {
  return a.start - b.start || a.end - b.end || a.createdAt.localeCompare(b.createdAt);
}

/**
 * The live view as the document view gives it, at its seq: the feed resumes from there. The view
 * sends codings without their document's id and covered text, which the document gives.
 */
function viewOf(opened: DocumentView): LiveView {
  const text = new CodePointIndex(opened.document.text);
  const documentId = opened.document.id;
  const otherCounts = new Map<string, number>();
  for (const code of opened.codes) {
    const elsewhere = code.codings - code.inDocument;
    if (elsewhere > 0) otherCounts.set(code.id, elsewhere);
  }
  return {
    ...emptyView(opened.seq),
    codes: new Map(
      opened.codes.map(({ inDocument: _inDocument, ...c }) => [c.id as string, withoutCount(c)]),
    ),
    codings: new Map(
      opened.codings.map((c) => [c.id as string, { ...c, documentId, text: text.slice(c.start, c.end) }]),
    ),
    otherCounts,
  };
}

/**
 * The counts per code in the other documents, read again after an erasure took codings the events
 * do not list: the project's counts (kept by the server's index) less the open document's.
 */
async function readOtherCounts(projectId: string, codings: ReadonlyMap<string, Coding>) {
  const { codes } = await unwrap(api.projects[':projectId'].codes.$get({ param: { projectId } }));
  const here = new Map<string, number>();
  for (const c of codings.values()) here.set(c.codeId, (here.get(c.codeId) ?? 0) + 1);
  const counts = new Map<string, number>();
  for (const code of codes) {
    const elsewhere = code.codings - (here.get(code.id) ?? 0);
    if (elsewhere > 0) counts.set(code.id, elsewhere);
  }
  return counts;
}

/** The events after `after`, as the route lists them (its JSON answer is not typed: checked here). */
async function readEvents(projectId: string, after: number): Promise<ProjectEvent[]> {
  const page: unknown = await unwrap(
    api.projects[':projectId'].events.$get({
      param: { projectId },
      query: { after: String(after), limit: String(CATCH_UP_PAGE) },
    }),
  );
  const listed = (page as { events?: unknown } | undefined)?.events;
  return Array.isArray(listed) ? listed.filter(isEvent) : [];
}

export function createLiveDocument(
  ids: () => CodingIds,
  me: () => { id: string } | undefined,
  /** Shows a failed background read (the counts after an erasure). */
  showError: (failure: unknown) => void,
) {
  const resources = loadPageResources(ids);
  const [view, setView] = createSignal<LiveView>(emptyView());
  const [ready, setReady] = createSignal(false);
  const [presence, setPresence] = createSignal<PresenceEntry[]>([]);
  const [feedStatus, setFeedStatus] = createSignal<'open' | 'connecting'>('connecting');

  /**
   * Server id → the provisional id a coding was first drawn with. Drawing a confirmed coding under
   * its first id keeps its DOM in place, so a selection the user is dragging meanwhile survives.
   */
  const drawnAs = new Map<string, string>();
  const renderKey = (coding: Coding): string => drawnAs.get(coding.id) ?? coding.id;
  /** A coding the server created from a provisional one is drawn under that one's id. */
  const noteConfirmed = (serverId: string, provisionalId: string) => {
    if (!drawnAs.has(serverId)) drawnAs.set(serverId, provisionalId);
  };

  /** Fold events in; note provisional ids the server confirmed; follow members and history. */
  const fold = (events: readonly ProjectEvent[]) => {
    if (events.length === 0) return;
    const outcome = applyEvents(view(), events, ids().documentId);
    for (const [from, to] of outcome.confirmed) drawnAs.set(to, drawnAs.get(from) ?? from);
    setView(outcome.view);
    if (outcome.membersChanged) void resources.refetchMembers();
    if (outcome.countsOutdated) {
      readOtherCounts(ids().projectId, outcome.view.codings).then(
        (otherCounts) => setView((v) => ({ ...v, otherCounts })),
        showError,
      );
    }
    const self = me()?.id;
    if (self && outcome.authors.has(self)) void resources.refetchHistory();
  };

  createFeedFollower(ids, resources.opened, fold, {
    onStart: (loaded) => {
      setView(loaded);
      setReady(true);
    },
    onPresence: setPresence,
    onStatus: setFeedStatus,
  });

  /** Read the events the live feed may not have delivered yet (after an undo, a merge…). */
  async function catchUp(): Promise<void> {
    for (;;) {
      const events = await readEvents(ids().projectId, view().seq);
      fold(events);
      if (events.length < CATCH_UP_PAGE) return;
    }
  }

  /** The view with codings or codes put back, changed or removed. */
  const patchCodings = (change: (map: Map<string, Coding>) => void) =>
    setView((v) => {
      const map = new Map(v.codings);
      change(map);
      return { ...v, codings: map };
    });
  const patchCodes = (change: (map: Map<string, Code>) => void) =>
    setView((v) => {
      const map = new Map(v.codes);
      change(map);
      return { ...v, codes: map };
    });

  return {
    ...resources,
    ...createDerivedViews(view, ids, resources, me, presence),
    ready,
    feedStatus,
    renderKey,
    noteConfirmed,
    catchUp,
    patchCodings,
    patchCodes,
    seq: () => view().seq,
    /** The codings of one code in the whole project, by document and position (for a split). */
    codingsOfCode: async (codeId: string): Promise<readonly Coding[]> =>
      (
        await unwrap(
          api.projects[':projectId'].codings.$get({
            param: { projectId: ids().projectId },
            query: { codeId },
          }),
        )
      ).codings,
  };
}

export type LiveDocument = ReturnType<typeof createLiveDocument>;

/** Start from the snapshot, then follow the live feed from its seq (again when the ids change). */
function createFeedFollower(
  ids: () => CodingIds,
  opened: Resource<DocumentView>,
  fold: (events: readonly ProjectEvent[]) => void,
  on: {
    onStart: (loaded: LiveView) => void;
    onPresence: (entries: PresenceEntry[]) => void;
    onStatus: (status: 'open' | 'connecting') => void;
  },
): void {
  let closeFeed: (() => void) | undefined;
  onCleanup(() => closeFeed?.());
  createEffect(() => {
    const snapshot = opened();
    if (!snapshot) return;
    const loaded = viewOf(snapshot);
    closeFeed?.();
    on.onStart(loaded);
    const { projectId, documentId } = ids();
    closeFeed = openLiveFeed(
      (after) =>
        api.projects[':projectId'].events.live.$url({
          param: { projectId },
          query: { after: String(after), documentId },
        }).href,
      loaded.seq,
      { onChanges: fold, onPresence: on.onPresence, onStatus: on.onStatus },
    );
  });
}

/** What the page shows, derived from the live view and the resources. */
function createDerivedViews(
  view: Accessor<LiveView>,
  ids: () => CodingIds,
  resources: PageResources,
  me: () => { id: string } | undefined,
  presence: Accessor<PresenceEntry[]>,
) {
  const counts = createMemo(() => codingCountsOf(view()));
  const codes = createMemo<CodeWithCount[]>(() => {
    const n = counts();
    return [...view().codes.values()].map((c) => ({ ...c, codings: n.get(c.id) ?? 0 }));
  });
  const codeById = createMemo(() => new Map(codes().map((c) => [c.id as string, c])));
  const codings = createMemo(() => [...view().codings.values()].sort(byPosition));
  /** The document's text, through which every code-point offset is read. */
  const text = createMemo(() => {
    const doc = resources.document();
    return doc ? new TranscriptText(doc.text) : undefined;
  });
  const documentMeta = () => view().document.meta ?? resources.document();
  const coderName = (userId: string): string => {
    const member = (resources.members() ?? []).find((m) => m.userId === userId);
    return member ? member.displayName || member.username : '?';
  };
  /**
   * The participant interviewed in this document, with the project's attribute definitions, as the
   * document was opened; hidden if the document has since been linked to someone else.
   */
  const participant = createMemo(() => {
    const card = resources.participant();
    return card && card.participant.id === documentMeta()?.participantId ? card : undefined;
  });
  /** The others who have this document open (each once). */
  const othersHere = createMemo(() => {
    const self = me()?.id;
    const seen = new Map<string, PresenceEntry>();
    for (const p of presence()) {
      if (p.userId !== self && p.documentId === ids().documentId) seen.set(p.userId, p);
    }
    return [...seen.values()];
  });
  return {
    codes,
    codeById,
    codings,
    text,
    documentMeta,
    documentDeleted: () => view().document.deleted,
    interviewerLabels: () => view().interviewerLabels ?? resources.settings()?.interviewerLabels,
    coderName,
    participant,
    presence: othersHere,
  };
}
