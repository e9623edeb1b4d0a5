/** Numbers of the review pages in the reader's language: « 12,5 % », « 0,46 », « 1 234 ». */
import { locale } from '../../i18n/index.ts';

const tag = () => (locale() === 'fr' ? 'fr-FR' : 'en-GB');

/** A percentage given between 0 and 100, e.g. 12.5 → « 12,5 % »; empty when null. */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  return new Intl.NumberFormat(tag(), {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value / 100);
}

/** A share between 0 and 1 as a percentage, e.g. 0.0406 → « 4,1 % ». */
export function formatShare(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '' : formatPercent(value * 100, digits);
}

/** A coefficient (kappa, alpha) with two decimals, e.g. 0.4595 → « 0,46 »; empty when null. */
export function formatCoefficient(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  // A value that rounds to zero is shown as « 0,00 », never « -0,00 ».
  const factor = 10 ** digits;
  const rounded = Math.round(value * factor) / factor || 0;
  return new Intl.NumberFormat(tag(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(rounded);
}

/** A number rounded for a CSV cell (the CSV keeps more precision than the screen, not all of it). */
export function roundTo(value: number | null | undefined, digits: number): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
