import { formatNumber } from '../../i18n/index.ts';
import type { AttributeDef } from '../../../shared/model.ts';

/** A value as the table shows it to someone who cannot edit: numbers and dates in French. */
export function formatAttributeValue(
  def: Pick<AttributeDef, 'type'> | undefined,
  value: string | number | undefined,
): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value);
  if (def?.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}/${m}/${y}`;
  }
  return value;
}
