import { createMemo, For, Index, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { Span } from '../../../shared/spans.ts';
import { DEFAULT_INTERVIEWER_LABELS, isInterviewer } from '../../../shared/turns.ts';
import type { Coding, CodeWithCount } from './coding-state.ts';
import { highlightStyle } from './highlight.ts';
import { durationAttribute, formatTime, layoutPieces, samePieces, type Block, type Piece } from './layout.ts';
import type { TranscriptText } from './selection-to-span.ts';

/** Id of the passage being coded, drawn like a coding until a code is chosen. */
export const SELECTION_ID = 'selection';

export interface TranscriptViewProps {
  text: TranscriptText;
  blocks: readonly Block[];
  codings: readonly Coding[];
  codeById: ReadonlyMap<string, CodeWithCount>;
  coderName: (userId: string) => string;
  /** The stable id a coding is drawn under (it does not change when the server confirms it). */
  renderKey: (coding: Coding) => string;
  /** The passage waiting for a code, if any. */
  pending: Span | undefined;
  canCode: boolean;
  /** Speaker labels that mark the interviewer (project settings); the defaults until they load. */
  interviewerLabels: readonly string[] | undefined;
  onSelect: (span: Span, rect: DOMRect) => void;
  onOpenCodings: (codingIds: readonly string[], rect: DOMRect) => void;
}

/**
 * The transcript, block by block. Each block is cut into `<span data-start data-end>` pieces (code
 * points) between coding boundaries; only blocks whose pieces change are redrawn.
 */
export function TranscriptView(props: TranscriptViewProps) {
  let root!: HTMLDivElement;

  const codingById = createMemo(() => new Map(props.codings.map((c) => [props.renderKey(c), c])));
  const layout = createMemo(() => {
    const spans: (Span & { id: string })[] = props.codings.map((c) => ({
      start: c.start,
      end: c.end,
      id: props.renderKey(c),
    }));
    if (props.pending) spans.push({ ...props.pending, id: SELECTION_ID });
    return layoutPieces(props.blocks, spans, props.text.length);
  });

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

  const readSelection = () => {
    if (!props.canCode) return;
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    const span = props.text.spanOfRange(range, root);
    if (span) props.onSelect(span, range.getBoundingClientRect());
  };

  return (
    <div
      ref={root}
      class="transcript"
      classList={{ timed: timed() }}
      onMouseUp={readSelection}
      onKeyUp={(e) => {
        if (e.shiftKey) readSelection();
      }}
    >
      <Show when={props.blocks.length > 0} fallback={<p class="muted">{t('coding.noText')}</p>}>
        <Index each={props.blocks}>
          {(block, i) => {
            const pieces = createMemo(() => layout()[i] ?? [], [], { equals: samePieces });
            return (
              <BlockView
                block={block()}
                time={gutterTimes()[i]}
                timed={timed()}
                interviewer={interviewerTurns()[i] ?? false}
                pieces={pieces()}
                text={props.text}
                codingById={codingById()}
                codeById={props.codeById}
                coderName={props.coderName}
                onOpenCodings={props.onOpenCodings}
              />
            );
          }}
        </Index>
      </Show>
    </div>
  );
}

function BlockView(props: {
  block: Block;
  /** Seconds to show in the gutter, if any. */
  time: number | undefined;
  timed: boolean;
  /** Whether the turn is the interviewer's: drawn apart, so the interviewee's words stand out. */
  interviewer: boolean;
  pieces: readonly Piece<string>[];
  text: TranscriptText;
  codingById: ReadonlyMap<string, Coding>;
  codeById: ReadonlyMap<string, CodeWithCount>;
  coderName: (userId: string) => string;
  onOpenCodings: (codingIds: readonly string[], rect: DOMRect) => void;
}) {
  /** Codes present in the block, for the margin: colour is never the only cue. */
  const marginCodes = createMemo(() => {
    const seen = new Map<string, CodeWithCount>();
    for (const piece of props.pieces) {
      for (const id of piece.ids) {
        const coding = props.codingById.get(id);
        const code = coding && props.codeById.get(coding.codeId);
        if (code) seen.set(code.id, code);
      }
    }
    return [...seen.values()];
  });
  return (
    <div
      class="block"
      classList={{ turn: props.block.speaker !== undefined, interviewer: props.interviewer }}
      data-speaker-role={
        props.block.speaker === undefined ? undefined : props.interviewer ? 'interviewer' : 'interviewee'
      }
      data-block-start={props.block.start}
      data-block-end={props.block.end}
    >
      <Show when={props.timed}>
        <div class="block-time">
          <Show when={props.time !== undefined}>
            <time datetime={durationAttribute(props.time ?? 0)}>{formatTime(props.time ?? 0)}</time>
          </Show>
        </div>
      </Show>
      <p class="block-text">
        <For each={props.pieces}>
          {(piece) => (
            <PieceView
              piece={piece}
              text={props.text}
              codingById={props.codingById}
              codeById={props.codeById}
              coderName={props.coderName}
              onOpenCodings={props.onOpenCodings}
            />
          )}
        </For>
      </p>
      <ul class="block-margin" aria-label={t('coding.marginLabel')}>
        <For each={marginCodes()}>
          {(code) => (
            <li class="margin-code">
              <span class="swatch" style={{ 'background-color': code.color }} />
              {code.name}
            </li>
          )}
        </For>
      </ul>
    </div>
  );
}

function PieceView(props: {
  piece: Piece<string>;
  text: TranscriptText;
  codingById: ReadonlyMap<string, Coding>;
  codeById: ReadonlyMap<string, CodeWithCount>;
  coderName: (userId: string) => string;
  onOpenCodings: (codingIds: readonly string[], rect: DOMRect) => void;
}) {
  const codings = createMemo(() =>
    props.piece.ids.flatMap((id) => {
      const coding = props.codingById.get(id);
      return coding ? [coding] : [];
    }),
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
  const open = (target: HTMLElement) =>
    props.onOpenCodings(
      codings().map((c) => c.id),
      target.getBoundingClientRect(),
    );
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
      }}
      style={highlightStyle(codes().map((c) => c.color))}
      title={title()}
      tabindex={coded() ? 0 : undefined}
      onClick={(e) => {
        if (coded() && window.getSelection()?.isCollapsed !== false) open(e.currentTarget);
      }}
      onKeyDown={(e) => {
        if (coded() && (e.key === 'Enter' || e.key === ' ')) {
          e.preventDefault();
          open(e.currentTarget);
        }
      }}
    >
      {props.text.slice(props.piece.start, props.piece.end)}
    </span>
  );
}
