import { createUniqueId, For, Index, Show } from 'solid-js';
import { formatNumber } from '../../i18n/index.ts';
import './review.css';

/** Colours told apart by people with common colour-vision deficiencies (Okabe & Ito), dark enough on white. */
export const SERIES_COLOURS = [
  '#1d4f91',
  '#c46a00',
  '#1b7a5a',
  '#a8447e',
  '#4f8fc0',
  '#8a5a00',
  '#5b5b5b',
  '#7d3c98',
];

export interface BarCategory {
  readonly key: string;
  readonly label: string;
}

export interface BarSeries {
  readonly key: string;
  readonly label: string;
}

const LABEL_WIDTH = 270;
const PLOT_WIDTH = 430;
const VALUE_WIDTH = 56;
const WIDTH = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH;
const GAP = 10;
const TOP = 6;

/** The colour of the series at `index`, the palette starting again after its last. */
const colour = (index: number) => SERIES_COLOURS[index % SERIES_COLOURS.length] as string;

/** Shorten a label that would not fit beside its bar; the whole name stays in its SVG title. */
function shorten(label: string, max = 38): string {
  return label.length <= max ? label : `${label.slice(0, max - 1)}…`;
}

/** The chart's geometry: bar and group heights, the whole height, a bar's length, a value's text. */
function createChartScale(props: {
  categories: readonly BarCategory[];
  series: readonly BarSeries[];
  value: (category: string, series: string) => number;
  format?: (value: number) => string;
}) {
  const barHeight = () => (props.series.length > 1 ? 11 : 16);
  const groupHeight = () => props.series.length * barHeight() + GAP;
  const height = () => TOP + props.categories.length * groupHeight() + 4;
  const max = () => {
    let m = 0;
    for (const c of props.categories)
      for (const s of props.series) m = Math.max(m, props.value(c.key, s.key));
    return m === 0 ? 1 : m;
  };
  const length = (v: number) => (v / max()) * PLOT_WIDTH;
  const format = (v: number) => (props.format ?? formatNumber)(v);
  return { barHeight, groupHeight, height, length, format };
}

/**
 * Horizontal bars: one per category, or, with several series, one group per category with a bar
 * per series and a legend. The chart is an image with a title and a description; the table beside
 * it holds the same figures for those who cannot see it.
 */
export function BarChart(props: {
  title: string;
  description: string;
  categories: readonly BarCategory[];
  series: readonly BarSeries[];
  value: (category: string, series: string) => number;
  format?: (value: number) => string;
}) {
  const id = createUniqueId();
  const { barHeight, groupHeight, height, length, format } = createChartScale(props);
  return (
    <figure class="chart">
      <svg
        class="bar-chart"
        viewBox={`0 0 ${WIDTH} ${height()}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-title`}>{props.title}</title>
        <desc id={`${id}-desc`}>{props.description}</desc>
        <line x1={LABEL_WIDTH} x2={LABEL_WIDTH} y1={0} y2={height()} stroke="#8a8f98" stroke-width="1" />
        <Index each={props.categories}>
          {(category, c) => {
            const y = () => TOP + c * groupHeight();
            return (
              <g>
                <text
                  x={LABEL_WIDTH - 8}
                  y={y() + (props.series.length * barHeight()) / 2}
                  text-anchor="end"
                  dominant-baseline="middle"
                  class="chart-label"
                >
                  <title>{category().label}</title>
                  {shorten(category().label)}
                </text>
                <Index each={props.series}>
                  {(series, s) => {
                    const v = () => props.value(category().key, series().key);
                    const top = () => y() + s * barHeight();
                    return (
                      <>
                        <rect
                          x={LABEL_WIDTH}
                          y={top()}
                          width={Math.max(v() > 0 ? 1.5 : 0, length(v()))}
                          height={barHeight() - 2}
                          fill={colour(s)}
                        />
                        <text
                          x={LABEL_WIDTH + length(v()) + 5}
                          y={top() + (barHeight() - 2) / 2}
                          dominant-baseline="middle"
                          class="chart-value"
                        >
                          {format(v())}
                        </text>
                      </>
                    );
                  }}
                </Index>
              </g>
            );
          }}
        </Index>
      </svg>
      <Show when={props.series.length > 1}>
        <ChartLegend series={props.series} />
      </Show>
    </figure>
  );
}

/** With several series, which colour is which. */
function ChartLegend(props: { series: readonly BarSeries[] }) {
  return (
    <figcaption>
      <ul class="chart-legend">
        <For each={props.series}>
          {(series, s) => (
            <li>
              <svg class="legend-swatch" viewBox="0 0 12 12" aria-hidden="true">
                <rect width="12" height="12" rx="2" fill={colour(s())} />
              </svg>
              {series.label}
            </li>
          )}
        </For>
      </ul>
    </figcaption>
  );
}
