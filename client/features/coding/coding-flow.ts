/**
 * The coding view's popovers and what leads to them: a passage selected (mouse or keyboard) opens
 * the code picker, a coded passage opens its codings' details, a coding's passage can be selected
 * again; focus goes back where it was when a popover closes. Also the page's own shortcuts.
 */
import { createEffect, createMemo, createSignal, on, onCleanup, onMount } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { isRedacted, type LoggedProjectEvent } from '../../../shared/events.ts';
import type { Span } from '../../../shared/spans.ts';
import { describeEvent } from '../review/activity.ts';
import type { CodePrefs } from './code-prefs.ts';
import type { CodeId, Coding, CodingState } from './coding-state.ts';

const POPOVER_WIDTH = 340;

/** Where a popover is drawn, and what gets focus back when it closes. */
export interface PopoverPlace {
  position: { top: number; left: number };
  returnTo: HTMLElement | null;
}

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

const activeElement = () => (document.activeElement instanceof HTMLElement ? document.activeElement : null);
const restoreFocus = (element: HTMLElement | null) => {
  if (element && element.isConnected) element.focus({ preventScroll: true });
};

/** The open popovers: the picker for a passage, or the details of the codings shown. */
function createPopovers(state: CodingState, page: () => HTMLElement) {
  const [draft, setDraft] = createSignal<Span>();
  const [picking, setPicking] = createSignal<PopoverPlace & { span: Span }>();
  const [shown, setShown] = createSignal<PopoverPlace & { ids: readonly string[] }>();
  const shownCodings = createMemo(() => {
    const ids = shown()?.ids ?? [];
    return state.codings().filter((c) => ids.includes(c.id) || ids.includes(state.renderKey(c)));
  });
  // Someone else's change may remove the codings a popover shows.
  createEffect(
    on(shownCodings, (list) => {
      if (shown() && list.length === 0) setShown(undefined);
    }),
  );
  const closePicker = () => {
    const returnTo = picking()?.returnTo ?? null;
    setPicking(undefined);
    setDraft(undefined);
    window.getSelection()?.removeAllRanges();
    restoreFocus(returnTo);
  };
  const closeDetails = () => {
    const returnTo = shown()?.returnTo ?? null;
    setShown(undefined);
    restoreFocus(returnTo);
  };
  const openPicker = (span: Span, rect: DOMRect) => {
    setShown(undefined);
    setPicking({ span, position: placeUnder(rect, page()), returnTo: activeElement() });
  };
  const openCodings = (ids: readonly string[], rect: DOMRect) => {
    setPicking(undefined);
    setShown({ ids, position: placeUnder(rect, page()), returnTo: activeElement() });
  };
  /** From the details, code the same passage with another code: the picker takes their place. */
  const addCode = (span: Span, from: PopoverPlace) => {
    setShown(undefined);
    setPicking({ span, position: from.position, returnTo: from.returnTo });
  };
  return {
    draft,
    setDraft,
    picking,
    shown,
    setShown,
    shownCodings,
    closePicker,
    closeDetails,
    openPicker,
    openCodings,
    addCode,
  };
}

/** Undo and redo, each announced and named beside the buttons. */
function createReversals(state: CodingState, announce: (message: string) => void) {
  /** The last undo or redo, named (« Annulé : Camille a codé … »), shown beside the buttons. */
  const [reversal, setReversal] = createSignal<string>();
  const nameChange = (change: readonly LoggedProjectEvent[]): string | undefined => {
    const first = change.find((e) => !isRedacted(e)) ?? change[0];
    if (!first) return undefined;
    const document = state.document();
    const sentence = describeEvent(first, {
      user: (id) => state.coderName(id),
      code: (id) => state.codeById().get(id)?.name,
      document: (id) => (document && id === document.id ? document.name : undefined),
    });
    return change.length > 1 ? t('coding.changeAndMore', { sentence, count: change.length - 1 }) : sentence;
  };
  const reversed = (kind: 'undo' | 'redo', change: readonly LoggedProjectEvent[]) => {
    const named = nameChange(change);
    const message = named
      ? t(kind === 'undo' ? 'coding.undoneChange' : 'coding.redoneChange', { change: named })
      : t(kind === 'undo' ? 'coding.undone' : 'coding.redone');
    setReversal(message);
    announce(message);
  };
  const undo = async () => {
    const change = await state.undo();
    if (change) reversed('undo', change);
  };
  const redo = async () => {
    const change = await state.redo();
    if (change) reversed('redo', change);
  };
  return { reversal, undo, redo };
}

