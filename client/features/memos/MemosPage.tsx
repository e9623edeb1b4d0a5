/**
 * All the project's memos in one list: each document's memo, each code's definition, each coding's
 * memo with the passage it is about — searchable (accents and case ignored), filtered by kind, each
 * leading to where it is written, and downloadable as CSV.
 */
import { A, useParams } from '@solidjs/router';
import { createResource, createSignal, For, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { MEMO_KINDS, type MemoKind } from '../../../shared/memos.ts';
import { formatDateTime, t } from '../../i18n/index.ts';
import { fetchProject } from '../review/review-api.ts';
import './memos.css';

export default function MemosPage() {
  const params = useParams<{ projectId: string }>();
  const [project] = createResource(() => params.projectId, fetchProject);
  const [query, setQuery] = createSignal('');
  const [kind, setKind] = createSignal<'' | MemoKind>('');
  const filter = (): { q?: string; kind?: MemoKind } => {
    const k = kind();
    return { ...(query().trim() ? { q: query().trim() } : {}), ...(k ? { kind: k } : {}) };
  };
  const [memos] = createResource(
    () => ({ projectId: params.projectId, ...filter() }),
    async ({ projectId, ...q }) =>
      (await unwrap(api.projects[':projectId'].memos.$get({ param: { projectId }, query: q }))).memos,
  );
  const csvHref = () =>
    api.projects[':projectId'].memos['export.csv'].$url({
      param: { projectId: params.projectId },
      query: filter(),
    }).href;
  const where = (memo: NonNullable<ReturnType<typeof memos>>[number]) =>
    memo.kind === 'code'
      ? t('memos.onCode', { code: memo.codeName ?? '' })
      : memo.kind === 'document'
        ? t('memos.onDocument', { document: memo.documentName ?? '' })
        : t('memos.onCoding', { code: memo.codeName ?? '', document: memo.documentName ?? '' });

  return (
    <div class="page wide">
      <header class="page-header">
        <A class="back-link" href={`/projects/${params.projectId}`}>
          ← {project()?.name ?? t('history.back')}
        </A>
        <h1>{t('memos.title')}</h1>
        <p class="lead-text">{t('memos.intro')}</p>
      </header>
      <section class="card" aria-labelledby="memos-filters">
        <h2 id="memos-filters">{t('history.filters')}</h2>
        <div class="memos-filters">
          <label class="field">
            <span>{t('memos.search')}</span>
            <input type="search" value={query()} onInput={(e) => setQuery(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{t('memos.kind')}</span>
            <select value={kind()} onChange={(e) => setKind(e.currentTarget.value as '' | MemoKind)}>
              <option value="">{t('history.allKinds')}</option>
              <For each={MEMO_KINDS}>{(k) => <option value={k}>{t(`memos.kind.${k}`)}</option>}</For>
            </select>
          </label>
        </div>
        <p>
          <a class="button-link" href={csvHref()} download="memos.csv">
            {t('memos.csv')}
          </a>
        </p>
      </section>
      <section class="card" aria-labelledby="memos-list" aria-busy={memos.loading}>
        <h2 id="memos-list">{t('memos.list', { count: memos()?.length ?? 0 })}</h2>
        <ErrorAlert error={memos.error} />
        <Show when={(memos()?.length ?? 0) > 0} fallback={<p class="muted">{t('memos.none')}</p>}>
          <ul class="plain-list memo-entries">
            <For each={memos()}>
              {(memo) => (
                <li data-kind={memo.kind}>
                  <p class="memo-where">
                    <Show when={memo.documentId} fallback={<strong>{where(memo)}</strong>}>
                      {(documentId) => (
                        <A href={`/projects/${params.projectId}/documents/${documentId()}`}>{where(memo)}</A>
                      )}
                    </Show>
                    <Show when={memo.at}>{(at) => <time datetime={at()}>{formatDateTime(at())}</time>}</Show>
                  </p>
                  <Show when={memo.quote}>
                    {(quote) => <blockquote class="memo-quote">{quote()}</blockquote>}
                  </Show>
                  <p class="memo-text">{memo.text}</p>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
    </div>
  );
}
