/**
 * Which attribute the dashboard's crosstab opens on: one that splits the participants into a few
 * groups (a type of structure, a region), not one whose values are nearly all different (a
 * structure's name, a date of interview), nor one all participants share.
 */
import type { AttributeOption } from './review-state.ts';

/**
 * The attribute with the fewest distinct values among those with at least two; failing that, the
 * first with any value; failing that, the first defined. Ties keep the definitions' order.
 * @example crosstabAttribute([{name: 'structure', values: 6 values}, {name: 'type', values: 3}]) → 'type'
 */
export function crosstabAttribute(options: readonly AttributeOption[]): string | undefined {
  let best: AttributeOption | undefined;
  for (const option of options) {
    if (option.values.length < 2) continue;
    if (!best || option.values.length < best.values.length) best = option;
  }
  return (best ?? options.find((o) => o.values.length > 0) ?? options[0])?.name;
}
