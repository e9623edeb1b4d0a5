/**
 * The project's history (audit trail): every change in plain sentences, newest first — who, what,
 * when, on which document or code — filtered by person, kind and dates, paged, and downloadable as
 * CSV. Real-name exports and erasures appear to leads only; erased content shows as such.
 */
import { A, useParams } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, onMount, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { AUDIT_KINDS, type AuditKind } from '../../../shared/audit.ts';
import type { LoggedProjectEvent } from '../../../shared/events.ts';
import { formatDateTime, t } from '../../i18n/index.ts';
import { describeEvent } from '../review/activity.ts';
import { fetchCodes, fetchDocuments, fetchMembers, fetchProject } from '../review/review-api.ts';
import './history.css';

const PAGE = 50;

interface Filter {
  userId: string;
  kind: '' | AuditKind;
  from: string;
  to: string;
}

/** The query a filter sends: empty fields left out. */
function query(filter: Filter): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== ''));
}

export default function HistoryPage() {
  const params = useParams<{ projectId: string }>();
  const [project] = createResource(() => params.projectId, fetchProject);
  const [members] = createResource(() => params.projectId, fetchMembers);
  const [codes] = createResource(() => params.projectId, fetchCodes);
  const [documents] = createResource(() => params.projectId, fetchDocuments);
  const [filter, setFilter] = createSignal<Filter>({ userId: '', kind: '', from: '', to: '' });
  const [entries, setEntries] = createSignal<LoggedProjectEvent[]>([]);
  const [next, setNext] = createSignal<number | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<unknown>();

  const load = async (before?: number) => {
    setLoading(true);
    setError(undefined);
    try {
      const page = await unwrap(
        api.projects[':projectId'].audit.$get({
          param: { projectId: params.projectId },
          query: { ...query(filter()), limit: String(PAGE), ...(before ? { before: String(before) } : {}) },
        }),
      );
      setEntries((list) => (before ? [...list, ...page.entries] : page.entries) as LoggedProjectEvent[]);
      setNext(page.next);
    } catch (failure) {
      setError(failure);
    } finally {
      setLoading(false);
    }
  };
  onMount(() => void load());
  const change = (patch: Partial<Filter>) => {
    setFilter({ ...filter(), ...patch });
    void load();
  };

  const names = createMemo(() => {
    const people = new Map((members() ?? []).map((m) => [m.userId as string, m.displayName || m.username]));
    const codeNames = new Map((codes() ?? []).map((c) => [c.id as string, c.name]));
    const documentNames = new Map((documents() ?? []).map((d) => [d.id as string, d.name]));
    return {
      user: (id: string) => people.get(id),
      code: (id: string) => codeNames.get(id),
      document: (id: string) => documentNames.get(id),
    };
  });
  const csvHref = () =>
    api.projects[':projectId'].audit['export.csv'].$url({
      param: { projectId: params.projectId },
      query: query(filter()),
    }).href;

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
      <section class="card" aria-labelledby="history-filters">
        <h2 id="history-filters">{t('history.filters')}</h2>
        <div class="history-filters">
          <label class="field">
            <span>{t('history.person')}</span>
            <select value={filter().userId} onChange={(e) => change({ userId: e.currentTarget.value })}>
              <option value="">{t('history.everyone')}</option>
              <For each={members() ?? []}>
                {(m) => <option value={m.userId}>{m.displayName || m.username}</option>}
              </For>
            </select>
          </label>
          <label class="field">
            <span>{t('history.kind')}</span>
            <select
              value={filter().kind}
              onChange={(e) => change({ kind: e.currentTarget.value as Filter['kind'] })}
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
              value={filter().from}
              onChange={(e) => change({ from: e.currentTarget.value })}
            />
          </label>
          <label class="field">
            <span>{t('history.to')}</span>
            <input type="date" value={filter().to} onChange={(e) => change({ to: e.currentTarget.value })} />
          </label>
        </div>
        <p>
          <a class="button-link" href={csvHref()} download="historique.csv">
            {t('history.csv')}
          </a>
        </p>
      </section>
      <section class="card" aria-labelledby="history-list" aria-busy={loading()}>
        <h2 id="history-list">{t('history.changes')}</h2>
        <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
        <Show
          when={entries().length > 0}
          fallback={<p class="muted">{loading() ? t('app.loading') : t('history.none')}</p>}
        >
          <ol class="plain-list history-entries">
            <For each={entries()}>
              {(event) => (
                <li data-kind={event.type}>
                  <time datetime={event.at}>{formatDateTime(event.at)}</time>
                  <span>{describeEvent(event, names())}</span>
                </li>
              )}
            </For>
          </ol>
        </Show>
        <Show when={next()}>
          {(before) => (
            <button
              type="button"
              class="small-button"
              disabled={loading()}
              onClick={() => void load(before())}
            >
              {t('history.more')}
            </button>
          )}
        </Show>
      </section>
    </div>
  );
}
