/**
 * The coding view's live copy of the project: codes and codings are loaded once, then kept current
 * from the server's event log (live feed, or a catch-up read after an undo). Actions change this
 * copy at once through `patchCodings` / `patchCodes` and put it back if the server refuses.
 */
import { createEffect, createMemo, createResource, createSignal, onCleanup, type Accessor } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import type { ProjectEvent } from '../../../shared/events.ts';
import type { Code, Coding } from '../../../shared/model.ts';
import { withoutCount, type CodeWithCount } from '../codebook/code-tree.ts';
import { isEvent, openLiveFeed, type PresenceEntry } from './live-feed.ts';
import { applyEvents, countCodings, emptyView, type LiveView } from './live-changes.ts';
import { loadPageResources, type CodingIds, type PageResources } from './page-resources.ts';
import { TranscriptText } from './selection-to-span.ts';

/** Events read per catch-up request. */
const CATCH_UP_PAGE = 1000;

function byPosition(a: Coding, b: Coding): number {
  return a.start - b.start || a.end - b.end || a.createdAt.localeCompare(b.createdAt);
}

/** Everything the view needs from the server at once, before the live feed takes over. */
async function loadSnapshot({ projectId }: CodingIds): Promise<LiveView> {
  // The project's seq is read first: events after it may already be in the codes and codings read
  // next, and folding them again is harmless (each event states the whole object after it).
  const project = await unwrap(api.projects[':projectId'].$get({ param: { projectId } }));
  const [codes, codings] = await Promise.all([
    unwrap(api.projects[':projectId'].codes.$get({ param: { projectId } })),
    unwrap(api.projects[':projectId'].codings.$get({ param: { projectId }, query: {} })),
  ]);
  return {
    ...emptyView(project.seq),
    codes: new Map(codes.codes.map((c) => [c.id as string, withoutCount(c)])),
    codings: new Map(codings.codings.map((c) => [c.id as string, c])),
  };
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

export function createLiveDocument(ids: () => CodingIds, me: () => { id: string } | undefined) {
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
    const self = me()?.id;
    if (self && outcome.authors.has(self)) void resources.refetchHistory();
  };

  createFeedFollower(ids, fold, {
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
    allCodings: () => view().codings,
  };
}

export type LiveDocument = ReturnType<typeof createLiveDocument>;

/** Start from the snapshot, then follow the live feed from its seq (again when the ids change). */
function createFeedFollower(
  ids: () => CodingIds,
  fold: (events: readonly ProjectEvent[]) => void,
  on: {
    onStart: (loaded: LiveView) => void;
    onPresence: (entries: PresenceEntry[]) => void;
    onStatus: (status: 'open' | 'connecting') => void;
  },
): void {
  const [snapshot] = createResource(() => ({ ...ids() }), loadSnapshot);
  let closeFeed: (() => void) | undefined;
  onCleanup(() => closeFeed?.());
  createEffect(() => {
    const loaded = snapshot();
    if (!loaded) return;
    closeFeed?.();
    on.onStart(loaded);
    const { projectId, documentId } = ids();
    closeFeed = openLiveFeed(
      (after) =>
        api.projects[':projectId'].events.$url({
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
  const counts = createMemo(() => countCodings(view().codings.values()));
  const codes = createMemo<CodeWithCount[]>(() => {
    const n = counts();
    return [...view().codes.values()].map((c) => ({ ...c, codings: n.get(c.id) ?? 0 }));
  });
  const codeById = createMemo(() => new Map(codes().map((c) => [c.id as string, c])));
  const codings = createMemo(() => {
    const documentId = ids().documentId;
    const list: Coding[] = [];
    for (const c of view().codings.values()) if (c.documentId === documentId) list.push(c);
    return list.sort(byPosition);
  });
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
  /** The participant interviewed in this document, with the project's attribute definitions. */
  const participant = createMemo(() => {
    const id = documentMeta()?.participantId;
    const list = resources.participants();
    const found = id && list ? list.participants.find((p) => p.id === id) : undefined;
    return found && list ? { participant: found, attributes: list.attributes } : undefined;
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
