/**
 * The project's history (audit trail): every change in plain sentences, newest first — who, what,
 * when, on which document or code — filtered by person, kind and dates, paged, and downloadable as
 * CSV. Real-name exports and erasures appear to leads only; erased content shows as such.
 */
import { A, useParams } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { AUDIT_KINDS } from '../../../shared/audit.ts';
import { formatDateTime, t } from '../../i18n/index.ts';
import { describeEvent } from '../review/activity.ts';
import { createHistory, type Filter, type History } from './history-state.ts';
import './history.css';

export default function HistoryPage() {
  const params = useParams<{ projectId: string }>();
  const history = createHistory(() => params.projectId);
  const { project, members, codes, documents } = history;

  return (
    <div class="page wide">
      <header class="page-header">
        <A class="back-link" href={`/projects/${params.projectId}`}>
          ← {project()?.name ?? t('history.back')}
        </A>
        <h1>{t('history.title')}</h1>
        <p class="lead-text">{t('history.intro')}</p>
      </header>
      <ErrorAlert error={project.error ?? members.error ?? codes.error ?? documents.error} />
      <HistoryFilters history={history} />
      <HistoryEntries history={history} />
    </div>
  );
}

/** Whose changes, of which kind, between which dates; and the filtered history as CSV. */
function HistoryFilters(props: { history: History }) {
  return (
    <section class="card" aria-labelledby="history-filters">
      <h2 id="history-filters">{t('history.filters')}</h2>
      <div class="history-filters">
        <label class="field">
          <span>{t('history.person')}</span>
          <select
            value={props.history.filter().userId}
            onChange={(e) => props.history.change({ userId: e.currentTarget.value })}
          >
            <option value="">{t('history.everyone')}</option>
            <For each={props.history.members() ?? []}>
              {(m) => <option value={m.userId}>{m.displayName || m.username}</option>}
            </For>
          </select>
        </label>
        <label class="field">
          <span>{t('history.kind')}</span>
          <select
            value={props.history.filter().kind}
            onChange={(e) => props.history.change({ kind: e.currentTarget.value as Filter['kind'] })}
          >
            <option value="">{t('history.allKinds')}</option>
            <For each={AUDIT_KINDS}>
              {(kind) => <option value={kind}>{t(`history.kind.${kind}`)}</option>}
            </For>
          </select>
        </label>
        <label class="field">
          <span>{t('history.from')}</span>
          <input
            type="date"
            value={props.history.filter().from}
            onChange={(e) => props.history.change({ from: e.currentTarget.value })}
          />
        </label>
        <label class="field">
          <span>{t('history.to')}</span>
          <input
            type="date"
            value={props.history.filter().to}
            onChange={(e) => props.history.change({ to: e.currentTarget.value })}
          />
        </label>
      </div>
      <p>
        <a class="button-link" href={props.history.csvHref()} download="historique.csv">
          {t('history.csv')}
        </a>
      </p>
    </section>
  );
}

/** The changes, newest first, a page at a time. */
function HistoryEntries(props: { history: History }) {
  return (
    <section class="card" aria-labelledby="history-list" aria-busy={props.history.loading()}>
      <h2 id="history-list">{t('history.changes')}</h2>
      <ErrorAlert error={props.history.error()} onDismiss={() => props.history.setError(undefined)} />
      <Show
        when={props.history.entries().length > 0}
        fallback={<p class="muted">{props.history.loading() ? t('app.loading') : t('history.none')}</p>}
      >
        <ol class="plain-list history-entries">
          <For each={props.history.entries()}>
            {(event) => (
              <li data-kind={event.type}>
                <time datetime={event.at}>{formatDateTime(event.at)}</time>
                <span>{describeEvent(event, props.history.names())}</span>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <Show when={props.history.next()}>
        {(before) => (
          <button
            type="button"
            class="small-button"
            disabled={props.history.loading()}
            onClick={() => void props.history.load(before())}
          >
            {t('history.more')}
          </button>
        )}
      </Show>
    </section>
  );
}
