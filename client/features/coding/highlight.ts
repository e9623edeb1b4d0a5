/** How coded passages look: a tint per code and one underline band per code, stacked. */
import type { JSX } from 'solid-js';

const BAND = 3;
const GAP = 1;

/** `#rrggbb` with an alpha, as `rgba(…)`. */
export function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1, 7), 16);
  if (!/^#[0-9a-f]{6}$/i.test(hex) || Number.isNaN(n)) return `rgba(128, 128, 128, ${alpha})`;
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

/**
 * Inline style of a piece covered by codes of these colours: each code adds a light tint (so an
 * overlap is visibly darker) and its own solid band under the text, so overlapping codes stay
 * distinct. Set through Solid's style prop (CSSOM), which the Content-Security-Policy allows.
 */
export function highlightStyle(colors: readonly string[]): JSX.CSSProperties | undefined {
  if (colors.length === 0) return undefined;
  const tints = colors.map((c) => `linear-gradient(${withAlpha(c, 0.2)}, ${withAlpha(c, 0.2)})`);
  const bands = colors.map((c) => `linear-gradient(${c}, ${c})`);
  return {
    'background-image': [...bands, ...tints].join(', '),
    'background-size': [...bands.map(() => `100% ${BAND}px`), ...tints.map(() => '100% 100%')].join(', '),
    'background-position': [
      ...bands.map((_, i) => `0 calc(100% - ${i * (BAND + GAP)}px)`),
      ...tints.map(() => '0 0'),
    ].join(', '),
    'background-repeat': 'no-repeat',
    'padding-bottom': `${colors.length * (BAND + GAP)}px`,
  };
}
