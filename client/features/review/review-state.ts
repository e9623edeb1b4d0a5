/**
 * What every review page reads: the project id, its address's parameters and filter, and the
 * lists the filters are built from (members, documents, participants' attributes).
 */
import { useLocation, useNavigate, useParams } from '@solidjs/router';
import { createMemo, createResource } from 'solid-js';
import { attributeValueOf } from '../../../shared/attributes.ts';
import { buildCodeTree, type CodeNode } from '../../../shared/codebook.ts';
import { formatAttributeValue } from '../participants/attribute-format.ts';
import {
  fetchCoders,
  fetchDocuments,
  fetchMembers,
  fetchParticipants,
  type Code,
  type CoderRow,
  type Member,
  type ParticipantList,
} from './review-api.ts';
import { NO_FILTER, readFilter, writeFilter, type ReviewFilter } from './review-filter.ts';

/** The page's address parameters, and a way to change them (the page is replaced, not stacked). */
export function useReviewSearch() {
  const params = useParams<{ projectId: string }>();
  const location = useLocation();
  const navigate = useNavigate();
  const search = createMemo(() => new URLSearchParams(location.search));
  const filter = createMemo(() => readFilter(search()));
  const update = (change: (search: URLSearchParams) => void) => {
    const next = new URLSearchParams(search());
    change(next);
    const query = next.toString();
    navigate(`${location.pathname}${query === '' ? '' : `?${query}`}`, { replace: true, scroll: false });
  };
  return {
    projectId: () => params.projectId,
    search,
    filter,
    param: (name: string) => search().get(name) ?? undefined,
    update,
    setParam: (name: string, value: string | undefined) =>
      update((s) => (value === undefined || value === '' ? s.delete(name) : s.set(name, value))),
    setFilter: (next: ReviewFilter) =>
      update((s) => {
        const written = writeFilter(next, s);
        for (const key of [...s.keys()]) s.delete(key);
        for (const [key, value] of written) s.append(key, value);
      }),
  };
}

export interface CoderOption {
  readonly id: string;
  readonly name: string;
}

/** People who may have coded: members who code (leads and coders) and anyone with codings. */
export function coderOptions(members: readonly Member[], coders: readonly CoderRow[]): CoderOption[] {
  const out = new Map<string, string>();
  for (const m of members) {
    if (m.role !== 'viewer') out.set(m.userId, m.displayName || m.username);
  }
  for (const c of coders) {
    if (!out.has(c.coderId)) out.set(c.coderId, c.displayName || c.username || c.coderId);
  }
  return [...out.entries()]
    .map(([id, name]) => ({ id, name }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

export interface AttributeOption {
  readonly name: string;
  /** Each value as the API reads it, and as the reader sees it. */
  readonly values: readonly { readonly value: string; readonly label: string }[];
}

/** Every attribute with the values the participants hold (a choice's values in their order). */
export function attributeOptions(list: ParticipantList): AttributeOption[] {
  return list.attributes.map((def) => {
    const found = new Map<string, string | number>();
    for (const p of list.participants) {
      const value = attributeValueOf(p.attributes, def.name);
      if (value !== undefined) found.set(String(value), value);
    }
    let keys = [...found.keys()];
    if (def.type === 'choice') keys = def.choices.filter((c) => found.has(c));
    else if (def.type === 'number') keys.sort((a, b) => Number(a) - Number(b));
    else keys.sort((a, b) => a.localeCompare(b, 'fr', { numeric: true }));
    return {
      name: def.name,
      values: keys.map((value) => ({ value, label: formatAttributeValue(def, found.get(value)) })),
    };
  });
}

/** The lists the filter panel offers, loaded once per project. */
export function createFilterSources(projectId: () => string) {
  const [members] = createResource(projectId, fetchMembers);
  const [coderStats] = createResource(projectId, (id) => fetchCoders(id, NO_FILTER));
  const allCoders = () => coderStats()?.rows;
  /** Pairs of coders who coded documents in common, the most shared first. */
  const coderPairs = () => coderStats()?.pairs ?? [];
  const [documents] = createResource(projectId, fetchDocuments);
  const [participants] = createResource(projectId, fetchParticipants);
  const coders = createMemo(() => coderOptions(members() ?? [], allCoders() ?? []));
  const attributes = createMemo(() => {
    const list = participants();
    return list ? attributeOptions(list) : [];
  });
  const error = () => members.error ?? coderStats.error ?? documents.error ?? participants.error;
  return { members, documents, participants, coders, coderPairs, attributes, error };
}

export interface OrderedCode {
  readonly id: string;
  readonly name: string;
  readonly color: string;
  readonly depth: number;
  readonly parentId: string | null;
}

/** The codebook in its display order (parents before children, siblings by name). */
export function orderCodes(codes: readonly Code[]): OrderedCode[] {
  const out: OrderedCode[] = [];
  const visit = (nodes: readonly CodeNode[], depth: number) => {
    for (const node of nodes) {
      out.push({
        id: node.code.id,
        name: node.code.name,
        color: node.code.color,
        depth,
        parentId: node.code.parentId,
      });
      visit(node.children, depth + 1);
    }
  };
  visit(buildCodeTree(Object.fromEntries(codes.map((c) => [c.id, c]))), 0);
  return out;
}

/** A code and all the codes under it, from rows that carry `codeId` and `parentId`. */
export function subtreeIds(
  rows: readonly { readonly codeId: string; readonly parentId: string | null }[],
  codeId: string,
): string[] {
  const out = [codeId];
  for (let i = 0; i < out.length; i++) {
    for (const row of rows) if (row.parentId === out[i]) out.push(row.codeId);
  }
  return out;
}
