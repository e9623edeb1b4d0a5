/** Which codings the transcript draws: the codes not hidden, and all coders, the user's own or one coder's. */
import { createMemo, createSignal } from 'solid-js';
import type { CodingState } from './coding-state.ts';

/** Which coders' codings are drawn: all, the user's own, or one coder's. */
export type CoderFilter = 'all' | 'mine' | { readonly coderId: string };

export function createCodingFilters(state: CodingState, me: () => string | undefined) {
  const [hidden, setHidden] = createSignal<ReadonlySet<string>>(new Set());
  const [coderFilter, setCoderFilter] = createSignal<CoderFilter>('all');
  const visibleCodings = createMemo(() => {
    const filter = coderFilter();
    const self = me();
    const off = hidden();
    return state
      .codings()
      .filter(
        (c) =>
          !off.has(c.codeId) &&
          (filter === 'all' || (filter === 'mine' ? c.coderId === self : c.coderId === filter.coderId)),
      );
  });
  /** The members who may code, whose codings can be shown alone. */
  const coders = createMemo(() => (state.members() ?? []).filter((m) => m.role !== 'viewer'));
  /** Show or hide the codings of one code. */
  const toggleHidden = (id: string) =>
    setHidden((set) => {
      const next = new Set(set);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return { hidden, toggleHidden, coderFilter, setCoderFilter, visibleCodings, coders };
}

export type CodingFilters = ReturnType<typeof createCodingFilters>;