export function createCodingFlow(deps: {
  state: CodingState;
  prefs: () => CodePrefs;
  page: () => HTMLElement;
  canCode: () => boolean;
  announce: (message: string) => void;
}) {
  const { state, announce } = deps;
  const popovers = createPopovers(state, deps.page);
  const [reselecting, setReselecting] = createSignal<Coding>();
  const [help, setHelp] = createSignal(false);
  const codeName = (codeId: string) => state.codeById().get(codeId)?.name ?? '?';

  const apply = (codeId: CodeId, span: Span) => {
    deps.prefs().noteUsed(codeId);
    announce(t('coding.coded', { code: codeName(codeId) }));
    void state.applyCode(codeId, span);
  };
  const pick = (codeId: CodeId) => {
    const chosen = popovers.picking();
    popovers.closePicker();
    if (chosen) apply(codeId, chosen.span);
  };
  const applyPinned = (index: number, span: Span) => {
    const codeId = deps.prefs().pins()[index];
    if (!codeId || !state.codeById().has(codeId)) {
      announce(t('coding.noPin', { key: index + 1 }));
      return;
    }
    popovers.setDraft(undefined);
    apply(codeId as CodeId, span);
  };
  /** A passage was selected: it becomes the coding being selected again, or goes to the picker. */
  const onSelect = (span: Span, rect: DOMRect) => {
    const coding = reselecting();
    if (!coding) return popovers.openPicker(span, rect);
    setReselecting(undefined);
    popovers.setDraft(undefined);
    window.getSelection()?.removeAllRanges();
    void state.updateCoding(coding, { start: span.start, end: span.end }).then((ok) => {
      if (ok) announce(t('coding.reselected'));
    });
  };
  const reselect = (coding: Coding) => {
    popovers.setShown(undefined);
    setReselecting(coding);
    announce(t('coding.reselectPrompt', { code: codeName(coding.codeId) }));
  };
  const { reversal, undo, redo } = createReversals(state, announce);

  const flow = {
    ...popovers,
    reselecting,
    setReselecting,
    help,
    setHelp,
    pick,
    applyPinned,
    onSelect,
    reselect,
    undo,
    redo,
    reversal,
  };
  createPageShortcuts(flow, deps.canCode);
  return flow;
}

export type CodingFlow = ReturnType<typeof createCodingFlow>;

/** Undo and redo, the help dialog, Escape, from anywhere on the page but a text field. */
function createPageShortcuts(
  flow: Pick<
    CodingFlow,
    | 'help'
    | 'setHelp'
    | 'undo'
    | 'redo'
    | 'reselecting'
    | 'setReselecting'
    | 'shown'
    | 'picking'
    | 'closeDetails'
    | 'closePicker'
  >,
  canCode: () => boolean,
): void {
  const onKeyDown = (event: KeyboardEvent) => {
    if (typingIn(event.target) || flow.help()) return;
    const key = event.key.toLowerCase();
    if ((event.ctrlKey || event.metaKey) && !event.altKey && canCode()) {
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        void flow.undo();
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        void flow.redo();
      }
    } else if (event.key === '?') {
      event.preventDefault();
      flow.setHelp(true);
    } else if (event.key === 'Escape') {
      if (flow.reselecting()) flow.setReselecting(undefined);
      else if (flow.shown()) flow.closeDetails();
      else if (flow.picking()) flow.closePicker();
    }
  };
  onMount(() => document.addEventListener('keydown', onKeyDown));
  onCleanup(() => document.removeEventListener('keydown', onKeyDown));
}
