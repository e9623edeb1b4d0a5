/**
 * A turn's margin: one coloured bar per coding, in its code's lane, level with the lines it covers,
 * and the names of the codes present (colour is never the only cue).
 */
import { createEffect, createMemo, createSignal, For, onCleanup, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { Coding, CodeWithCount } from './coding-state.ts';
import type { Stripe } from './layout.ts';

/** Width of one margin lane (bar and gap), in px. */
const LANE = 7;

/** Where a coding's lines are in its block, in px from the top of the block's text. */
export type Extents = ReadonlyMap<string, { top: number; height: number }>;

/** Where each coding's lines are, from the rectangles of the pieces it covers. */
export function measureCodings(
  textElement: HTMLElement,
  codings: readonly Coding[],
  renderKey: (coding: Coding) => string,
): Extents {
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
  for (const coding of codings) {
    let top = Infinity;
    let bottom = -Infinity;
    for (const box of boxes) {
      if (box.end <= coding.start || box.start >= coding.end) continue;
      top = Math.min(top, box.top);
      bottom = Math.max(bottom, box.bottom);
    }
    if (top < bottom) out.set(renderKey(coding), { top: top - origin, height: bottom - top });
  }
  return out;
}

/**
 * Where each code's label goes in the margin: level with the first line that code covers in the
 * block, pushed down below the label above when two would overlap. Measured after the bars.
 */
function placeLabels(
  marginList: HTMLElement,
  stripes: readonly Stripe[],
  boxes: Extents,
): { tops: ReadonlyMap<string, number>; height: number } {
  const wanted = (codeId: string) => {
    let top = Infinity;
    for (const stripe of stripes) {
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
  return { tops, height: bottom };
}

export function BlockMargin(props: {
  layout: { stripes: Stripe[]; lanes: string[] };
  measured: Extents;
  /** Whether the block is near the screen (labels are placed only then). */
  visible: boolean;
  codeById: ReadonlyMap<string, CodeWithCount>;
  codingByKey: ReadonlyMap<string, Coding>;
  onOpenCodings: (codingIds: readonly string[], rect: DOMRect) => void;
}) {
  let marginList: HTMLUListElement | undefined;
  /** Codes present in the block, in lane order, for the margin: colour is never the only cue. */
  const codes = createMemo(() =>
    props.layout.lanes.flatMap((id) => {
      const code = props.codeById.get(id);
      return code ? [code] : [];
    }),
  );
  const [labels, setLabels] = createSignal<{ tops: ReadonlyMap<string, number>; height: number }>();
  createEffect(() => {
    void [props.measured, codes()];
    if (!props.visible) return;
    const frame = requestAnimationFrame(() => {
      if (marginList) setLabels(placeLabels(marginList, props.layout.stripes, props.measured));
    });
    onCleanup(() => cancelAnimationFrame(frame));
  });

  return (
    <div class="block-margin">
      <div class="stripes" aria-hidden="true" style={{ width: `${props.layout.lanes.length * LANE}px` }}>
        <For each={props.layout.stripes}>
          {(stripe) => {
            const box = () => props.measured.get(stripe.key);
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
      <Show when={codes().length > 0}>
        <ul
          ref={marginList}
          class="margin-codes"
          classList={{ placed: labels() !== undefined }}
          style={{ 'min-height': labels() ? `${labels()?.height}px` : undefined }}
          aria-label={t('coding.marginLabel')}
        >
          <For each={codes()}>
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
  );
}
