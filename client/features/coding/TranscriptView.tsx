import { createEffect, createMemo, createSignal, For, Index, onCleanup, onMount, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { Span } from '../../../shared/spans.ts';
import { DEFAULT_INTERVIEWER_LABELS, isInterviewer } from '../../../shared/turns.ts';
import type { Coding, CodeWithCount } from './coding-state.ts';
import { durationAttribute, formatTime } from '../../../shared/time.ts';
import { highlightStyle } from './highlight.ts';
import {
  blockStripes,
  cutPieces,
  layoutPieces,
  samePieces,
  type Block,
  type Piece,
  type Stripe,
} from './layout.ts';
import type { TranscriptText } from './selection-to-span.ts';

/** Id of the passage being coded, drawn like a coding until a code is chosen. */
export const SELECTION_ID = 'selection';
/** Id of the word under the keyboard cursor. */
export const CURSOR_ID = 'cursor';

/** Width of one margin lane (bar and gap), in px. */
const LANE = 7;

export interface TranscriptViewProps {
  text: TranscriptText;
  blocks: readonly Block[];
  /** The codings to draw (already filtered by coder and visible codes), sorted by start. */
  codings: readonly Coding[];
  codeById: ReadonlyMap<string, CodeWithCount>;
  coderName: (userId: string) => string;
  /** The stable id a coding is drawn under (it does not change when the server confirms it). */
  renderKey: (coding: Coding) => string;
  /** The passage waiting for a code, if any. */
  pending: Span | undefined;
  canCode: boolean;
  /** Whether mouse selections widen to whole words. */
  snap: boolean;
  /** Speaker labels that mark the interviewer (project settings); the defaults until they load. */
  interviewerLabels: readonly string[] | undefined;
  /** A passage was selected (mouse release, or Enter / T on the keyboard): offer the picker. */
  onSelect: (span: Span, rect: DOMRect) => void;
  /** The keyboard selection changed (shown as pending, no picker yet). */
  onDraft: (span: Span | undefined) => void;
  onOpenCodings: (codingIds: readonly string[], rect: DOMRect) => void;
  /** A digit 1–9 pressed over a keyboard selection: apply that pinned code. */
  onPinned: (index: number, span: Span) => void;
  announce: (message: string) => void;
}

/** The keyboard cursor: a turn, and a word of it (index into its words) once arrows were used. */
interface Cursor {
  block: number;
  word: number | undefined;
  /** Where a Shift+arrow selection started (a word index). */
  anchor: number | undefined;
}

/** Excerpt of a passage for announcements, shortened in the middle when long. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 90 ? flat : `${flat.slice(0, 50)} … ${flat.slice(-30)}`;
}

/**
 * The transcript, turn by turn. Each turn is cut into `<span data-start data-end>` pieces (code
 * points) between coding boundaries; only turns whose pieces change are redrawn. Turns are
 * focusable one at a time (Tab enters at the current one); see docs/coding-view.md for the keys.
 */
export function TranscriptView(props: TranscriptViewProps) {
  let root!: HTMLDivElement;
  const [cursor, setCursor] = createSignal<Cursor>({ block: 0, word: undefined, anchor: undefined });
  /** Bumped when the text's width changes: margin bars are measured again. */
  const [epoch, setEpoch] = createSignal(0);

  const codingByKey = createMemo(() => new Map(props.codings.map((c) => [props.renderKey(c), c])));
  const layout = createMemo(() => {
    const spans: (Span & { id: string })[] = props.codings.map((c) => ({
      start: c.start,
      end: c.end,
      id: props.renderKey(c),
    }));
    if (props.pending) spans.push({ ...props.pending, id: SELECTION_ID });
    return layoutPieces(props.blocks, spans, props.text.length);
  });
  /** The codings of each block, in one pass (blocks are sorted and disjoint). */
  const codingsByBlock = createMemo(() => {
    const out: Coding[][] = props.blocks.map(() => []);
    const starts = props.blocks.map((b) => b.start);
    for (const coding of props.codings) {
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((props.blocks[mid] as Block).end <= coding.start) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < props.blocks.length && (props.blocks[i] as Block).start < coding.end; i++) {
        out[i]?.push(coding);
      }
    }
    return out;
  });
  const wordsOf = (index: number): Span[] => {
    const block = props.blocks[index];
    return block ? props.text.words(block.speechStart, block.end) : [];
  };
  const cursorSpan = (): { block: number; span: Span } | undefined => {
    const c = cursor();
    if (c.word === undefined) return undefined;
    const word = wordsOf(c.block)[c.word];
    return word ? { block: c.block, span: word } : undefined;
  };

  /** A time gutter only when some turn has a time its label does not already show. */
  const gutterTimes = createMemo(() =>
    props.blocks.map((b) =>
      b.time !== undefined && !/\d:\d\d/.test(props.text.slice(b.start, b.speechStart)) ? b.time : undefined,
    ),
  );
  const timed = () => gutterTimes().some((time) => time !== undefined);
  const interviewerTurns = createMemo(() => {
    const labels = props.interviewerLabels ?? DEFAULT_INTERVIEWER_LABELS;
    return props.blocks.map(
      (b) => b.speaker !== undefined && b.speaker !== '' && isInterviewer(b.speaker, labels),
    );
  });

  // Margin bars are measured only for turns near the screen, and again when the width changes.
  const visibility = new Map<Element, (visible: boolean) => void>();
  const observer =
    typeof IntersectionObserver === 'undefined'
      ? undefined
      : new IntersectionObserver(
          (entries) => {
            for (const entry of entries) visibility.get(entry.target)?.(entry.isIntersecting);
          },
          { rootMargin: '300px 0px' },
        );
  const watch = (element: Element, onChange: (visible: boolean) => void) => {
    visibility.set(element, onChange);
    if (observer) observer.observe(element);
    else onChange(true);
    onCleanup(() => {
      visibility.delete(element);
      observer?.unobserve(element);
    });
  };
  onMount(() => {
    let width = 0;
    const resize = new ResizeObserver(() => {
      if (root.clientWidth !== width) {
        width = root.clientWidth;
        setEpoch((n) => n + 1);
      }
    });
    resize.observe(root);
    void document.fonts?.ready.then(() => setEpoch((n) => n + 1));
    onCleanup(() => {
      resize.disconnect();
      observer?.disconnect();
    });
  });

  const codesAt = (span: Span): Coding[] =>
    props.codings.filter((c) => c.start < span.end && span.start < c.end);
  const describeCodes = (codings: readonly Coding[]) =>
    codings
      .map((c) =>
        t('coding.segmentCode', {
          code: props.codeById.get(c.codeId)?.name ?? '?',
          coder: props.coderName(c.coderId),
        }),
      )
      .join(' · ');

  const readSelection = () => {
    if (!props.canCode) return;
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const span = props.text.spanOfRange(range, root);
    if (!span) return;
    props.onSelect(props.text.snap(span, props.snap ? 'word' : 'grapheme'), range.getBoundingClientRect());
  };

  const blockElement = (index: number) => root.querySelector<HTMLElement>(`[data-block-index="${index}"]`);
  const focusBlock = (index: number) => {
    const target = Math.max(0, Math.min(props.blocks.length - 1, index));
    setCursor({ block: target, word: undefined, anchor: undefined });
    props.onDraft(undefined);
    const element = blockElement(target);
    element?.focus({ preventScroll: true });
    element?.scrollIntoView({ block: 'nearest' });
  };
  const selectionOf = (c: Cursor): Span | undefined => {
    if (c.word === undefined || c.anchor === undefined) return undefined;
    const words = wordsOf(c.block);
    const a = words[Math.min(c.anchor, c.word)];
    const b = words[Math.max(c.anchor, c.word)];
    return a && b ? { start: a.start, end: b.end } : undefined;
  };
  const rectOf = (index: number): DOMRect => {
    const element = blockElement(index);
    const mark = element?.querySelector('.pending, .cursor') ?? element;
    return mark?.getBoundingClientRect() ?? new DOMRect();
  };

  const moveWord = (c: Cursor, to: number, extend: boolean) => {
    const words = wordsOf(c.block);
    if (words.length === 0) return;
    const word = Math.max(0, Math.min(words.length - 1, to));
    const next: Cursor = {
      block: c.block,
      word,
      anchor: extend ? (c.anchor ?? c.word ?? word) : undefined,
    };
    setCursor(next);
    const selected = selectionOf(next);
    props.onDraft(selected);
    if (selected) {
      props.announce(
        t('coding.kbdSelection', { text: excerpt(props.text.slice(selected.start, selected.end)) }),
      );
    } else {
      const span = words[word] as Span;
      const here = codesAt(span);
      const said = props.text.slice(span.start, span.end);
      props.announce(
        here.length > 0 ? t('coding.kbdWordCoded', { word: said, codes: describeCodes(here) }) : said,
      );
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement;
    if (!target.matches('[data-block-index]') || event.ctrlKey || event.metaKey) return;
    const c = cursor();
    const words = () => wordsOf(c.block);
    const key = event.key;
    let handled = true;
    if (key === 'ArrowDown' && !event.altKey) focusBlock(c.block + 1);
    else if (key === 'ArrowUp' && !event.altKey) focusBlock(c.block - 1);
    else if (key === 'PageDown') focusBlock(c.block + 5);
    else if (key === 'PageUp') focusBlock(c.block - 5);
    else if (key === 'ArrowRight') moveWord(c, c.word === undefined ? 0 : c.word + 1, event.shiftKey);
    else if (key === 'ArrowLeft')
      moveWord(c, c.word === undefined ? words().length - 1 : c.word - 1, event.shiftKey);
    else if (key === 'Home') moveWord(c, 0, event.shiftKey);
    else if (key === 'End') moveWord(c, words().length - 1, event.shiftKey);
    else if (key === 'Escape' && (c.word !== undefined || c.anchor !== undefined)) {
      setCursor({ ...c, word: undefined, anchor: undefined });
      props.onDraft(undefined);
    } else if (key === 'Enter') {
      const selected = selectionOf(c);
      const here = cursorSpan();
      if (selected && props.canCode) props.onSelect(selected, rectOf(c.block));
      else if (here && codesAt(here.span).length > 0) {
        props.onOpenCodings(
          codesAt(here.span).map((x) => x.id),
          rectOf(c.block),
        );
      } else if (here && props.canCode) props.onSelect(here.span, rectOf(c.block));
      else handled = false;
    } else if ((key === 't' || key === 'T') && props.canCode) {
      const block = props.blocks[c.block];
      const span = block && props.text.trimmed({ start: block.speechStart, end: block.end });
      if (span) props.onSelect(span, blockElement(c.block)?.getBoundingClientRect() ?? new DOMRect());
    } else if (/^[1-9]$/.test(key) && props.canCode) {
      const selected = selectionOf(c) ?? cursorSpan()?.span;
      if (selected) props.onPinned(Number(key) - 1, selected);
      else handled = false;
    } else handled = false;
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  return (
    <div
      ref={root}
      class="transcript"
      classList={{ timed: timed() }}
      onMouseUp={readSelection}
      onKeyUp={(e) => {
        if (e.shiftKey && !(e.target as HTMLElement).matches('[data-block-index]')) readSelection();
      }}
      onKeyDown={onKeyDown}
    >
      <Show when={props.blocks.length > 0} fallback={<p class="muted">{t('coding.noText')}</p>}>
        <Index each={props.blocks}>
          {(block, i) => {
            const pieces = createMemo(
              () => {
                const base = layout()[i] ?? [];
                const here = cursorSpan();
                return here && here.block === i ? cutPieces(base, here.span, CURSOR_ID) : base;
              },
              [],
              { equals: samePieces },
            );
            // Only the turns whose codings changed recompute their margin.
            const blockCodings = createMemo(() => codingsByBlock()[i] ?? [], [], { equals: sameList });
            return (
              <BlockView
                index={i}
                block={block()}
                time={gutterTimes()[i]}
                timed={timed()}
                interviewer={interviewerTurns()[i] ?? false}
                pieces={pieces()}
                codings={blockCodings()}
                active={cursor().block === i}
                epoch={epoch()}
                text={props.text}
                codingByKey={codingByKey()}
                codeById={props.codeById}
                coderName={props.coderName}
                renderKey={props.renderKey}
                watch={watch}
                onFocus={() => {
                  if (cursor().block !== i) setCursor({ block: i, word: undefined, anchor: undefined });
                }}
                onOpenCodings={(ids, rect) => {
                  setCursor((c) => (c.block === i ? c : { block: i, word: undefined, anchor: undefined }));
                  props.onOpenCodings(ids, rect);
                }}
              />
            );
          }}
        </Index>
      </Show>
    </div>
  );
}

/** Whether two lists hold the same items in the same order. */
function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, k) => x === b[k]);
}

