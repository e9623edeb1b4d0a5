import { createMemo, Index, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { Span } from '../../../shared/spans.ts';
import type { TextMark } from '../../../shared/model.ts';
import { DEFAULT_INTERVIEWER_LABELS, isInterviewer } from '../../../shared/turns.ts';
import { createBlockWatcher } from './block-visibility.ts';
import { BlockView } from './BlockView.tsx';
import type { Coding, CodeWithCount } from './coding-state.ts';
import { createKeyboardCursor } from './keyboard-cursor.ts';
import {
  cutPieces,
  gutterTimes,
  layoutPieces,
  stylePieces,
  sameList,
  samePieces,
  spansByBlock,
  type Block,
} from './layout.ts';
import { CURSOR_ID, SELECTION_ID } from './PieceView.tsx';
import type { TranscriptText } from './selection-to-span.ts';

export interface TranscriptViewProps {
  text: TranscriptText;
  blocks: readonly Block[];
  /** The codings to draw (already filtered by coder and visible codes), sorted by start. */
  codings: readonly Coding[];
  /** The original's headings and emphasis (Markdown), in code points. */
  marks: readonly TextMark[];
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

/** What the blocks are drawn from, derived once for the whole transcript. */
function createTranscriptLayout(props: TranscriptViewProps) {
  const codingByKey = createMemo(() => new Map(props.codings.map((c) => [props.renderKey(c), c])));
  const pieces = createMemo(() => {
    const spans: (Span & { id: string })[] = props.codings.map((c) => ({
      start: c.start,
      end: c.end,
      id: props.renderKey(c),
    }));
    if (props.pending) spans.push({ ...props.pending, id: SELECTION_ID });
    return stylePieces(props.blocks, layoutPieces(props.blocks, spans, props.text.length), props.marks);
  });
  const codingsByBlock = createMemo(() => spansByBlock(props.blocks, props.codings));
  /** A time gutter only when some turn has a time its label does not already show. */
  const times = createMemo(() => gutterTimes(props.blocks, props.text));
  const interviewerTurns = createMemo(() => {
    const labels = props.interviewerLabels ?? DEFAULT_INTERVIEWER_LABELS;
    return props.blocks.map(
      (b) => b.speaker !== undefined && b.speaker !== '' && isInterviewer(b.speaker, labels),
    );
  });
  return {
    codingByKey,
    pieces,
    codingsByBlock,
    times,
    timed: () => times().some((time) => time !== undefined),
    interviewerTurns,
  };
}

/**
 * The transcript, turn by turn. Each turn is cut into `<span data-start data-end>` pieces (code
 * points) between coding boundaries; only turns whose pieces change are redrawn. Turns are
 * focusable one at a time (Tab enters at the current one); see docs/coding-view.md for the keys.
 */
export function TranscriptView(props: TranscriptViewProps) {
  let root!: HTMLDivElement;
  const keyboard = createKeyboardCursor(props, () => root);
  const watcher = createBlockWatcher(() => root);
  const layout = createTranscriptLayout(props);

  const readSelection = () => {
    if (!props.canCode) return;
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const span = props.text.spanOfRange(range, root);
    if (!span) return;
    props.onSelect(props.text.snap(span, props.snap ? 'word' : 'grapheme'), range.getBoundingClientRect());
  };

  return (
    <div
      ref={root}
      class="transcript"
      classList={{ timed: layout.timed() }}
      onMouseUp={readSelection}
      onKeyUp={(e) => {
        if (e.shiftKey && !(e.target as HTMLElement).matches('[data-block-index]')) readSelection();
      }}
      onKeyDown={keyboard.onKeyDown}
    >
      <Show when={props.blocks.length > 0} fallback={<p class="muted">{t('coding.noText')}</p>}>
        <Index each={props.blocks}>
          {(block, i) => {
            const pieces = createMemo(
              () => {
                const base = layout.pieces()[i] ?? [];
                const here = keyboard.cursorSpan();
                return here && here.block === i ? cutPieces(base, here.span, CURSOR_ID) : base;
              },
              [],
              { equals: samePieces },
            );
            // Only the turns whose codings changed recompute their margin.
            const blockCodings = createMemo(() => layout.codingsByBlock()[i] ?? [], [], { equals: sameList });
            return (
              <BlockView
                index={i}
                block={block()}
                time={layout.times()[i]}
                timed={layout.timed()}
                interviewer={layout.interviewerTurns()[i] ?? false}
                pieces={pieces()}
                codings={blockCodings()}
                active={keyboard.cursor().block === i}
                epoch={watcher.epoch()}
                text={props.text}
                codingByKey={layout.codingByKey()}
                codeById={props.codeById}
                coderName={props.coderName}
                renderKey={props.renderKey}
                watch={watcher.watch}
                onFocus={() => keyboard.enterBlock(i)}
                onOpenCodings={(ids, rect) => {
                  keyboard.enterBlock(i);
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
