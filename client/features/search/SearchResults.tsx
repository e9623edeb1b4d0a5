import { durationAttribute, formatTime } from '../../../shared/time.ts';
import { codePointLength } from '../../../shared/offsets.ts';
import { A } from '@solidjs/router';
import { createEffect, createMemo, For, Show } from 'solid-js';
import { formatNumber, t } from '../../i18n/index.ts';
import type { SearchHit, SearchResult } from './search-api.ts';
import { documentAtMatch } from './search-request.ts';
import { passageWindow, snippetPieces, speakerLabelLength } from './snippet-pieces.ts';

/** Code points of context kept on each side of the matches of a long passage. */
const CONTEXT = 280;

interface DocumentGroup {
  readonly documentId: string;
  readonly name: string;
  /** Hits of this document in the whole search, not only on this page. */
  readonly total: number;
  readonly pseudonym: string | null;
  readonly hits: SearchHit[];
}

/** The page's hits by document, in the order the server ranked them. */
function groupByDocument(result: SearchResult): DocumentGroup[] {
  const totals = new Map(result.documents.map((d) => [d.documentId, d.count]));
  const groups = new Map<string, DocumentGroup>();
  for (const hit of result.hits) {
    const group = groups.get(hit.documentId) ?? {
      documentId: hit.documentId,
      name: hit.documentName,
      total: totals.get(hit.documentId) ?? 0,
      pseudonym: hit.participant?.pseudonym ?? null,
      hits: [],
    };
    group.hits.push(hit);
    groups.set(hit.documentId, group);
  }
  return [...groups.values()];
}

/**
 * One page of results, grouped by document. With `selection`, each passage has a checkbox for
 * auto-coding and the list a « tout cocher ».
 */
export function SearchResults(props: {
  projectId: string;
  q: string;
  result: SearchResult;
  selection?: {
    isSelected: (hitId: string) => boolean;
    toggle: (hitIds: readonly string[], on: boolean) => void;
  };
}) {
  const groups = createMemo(() => groupByDocument(props.result));
  const pageIds = () => props.result.hits.map((h) => h.id);
  const selectedOnPage = () => pageIds().filter((id) => props.selection?.isSelected(id)).length;
  return (
    <section class="search-results" aria-labelledby="search-results-title">
      <div class="panel-head search-results-head">
        <h2 id="search-results-title">{t('search.resultsTitle')}</h2>
        <Show when={props.selection}>
          {(selection) => (
            <label class="checkbox">
              <input
                type="checkbox"
                checked={selectedOnPage() === pageIds().length && pageIds().length > 0}
                ref={(box) =>
                  createEffect(() => {
                    box.indeterminate = selectedOnPage() > 0 && selectedOnPage() < pageIds().length;
                  })
                }
                onChange={(e) => selection().toggle(pageIds(), e.currentTarget.checked)}
              />
              <span>{t('search.selectAll')}</span>
            </label>
          )}
        </Show>
      </div>
      <For each={groups()}>
        {(group) => (
          <section class="search-document" aria-labelledby={`search-doc-${group.documentId}`}>
            <h3 id={`search-doc-${group.documentId}`} class="search-document-title">
              <span class="search-document-name">{group.name}</span>
              <Show when={group.pseudonym}>
                {(pseudonym) => <span class="badge pseudonym">{pseudonym()}</span>}
              </Show>
              <span class="count-label">
                {t('search.passages', {
                  count: formatNumber(group.total),
                })}
              </span>
            </h3>
            <ol class="plain-list search-hits">
              <For each={group.hits}>
                {(hit) => (
                  <HitView
                    hit={hit}
                    projectId={props.projectId}
                    q={props.q}
                    selected={props.selection?.isSelected(hit.id)}
                    onToggle={props.selection ? (on) => props.selection?.toggle([hit.id], on) : undefined}
                  />
                )}
              </For>
            </ol>
          </section>
        )}
      </For>
    </section>
  );
}

function HitView(props: {
  hit: SearchHit;
  projectId: string;
  q: string;
  selected: boolean | undefined;
  onToggle: ((on: boolean) => void) | undefined;
}) {
  const pieces = createMemo(() => {
    const skip = speakerLabelLength(props.hit.snippet, props.hit.speaker);
    const window = passageWindow(props.hit.snippet, props.hit.start, props.hit.matches, CONTEXT, skip);
    return {
      before: window.from > skip,
      after: window.to < codePointLength(props.hit.snippet),
      pieces: snippetPieces(props.hit.snippet, props.hit.start, props.hit.matches, window),
    };
  });
  const firstMatch = () => props.hit.matches[0] ?? { start: props.hit.start, end: props.hit.end };
  const place = () =>
    props.hit.time === undefined ? props.hit.speaker : `${props.hit.speaker}, ${formatTime(props.hit.time)}`;
  return (
    <li class="search-hit" classList={{ selected: props.selected === true }} data-hit={props.hit.id}>
      <Show when={props.onToggle}>
        {(toggle) => (
          <input
            type="checkbox"
            class="search-hit-check"
            checked={props.selected === true}
            aria-label={t('search.selectHit', { place: place(), document: props.hit.documentName })}
            onChange={(e) => toggle()(e.currentTarget.checked)}
          />
        )}
      </Show>
      <div class="search-hit-body">
        <p class="search-hit-meta">
          <span class="speaker">{props.hit.speaker || t('search.noSpeaker')}</span>
          <Show when={props.hit.time !== undefined}>
            <time datetime={durationAttribute(props.hit.time ?? 0)}>{formatTime(props.hit.time ?? 0)}</time>
          </Show>
          <A
            class="search-hit-open"
            href={documentAtMatch(props.projectId, props.hit.documentId, firstMatch(), props.q)}
            aria-label={t('search.openHit', { place: place(), document: props.hit.documentName })}
          >
            {t('search.open')}
          </A>
        </p>
        <blockquote class="search-passage">
          <Show when={pieces().before}>… </Show>
          <For each={pieces().pieces}>
            {(piece) => (piece.marked ? <mark>{piece.text}</mark> : piece.text)}
          </For>
          <Show when={pieces().after}> …</Show>
        </blockquote>
      </div>
    </li>
  );
}
