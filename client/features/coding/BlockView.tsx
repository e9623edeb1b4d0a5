/**
 * One block of the transcript (a speaker turn, or a paragraph): an optional time gutter, the text
 * cut into pieces, and the margin of its codings. Focusable, one block at a time, for the keyboard.
 */
import { createEffect, createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { durationAttribute, formatTime } from '../../../shared/time.ts';
import { BlockMargin, measureCodings, type Extents } from './BlockMargin.tsx';
import type { Coding, CodeWithCount } from './coding-state.ts';
import { blockStripes, sameStripes, type Block, type Piece } from './layout.ts';
import { PieceView } from './PieceView.tsx';
import type { TranscriptText } from './selection-to-span.ts';

export interface BlockViewProps {
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
}

/** How a screen reader names a block: its speaker (or « paragraph ») and its time. */
function blockLabel(block: Block): string {
  const parts = [block.speaker || t('coding.paragraph')];
  if (block.time !== undefined) parts.push(formatTime(block.time));
  return parts.join(', ');
}

/** The time gutter of a block: its time, when it has one its label does not show. */
function BlockTime(props: { time: number | undefined }) {
  return (
    <div class="block-time">
      <Show when={props.time !== undefined}>
        <time datetime={durationAttribute(props.time ?? 0)}>{formatTime(props.time ?? 0)}</time>
      </Show>
    </div>
  );
}

export function BlockView(props: BlockViewProps) {
  let element!: HTMLDivElement;
  let textElement!: HTMLParagraphElement;
  const [visible, setVisible] = createSignal(false);
  const [measured, setMeasured] = createSignal<Extents>(new Map());
  const layout = createMemo(
    () =>
      blockStripes(
        props.block,
        props.codings.map((c) => ({ start: c.start, end: c.end, codeId: c.codeId, key: props.renderKey(c) })),
      ),
    { stripes: [], lanes: [] },
    { equals: sameStripes },
  );
  onMount(() => props.watch(element, setVisible));
  createEffect(() => {
    // Measured again whenever the pieces, the bars or the width change, once near the screen.
    void [layout(), props.pieces, props.epoch];
    if (!visible()) return;
    const frame = requestAnimationFrame(() =>
      setMeasured(measureCodings(textElement, props.codings, props.renderKey)),
    );
    onCleanup(() => cancelAnimationFrame(frame));
  });

  const textId = () => `turn-${props.index}-text`;

  return (
    <div
      ref={element}
      class="block"
      classList={{
        turn: props.block.speaker !== undefined,
        interviewer: props.interviewer,
        heading: props.block.heading !== undefined,
      }}
      data-speaker-role={
        props.block.speaker === undefined ? undefined : props.interviewer ? 'interviewer' : 'interviewee'
      }
      data-block-start={props.block.start}
      data-block-end={props.block.end}
      data-block-index={props.index}
      // A heading of the original is a heading here too, one level under the page's title.
      role={props.block.heading === undefined ? 'group' : 'heading'}
      aria-level={props.block.heading === undefined ? undefined : Math.min(6, props.block.heading + 1)}
      aria-label={props.block.heading === undefined ? blockLabel(props.block) : undefined}
      aria-describedby={props.block.heading === undefined ? textId() : undefined}
      tabindex={props.active ? 0 : -1}
      onFocus={(e) => {
        if (e.target === e.currentTarget) props.onFocus();
      }}
    >
      <Show when={props.timed}>
        <BlockTime time={props.time} />
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
      <BlockMargin
        layout={layout()}
        measured={measured()}
        visible={visible()}
        codeById={props.codeById}
        codingByKey={props.codingByKey}
        onOpenCodings={props.onOpenCodings}
      />
    </div>
  );
}
