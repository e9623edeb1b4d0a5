/**
 * The transcript's keyboard cursor: a turn, and a word of it once arrows were used; Shift+arrows
 * select words, Enter offers the picker or opens the codings there, T selects the whole turn, a
 * digit applies a pinned code. See docs/coding-view.md for the keys.
 */
import { createSignal, type Accessor, type Setter } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { Span } from '../../../shared/spans.ts';
import type { Coding } from './coding-state.ts';
import { excerpt } from './excerpt.ts';
import type { TranscriptViewProps } from './TranscriptView.tsx';

/** The keyboard cursor: a turn, and a word of it (index into its words) once arrows were used. */
export interface Cursor {
  block: number;
  word: number | undefined;
  /** Where a Shift+arrow selection started (a word index). */
  anchor: number | undefined;
}

/** What the cursor's moves need: the view's props, its root element and the cursor itself. */
interface CursorContext {
  props: TranscriptViewProps;
  root: () => HTMLElement;
  cursor: Accessor<Cursor>;
  setCursor: Setter<Cursor>;
}

const wordsOf = ({ props }: CursorContext, index: number): Span[] => {
  const block = props.blocks[index];
  return block ? props.text.words(block.speechStart, block.end) : [];
};

const codesAt = ({ props }: CursorContext, span: Span): Coding[] =>
  props.codings.filter((c) => c.start < span.end && span.start < c.end);

const describeCodes = ({ props }: CursorContext, codings: readonly Coding[]) =>
  codings
    .map((c) =>
      t('coding.segmentCode', {
        code: props.codeById.get(c.codeId)?.name ?? '?',
        coder: props.coderName(c.coderId),
      }),
    )
    .join(' · ');

const blockElement = (ctx: CursorContext, index: number) =>
  ctx.root().querySelector<HTMLElement>(`[data-block-index="${index}"]`);

/** Where a popover opened from the keyboard goes: under the selection or cursor, else the block. */
function rectOf(ctx: CursorContext, index: number): DOMRect {
  const element = blockElement(ctx, index);
  const mark = element?.querySelector('.pending, .cursor') ?? element;
  return mark?.getBoundingClientRect() ?? new DOMRect();
}

/** The word under the cursor, if it is on a word. */
function cursorSpan(ctx: CursorContext): { block: number; span: Span } | undefined {
  const c = ctx.cursor();
  if (c.word === undefined) return undefined;
  const word = wordsOf(ctx, c.block)[c.word];
  return word ? { block: c.block, span: word } : undefined;
}

/** The words from the anchor to the cursor, once Shift+arrows were used. */
function selectionOf(ctx: CursorContext, c: Cursor): Span | undefined {
  if (c.word === undefined || c.anchor === undefined) return undefined;
  const words = wordsOf(ctx, c.block);
  const a = words[Math.min(c.anchor, c.word)];
  const b = words[Math.max(c.anchor, c.word)];
  return a && b ? { start: a.start, end: b.end } : undefined;
}

function focusBlock(ctx: CursorContext, index: number): void {
  const target = Math.max(0, Math.min(ctx.props.blocks.length - 1, index));
  ctx.setCursor({ block: target, word: undefined, anchor: undefined });
  ctx.props.onDraft(undefined);
  const element = blockElement(ctx, target);
  element?.focus({ preventScroll: true });
  element?.scrollIntoView({ block: 'nearest' });
}

/** Put the cursor on word `to` of its turn (extending the selection with Shift) and say it. */
function moveWord(ctx: CursorContext, c: Cursor, to: number, extend: boolean): void {
  const { props } = ctx;
  const words = wordsOf(ctx, c.block);
  if (words.length === 0) return;
  const word = Math.max(0, Math.min(words.length - 1, to));
  const next: Cursor = {
    block: c.block,
    word,
    anchor: extend ? (c.anchor ?? c.word ?? word) : undefined,
  };
  ctx.setCursor(next);
  const selected = selectionOf(ctx, next);
  props.onDraft(selected);
  if (selected) {
    props.announce(
      t('coding.kbdSelection', { text: excerpt(props.text.slice(selected.start, selected.end)) }),
    );
  } else {
    const span = words[word] as Span;
    const here = codesAt(ctx, span);
    const said = props.text.slice(span.start, span.end);
    props.announce(
      here.length > 0 ? t('coding.kbdWordCoded', { word: said, codes: describeCodes(ctx, here) }) : said,
    );
  }
}

