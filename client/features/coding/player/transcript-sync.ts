/**
 * What the player does to the transcript it plays beside: mark the passage being heard (the blocks
 * holding it get the `heard` class, and its exact words a CSS highlight where the browser has the
 * Highlight API), follow it by scrolling, play from a turn whose time is clicked, and the keyboard
 * shortcuts. Everything goes through the transcript's DOM (`data-block-start`, `data-start` in code
 * points), so the transcript's components need no knowledge of the player.
 */
import { createEffect, onCleanup, onMount } from 'solid-js';
import type { SyncPoint } from '../../../../shared/sync-points.ts';
import { SKIP_SECONDS, timeOfBlock, type Player } from './player.ts';

const HIGHLIGHT = 'verbatim-heard';

/** The DOM position of code point `offset` of a piece `<span data-start>`. */
function pointIn(piece: HTMLElement, offset: number): [Node, number] {
  const walker = document.createTreeWalker(piece, NodeFilter.SHOW_TEXT);
  let left = offset;
  let last: Text | null = null;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    last = node;
    const points = [...node.data];
    if (left <= points.length) return [node, points.slice(0, left).join('').length];
    left -= points.length;
  }
  return last ? [last, last.data.length] : [piece, 0];
}

/** The pieces of words drawn over code points `[start, end)`, speakers' labels left out. */
function piecesOf(root: HTMLElement, start: number, end: number): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('.block-text span[data-start]:not(.speaker)')].filter(
    (el) => Number(el.dataset.end) > start && Number(el.dataset.start) < end,
  );
}

/**
 * DOM ranges over the pieces, clipped to `[start, end)`: one per piece, so that neither the margins
 * nor the time column between turns are marked.
 */
function rangesOf(pieces: readonly HTMLElement[], start: number, end: number): Range[] {
  return pieces.map((piece) => {
    const from = Number(piece.dataset.start);
    const to = Number(piece.dataset.end);
    const range = document.createRange();
    range.setStart(...pointIn(piece, Math.max(0, start - from)));
    range.setEnd(...pointIn(piece, Math.min(end, to) - from));
    return range;
  });
}

function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable ||
      target.tagName === 'TEXTAREA' ||
      (target.tagName === 'INPUT' &&
        !['range', 'checkbox', 'button'].includes((target as HTMLInputElement).type)))
  );
}

/** What {@link syncTranscript} binds: the page's player, its sync points and its root element. */
export interface TranscriptBinding {
  readonly player: Player;
  readonly points: () => readonly SyncPoint[];
  readonly root: () => HTMLElement;
  readonly announce: (message: string) => void;
}

/**
 * The passage heard, marked in the transcript (and followed when asked), marked again when coding
 * redraws the pieces under it.
 */
function markHeard(player: Player, root: () => HTMLElement): void {
  /** Mark the passage heard in the transcript as drawn now; its first block, if any. */
  const mark = (heard: { start: number; end: number | null } | null): HTMLElement | undefined => {
    const page = root();
    for (const block of page.querySelectorAll('.block.heard')) block.classList.remove('heard');
    const registry = typeof CSS !== 'undefined' && 'highlights' in CSS ? CSS.highlights : undefined;
    registry?.delete(HIGHLIGHT);
    if (!heard) return undefined;
    const end = heard.end ?? Infinity;
    const pieces = piecesOf(page, heard.start, end);
    const blocks = [...new Set(pieces.map((piece) => piece.closest<HTMLElement>('.block')))].filter(
      (block): block is HTMLElement => block !== null,
    );
    for (const block of blocks) block.classList.add('heard');
    const ranges = rangesOf(pieces, heard.start, end);
    if (registry && ranges.length > 0) registry.set(HIGHLIGHT, new Highlight(...ranges));
    return blocks[0];
  };

  // The heard passage: marked, and followed when asked.
  createEffect(() => {
    const first = mark(player.heard());
    if (player.follow() && player.playing()) first?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  });
  onCleanup(() => {
    if (typeof CSS !== 'undefined' && 'highlights' in CSS) CSS.highlights.delete(HIGHLIGHT);
  });

  // Coding while listening redraws the pieces a coding cuts: mark the passage again over the new
  // ones (once per frame, whatever the number of changes).
  onMount(() => {
    let pending = 0;
    const observer = new MutationObserver((records) => {
      const redrawn = records.some((r) => r.target instanceof Element && r.target.closest('.block-text'));
      if (!redrawn || pending !== 0 || !player.heard()) return;
      pending = requestAnimationFrame(() => {
        pending = 0;
        mark(player.heard());
      });
    });
    observer.observe(root(), { childList: true, subtree: true });
    onCleanup(() => {
      observer.disconnect();
      cancelAnimationFrame(pending);
    });
  });
}

export function syncTranscript(binding: TranscriptBinding, playingFrom: (seconds: number) => string): void {
  const { player, points, root, announce } = binding;
  markHeard(player, root);

  const playBlock = (block: HTMLElement) => {
    const time = timeOfBlock(points(), Number(block.dataset.blockStart), Number(block.dataset.blockEnd));
    const seconds = time ?? 0;
    player.playFrom(seconds);
    announce(playingFrom(seconds));
  };

  // A click on a turn's time (its gutter), or on a speaker's label that writes the time
  // (« Nom [00:12:34] : »), plays from there; a selection made across the label is left to coding.
  const onClick = (event: MouseEvent) => {
    const target = event.target instanceof Element ? event.target : null;
    const label = target?.closest('.block-text .speaker');
    const timedLabel =
      label && /\d:\d\d/.test(label.textContent ?? '') && window.getSelection()?.isCollapsed !== false;
    const clicked = target?.closest('.block-time') ?? (timedLabel ? label : null);
    const block = clicked?.closest<HTMLElement>('.block[data-block-start]');
    if (!block) return;
    event.preventDefault();
    playBlock(block);
  };

  // Alt + Space, Alt + ← / →, Alt + Enter: Alt is used by no coding shortcut but the codebook's
  // Alt + arrows, which keep their meaning inside the codebook.
  const onKeyDown = (event: KeyboardEvent) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || typingIn(event.target)) return;
    if (document.querySelector('dialog[open]')) return;
    const target = event.target instanceof Element ? event.target : null;
    const inCodebook = Boolean(target?.closest('.codebook-column'));
    if (event.code === 'Space' || event.key === ' ') player.toggle();
    else if (event.key === 'ArrowLeft' && !inCodebook) player.skip(-SKIP_SECONDS);
    else if (event.key === 'ArrowRight' && !inCodebook) player.skip(SKIP_SECONDS);
    else if (event.key === 'Enter') {
      const block = target?.closest<HTMLElement>('.block[data-block-start]');
      if (!block) return;
      playBlock(block);
    } else return;
    event.preventDefault();
    event.stopPropagation();
  };

  onMount(() => {
    const page = root();
    page.addEventListener('click', onClick);
    // Captured before the transcript's own keys, which would move the cursor on Alt + ← / →.
    document.addEventListener('keydown', onKeyDown, true);
    onCleanup(() => {
      page.removeEventListener('click', onClick);
      document.removeEventListener('keydown', onKeyDown, true);
    });
  });
}