function sameStripes(a: { stripes: Stripe[]; lanes: string[] }, b: { stripes: Stripe[]; lanes: string[] }) {
  return (
    a.lanes.join() === b.lanes.join() &&
    a.stripes.length === b.stripes.length &&
    a.stripes.every((s, k) => {
      const o = b.stripes[k] as Stripe;
      return s.key === o.key && s.lane === o.lane && s.top === o.top && s.bottom === o.bottom;
    })
  );
}

function BlockView(props: {
  index: number;
  block: Block;
  /** Seconds to show in the gutter, if any. */
  time: number | undefined;
  timed: boolean;
  /** Whether the turn is the interviewer's: drawn apart, so the interviewee's words stand out. */
  interviewer: boolean;
  pieces: readonly Piece<string>[];
  codings: readonly Coding[];
  /** Whether this turn is the one Tab enters the transcript at. */
  active: boolean;
  epoch: number;
  text: TranscriptText;
  codingByKey: ReadonlyMap<string, Coding>;
  codeById: ReadonlyMap<string, CodeWithCount>;
  coderName: (userId: string) => string;
  renderKey: (coding: Coding) => string;
  watch: (element: Element, onChange: (visible: boolean) => void) => void;
  onFocus: () => void;
  onOpenCodings: (codingIds: readonly string[], rect: DOMRect) => void;
}) {
  let element!: HTMLDivElement;
  let textElement!: HTMLParagraphElement;
  let marginList: HTMLUListElement | undefined;
  const [visible, setVisible] = createSignal(false);
  const [measured, setMeasured] = createSignal<ReadonlyMap<string, { top: number; height: number }>>(
    new Map(),
  );
  const layout = createMemo(
    () =>
      blockStripes(
        props.block,
        props.codings.map((c) => ({ start: c.start, end: c.end, codeId: c.codeId, key: props.renderKey(c) })),
      ),
    { stripes: [], lanes: [] },
    { equals: sameStripes },
  );
  /** Codes present in the block, for the margin: colour is never the only cue. */
  const marginCodes = createMemo(() =>
    layout().lanes.flatMap((id) => {
      const code = props.codeById.get(id);
      return code ? [code] : [];
    }),
  );

  /** Where each coding's lines are, from the rectangles of the pieces it covers. */
  const measure = () => {
    const origin = textElement.getBoundingClientRect().top;
    const boxes: { start: number; end: number; top: number; bottom: number }[] = [];
    for (const piece of textElement.querySelectorAll<HTMLElement>('span[data-start]')) {
      const rects = piece.getClientRects();
      if (rects.length === 0) continue;
      let top = Infinity;
      let bottom = -Infinity;
      for (const r of rects) {
        top = Math.min(top, r.top);
        bottom = Math.max(bottom, r.bottom);
      }
      boxes.push({ start: Number(piece.dataset.start), end: Number(piece.dataset.end), top, bottom });
    }
    const out = new Map<string, { top: number; height: number }>();
    for (const coding of props.codings) {
      let top = Infinity;
      let bottom = -Infinity;
      for (const box of boxes) {
        if (box.end <= coding.start || box.start >= coding.end) continue;
        top = Math.min(top, box.top);
        bottom = Math.max(bottom, box.bottom);
      }
      if (top < bottom) out.set(props.renderKey(coding), { top: top - origin, height: bottom - top });
    }
    setMeasured(out);
  };
  onMount(() => props.watch(element, setVisible));
  createEffect(() => {
    // Measured again whenever the pieces, the bars or the width change, once near the screen.
    void [layout(), props.pieces, props.epoch];
    if (!visible()) return;
    const frame = requestAnimationFrame(measure);
    onCleanup(() => cancelAnimationFrame(frame));
  });

  /**
   * Where each code's label goes in the margin: level with the first line that code covers in the
   * block, pushed down below the label above when two would overlap. Measured after the bars.
   */
  const [labels, setLabels] = createSignal<{ tops: ReadonlyMap<string, number>; height: number }>();
  const placeLabels = () => {
    if (!marginList) return;
    const boxes = measured();
    const wanted = (codeId: string) => {
      let top = Infinity;
      for (const stripe of layout().stripes) {
        const box = boxes.get(stripe.key);
        if (stripe.codeId === codeId && box) top = Math.min(top, box.top);
      }
      return top === Infinity ? 0 : top;
    };
    const items = [...marginList.querySelectorAll<HTMLElement>('li[data-code-id]')]
      .map((li) => ({ li, id: li.dataset.codeId ?? '', want: wanted(li.dataset.codeId ?? '') }))
      .sort((a, b) => a.want - b.want);
    const tops = new Map<string, number>();
    let bottom = 0;
    for (const item of items) {
      const top = Math.max(item.want, bottom);
      tops.set(item.id, top);
      bottom = top + item.li.offsetHeight + 3;
    }
    setLabels({ tops, height: bottom });
  };
  createEffect(() => {
    void [measured(), marginCodes()];
    if (!visible()) return;
    const frame = requestAnimationFrame(placeLabels);
    onCleanup(() => cancelAnimationFrame(frame));
  });

  const label = () => {
    const parts = [props.block.speaker || t('coding.paragraph')];
    if (props.block.time !== undefined) parts.push(formatTime(props.block.time));
    return parts.join(', ');
  };
  const textId = () => `turn-${props.index}-text`;

  return (
    <div
      ref={element}
      class="block"
      classList={{ turn: props.block.speaker !== undefined, interviewer: props.interviewer }}
      data-speaker-role={
        props.block.speaker === undefined ? undefined : props.interviewer ? 'interviewer' : 'interviewee'
      }
      data-block-start={props.block.start}
      data-block-end={props.block.end}
      data-block-index={props.index}
      role="group"
      aria-label={label()}
      aria-describedby={textId()}
      tabindex={props.active ? 0 : -1}
      onFocus={(e) => {
        if (e.target === e.currentTarget) props.onFocus();
      }}
    >
      <Show when={props.timed}>
        <div class="block-time">
          <Show when={props.time !== undefined}>
            <time datetime={durationAttribute(props.time ?? 0)}>{formatTime(props.time ?? 0)}</time>
          </Show>
        </div>
      </Show>
      <p class="block-text" id={textId()} ref={textElement}>
        <For each={props.pieces}>
          {(piece) => (
            <PieceView
              piece={piece}
              text={props.text}
              codingByKey={props.codingByKey}
              codeById={props.codeById}
              coderName={props.coderName}
              onOpenCodings={props.onOpenCodings}
            />
          )}
        </For>
      </p>
      <div class="block-margin">
        <div class="stripes" aria-hidden="true" style={{ width: `${layout().lanes.length * LANE}px` }}>
          <For each={layout().stripes}>
            {(stripe) => {
              const box = () => measured().get(stripe.key);
              return (
                <span
                  class="stripe"
                  data-code-id={stripe.codeId}
                  style={{
                    left: `${stripe.lane * LANE}px`,
                    top: box() ? `${box()?.top}px` : `${stripe.top * 100}%`,
                    height: box() ? `${box()?.height}px` : `${(stripe.bottom - stripe.top) * 100}%`,
                    'background-color': props.codeById.get(stripe.codeId)?.color ?? '#888888',
                  }}
                  onClick={(e) => {
                    const coding = props.codingByKey.get(stripe.key);
                    if (coding) props.onOpenCodings([coding.id], e.currentTarget.getBoundingClientRect());
                  }}
                />
              );
            }}
          </For>
        </div>
        <Show when={marginCodes().length > 0}>
          <ul
            ref={marginList}
            class="margin-codes"
            classList={{ placed: labels() !== undefined }}
            style={{ 'min-height': labels() ? `${labels()?.height}px` : undefined }}
            aria-label={t('coding.marginLabel')}
          >
            <For each={marginCodes()}>
              {(code) => (
                <li
                  class="margin-code"
                  data-code-id={code.id}
                  style={{
                    top: labels()?.tops.has(code.id) ? `${labels()?.tops.get(code.id)}px` : undefined,
                  }}
                >
                  <span class="swatch" style={{ 'background-color': code.color }} />
                  <span class="margin-code-name">{code.name}</span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </div>
    </div>
  );
}

function PieceView(props: {
  piece: Piece<string>;
  text: TranscriptText;
  codingByKey: ReadonlyMap<string, Coding>;
  codeById: ReadonlyMap<string, CodeWithCount>;
  coderName: (userId: string) => string;
  onOpenCodings: (codingIds: readonly string[], rect: DOMRect) => void;
}) {
  const codings = createMemo(
    () =>
      props.piece.ids.flatMap((id) => {
        const coding = props.codingByKey.get(id);
        return coding ? [coding] : [];
      }),
    [],
    { equals: sameList },
  );
  const codes = createMemo(() => {
    const list: CodeWithCount[] = [];
    for (const coding of codings()) {
      const code = props.codeById.get(coding.codeId);
      if (code && !list.includes(code)) list.push(code);
    }
    return list;
  });
  const pending = () => props.piece.ids.includes(SELECTION_ID);
  const atCursor = () => props.piece.ids.includes(CURSOR_ID);
  const coded = () => codings().length > 0;
  const title = () =>
    coded()
      ? codings()
          .map((c) =>
            t('coding.segmentCode', {
              code: props.codeById.get(c.codeId)?.name ?? '?',
              coder: props.coderName(c.coderId),
            }),
          )
          .join(' · ')
      : undefined;
  return (
    <span
      data-start={props.piece.start}
      data-end={props.piece.end}
      data-codes={
        coded()
          ? codes()
              .map((c) => c.id)
              .join(' ')
          : undefined
      }
      classList={{
        coded: coded(),
        overlap: codes().length > 1,
        speaker: props.piece.label,
        pending: pending(),
        cursor: atCursor(),
      }}
      style={highlightStyle(codes().map((c) => c.color))}
      title={title()}
      onClick={(e) => {
        if (coded() && window.getSelection()?.isCollapsed !== false) {
          props.onOpenCodings(
            codings().map((c) => c.id),
            e.currentTarget.getBoundingClientRect(),
          );
        }
      }}
    >
      {props.text.slice(props.piece.start, props.piece.end)}
    </span>
  );
}
