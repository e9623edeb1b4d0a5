import { A, useParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import { AutocodePanel } from './AutocodePanel.tsx';
import { PAGE_SIZE } from './search-api.ts';
import { createSearchState } from './search-state.ts';
import { SearchForm } from './SearchForm.tsx';
import { SearchResults } from './SearchResults.tsx';
import './search.css';

/**
 * Full-text search over a project's transcripts (French-aware: accents, stemming, elisions), with
 * results by document and auto-coding of what was found. The search lives in the address.
 */
export default function SearchPage() {
  const params = useParams<{ projectId: string }>();
  const { request, project, context, result, refetch, selected, canCode, go, toggle, latest } =
    createSearchState(() => params.projectId);

  return (
    <div class="page wide search-page">
      <header class="page-header">
        <A class="back-link" href={`/projects/${params.projectId}`}>
          ← {project()?.name ?? t('search.backToProject')}
        </A>
        <h1>{t('search.title')}</h1>
      </header>
      <ErrorAlert error={project.error ?? context.error} />
      <SearchForm request={request()} context={context()} onSearch={go} />
      <p class="search-summary" role="status" aria-live="polite" aria-atomic="true">
        <Show when={result.loading}>{t('search.searching')}</Show>
        <Show when={!result.loading && latest()}>
          {(found) =>
            found().total === 0
              ? t('search.noResults')
              : t('search.summary', {
                  passages: formatNumber(found().total),
                  documents: formatNumber(found().documents.length),
                })
          }
        </Show>
      </p>
      <ErrorAlert error={result.error} />
      <Show when={latest()}>
        {(found) => (
          <div class="search-layout" classList={{ 'with-autocode': canCode() && found().total > 0 }}>
            <div class="search-main">
              <Show when={found().total > 0}>
                <SearchResults
                  projectId={params.projectId}
                  q={request().q}
                  result={found()}
                  selection={canCode() ? { isSelected: (id) => selected().has(id), toggle } : undefined}
                />
                <Pager
                  offset={found().offset}
                  shown={found().hits.length}
                  total={found().total}
                  onPage={(offset) => go({ ...request(), offset })}
                />
              </Show>
            </div>
            {/* Kept mounted while results are shown, so that « Annuler » survives a run that
                leaves no passage to show (a search of passages « pas encore codés »). */}
            <Show when={canCode()}>
              <aside class="search-aside">
                <AutocodePanel
                  projectId={params.projectId}
                  request={request()}
                  codes={context()?.codes ?? []}
                  total={found().total}
                  selectedIds={[...selected()]}
                  onChanged={() => void refetch()}
                />
              </aside>
            </Show>
          </div>
        )}
      </Show>
    </div>
  );
}

/** Previous and next pages of a long list of hits. */
function Pager(props: { offset: number; shown: number; total: number; onPage: (offset: number) => void }) {
  return (
    <Show when={props.total > PAGE_SIZE}>
      <nav class="search-pager" aria-label={t('search.pages')}>
        <button
          type="button"
          disabled={props.offset === 0}
          onClick={() => props.onPage(Math.max(0, props.offset - PAGE_SIZE))}
        >
          ← {t('search.previous')}
        </button>
        <span>
          {t('search.range', {
            from: formatNumber(props.offset + 1),
            to: formatNumber(props.offset + props.shown),
            total: formatNumber(props.total),
          })}
        </span>
        <button
          type="button"
          disabled={props.offset + props.shown >= props.total}
          onClick={() => props.onPage(props.offset + PAGE_SIZE)}
        >
          {t('search.next')} →
        </button>
      </nav>
    </Show>
  );
}
