import { For, Index, Show } from 'solid-js';
import { formatNumber, t } from '../../i18n/index.ts';
import type { Cooccurrence, CooccurrenceMatrix } from './cooccurrence-state.ts';
import './review.css';

/** Shade steps of the heat map: 0 for nothing, then 1–5 by share of the largest count. */
export function heatLevel(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.max(1, Math.min(5, Math.ceil((value / max) * 5)));
}

/** The code × code heat map; a cell with a count is a button that opens the pair's passages. */
export function CooccurrenceTable(props: { state: Cooccurrence; current: CooccurrenceMatrix }) {
  const state = () => props.state;
  return (
    <div class="table-scroll">
      <table class="review-table heatmap" data-testid="cooccurrence-table">
        <caption>{state().caption()}</caption>
        <thead>
          <tr>
            <td class="corner" />
            <For each={state().shown()}>
              {(j) => (
                <th scope="col" class="vertical">
                  <span>{props.current.codes[j]?.name}</span>
                </th>
              )}
            </For>
          </tr>
        </thead>
        <tbody>
          <Index each={state().shown()}>
            {(i) => {
              const row = () => props.current.codes[i()];
              return (
                <tr>
                  <th scope="row">{row()?.name}</th>
                  <For each={state().shown()}>
                    {(j) => {
                      const column = () => props.current.codes[j];
                      const count = () => state().value(i(), j);
                      const diagonal = () => i() === j;
                      const selected = () =>
                        state().pair()?.a === row()?.codeId && state().pair()?.b === column()?.codeId;
                      return (
                        <td class={`num heat-${diagonal() ? 'diagonal' : heatLevel(count(), state().max())}`}>
                          <Show
                            when={!diagonal() && count() > 0}
                            fallback={
                              <span classList={{ zero: count() === 0 }}>{formatNumber(count())}</span>
                            }
                          >
                            <button
                              type="button"
                              class="cell-button"
                              aria-pressed={selected()}
                              aria-label={t('review.cooccurrence.cellLabel', {
                                a: row()?.name ?? '',
                                b: column()?.name ?? '',
                                count: count(),
                              })}
                              onClick={() => state().select(row()?.codeId ?? '', column()?.codeId ?? '')}
                            >
                              {formatNumber(count())}
                            </button>
                          </Show>
                        </td>
                      );
                    }}
                  </For>
                </tr>
              );
            }}
          </Index>
        </tbody>
      </table>
    </div>
  );
}