/** Enter: code the selection, else open the codings under the cursor, else code its word. */
function enter(ctx: CursorContext, c: Cursor): boolean {
  const { props } = ctx;
  const selected = selectionOf(ctx, c);
  const here = cursorSpan(ctx);
  if (selected && props.canCode) props.onSelect(selected, rectOf(ctx, c.block));
  else if (here && codesAt(ctx, here.span).length > 0) {
    props.onOpenCodings(
      codesAt(ctx, here.span).map((x) => x.id),
      rectOf(ctx, c.block),
    );
  } else if (here && props.canCode) props.onSelect(here.span, rectOf(ctx, c.block));
  else return false;
  return true;
}

/** Handle a key pressed on a turn; whether it was one of the cursor's keys. */
function handleKey(ctx: CursorContext, event: KeyboardEvent): boolean {
  const { props } = ctx;
  const c = ctx.cursor();
  const words = () => wordsOf(ctx, c.block);
  const key = event.key;
  if (key === 'ArrowDown' && !event.altKey) focusBlock(ctx, c.block + 1);
  else if (key === 'ArrowUp' && !event.altKey) focusBlock(ctx, c.block - 1);
  else if (key === 'PageDown') focusBlock(ctx, c.block + 5);
  else if (key === 'PageUp') focusBlock(ctx, c.block - 5);
  else if (key === 'ArrowRight') moveWord(ctx, c, c.word === undefined ? 0 : c.word + 1, event.shiftKey);
  else if (key === 'ArrowLeft')
    moveWord(ctx, c, c.word === undefined ? words().length - 1 : c.word - 1, event.shiftKey);
  else if (key === 'Home') moveWord(ctx, c, 0, event.shiftKey);
  else if (key === 'End') moveWord(ctx, c, words().length - 1, event.shiftKey);
  else if (key === 'Escape' && (c.word !== undefined || c.anchor !== undefined)) {
    ctx.setCursor({ ...c, word: undefined, anchor: undefined });
    props.onDraft(undefined);
  } else if (key === 'Enter') return enter(ctx, c);
  else if ((key === 't' || key === 'T') && props.canCode) {
    const block = props.blocks[c.block];
    const span = block && props.text.trimmed({ start: block.speechStart, end: block.end });
    if (span) props.onSelect(span, blockElement(ctx, c.block)?.getBoundingClientRect() ?? new DOMRect());
  } else if (/^[1-9]$/.test(key) && props.canCode) {
    const selected = selectionOf(ctx, c) ?? cursorSpan(ctx)?.span;
    if (selected) props.onPinned(Number(key) - 1, selected);
    else return false;
  } else return false;
  return true;
}

/** The cursor of a transcript view whose root element is `root`. */
export function createKeyboardCursor(props: TranscriptViewProps, root: () => HTMLElement) {
  const [cursor, setCursor] = createSignal<Cursor>({ block: 0, word: undefined, anchor: undefined });
  const ctx: CursorContext = { props, root, cursor, setCursor };
  return {
    cursor,
    /** The word under the cursor, drawn as a piece of its own. */
    cursorSpan: () => cursorSpan(ctx),
    /** Put the cursor on turn `index` (when it gets focus, or a click opens its codings). */
    enterBlock: (index: number) =>
      setCursor((c) => (c.block === index ? c : { block: index, word: undefined, anchor: undefined })),
    onKeyDown: (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (!target.matches('[data-block-index]') || event.ctrlKey || event.metaKey) return;
      if (handleKey(ctx, event)) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
  };
}
