import { A } from '@solidjs/router';
import { createMemo, createResource, For, Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatDateTime, formatNumber, t } from '../../i18n/index.ts';
import { crosstabAttribute } from './crosstab-default.ts';
import { describeEvent } from './activity.ts';
import { DataTable } from './DataTable.tsx';
import { formatCoefficient } from './format.ts';
import { crosstabColumns, depthClass, frequencyColumns } from './FrequencyTables.tsx';
import {
  fetchAgreement,
  fetchCoders,
  fetchCodes,
  fetchDirectory,
  fetchDocuments,
  fetchFrequencies,
  fetchParticipants,
  fetchProject,
  fetchRecentEvents,
} from './review-api.ts';
import { NO_FILTER } from './review-filter.ts';
import { attributeOptions, useReviewSearch } from './review-state.ts';
import { ReviewHeader } from './ReviewHeader.tsx';
import './review.css';

const RECENT_EVENTS = 20;
const TOP_THEMES = 8;

/** What the dashboard reads, and the names it shows for ids. */
function createDashboard() {
  const review = useReviewSearch();
  const projectId = review.projectId;
  const [project] = createResource(projectId, fetchProject);
  const [table] = createResource(projectId, (id) => fetchFrequencies(id, NO_FILTER));
  const [coders] = createResource(projectId, async (id) => (await fetchCoders(id, NO_FILTER)).rows);
  const [participants] = createResource(projectId, fetchParticipants);
  const attribute = () => {
    const list = participants();
    return review.param('attribute') ?? (list ? crosstabAttribute(attributeOptions(list)) : undefined);
  };
  const [crosstab] = createResource(
    () => {
      const name = attribute();
      return name ? { id: projectId(), name } : false;
    },
    ({ id, name }) => fetchFrequencies(id, NO_FILTER, name),
  );
  /** The two coders with the most codings, compared code point by code point. */
  const topTwo = createMemo(() => {
    const rows = coders() ?? [];
    return rows.length >= 2 ? [rows[0]?.coderId ?? '', rows[1]?.coderId ?? ''] : undefined;
  });
  const [agreement] = createResource(
    () => {
      const pair = topTwo();
      return pair ? { id: projectId(), pair } : false;
    },
    ({ id, pair }) => fetchAgreement(id, pair, 'character', NO_FILTER),
  );
  const [events] = createResource(
    () => {
      const current = project();
      return current ? { id: current.id, seq: current.seq } : false;
    },
    ({ id, seq }) => fetchRecentEvents(id, seq, RECENT_EVENTS),
  );
  const names = createNames(projectId);
  const base = () => `/projects/${projectId()}/review`;
  const topThemes = createMemo(() =>
    [...(table()?.rows ?? [])]
      .filter((r) => r.codings > 0)
      .sort((a, b) => b.codings - a.codings || b.participants - a.participants)
      .slice(0, TOP_THEMES),
  );
  return {
    ...{ review, projectId, project, table, coders, participants, attribute, crosstab, topTwo },
    ...{ agreement, events, names, base },
    coderName: (id: string) => coders()?.find((c) => c.coderId === id)?.displayName || names.user(id) || id,
    topThemes,
    context: () => ({ projectId: projectId(), filter: NO_FILTER, rows: table()?.rows ?? [] }),
    agreementHref: () => {
      const pair = topTwo();
      return pair ? `${base()}/agreement?coders=${pair.join(',')}` : `${base()}/agreement`;
    },
  };
}

type Dashboard = ReturnType<typeof createDashboard>;

/** Names of users, codes and documents, for the activity's sentences. */
function createNames(projectId: () => string) {
  const [directory] = createResource(fetchDirectory);
  const [codes] = createResource(projectId, fetchCodes);
  const [documents] = createResource(projectId, fetchDocuments);
  return {
    user: (id: string) => {
      const user = directory()?.find((u) => u.id === id);
      return user ? user.displayName || user.username : undefined;
    },
    code: (id: string) => codes()?.find((c) => c.id === id)?.name,
    document: (id: string) => documents()?.find((d) => d.id === id)?.name,
  };
}

/**
 * The review dashboard: the corpus in figures, the most coded themes, a crosstab by one attribute,
 * where inter-coder agreement stands, and the latest changes in plain sentences.
 */
export default function ReviewDashboardPage() {
  const d = createDashboard();
  return (
    <div class="page wide review-page">
      <ReviewHeader
        projectId={d.projectId()}
        title={t('review.dashboard.title')}
        intro={t('review.dashboard.intro')}
      />
      <ErrorAlert
        error={
          d.project.error ??
          d.table.error ??
          d.coders.error ??
          d.participants.error ??
          d.crosstab.error ??
          d.agreement.error ??
          d.events.error
        }
      />
      <Totals d={d} />

      <div class="dashboard-columns">
        <TopThemes d={d} />

        <div>
          <AgreementStatus d={d} />

          <Activity d={d} />
        </div>
      </div>

      <Crosstab d={d} />
    </div>
  );
}

/** The corpus in figures. */
function Totals(props: { d: Dashboard }) {
  return (
    <section class="card" aria-labelledby="totals-title">
      <h2 id="totals-title">{t('review.dashboard.totals')}</h2>
      <Show when={props.d.table() && props.d.coders()} fallback={<p class="muted">{t('app.loading')}</p>}>
        <dl class="totals" data-testid="totals">
          <div class="total" data-total="documents">
            <dt>{t('review.total.documents')}</dt>
            <dd class="total-value">{formatNumber(props.d.table()?.totals.documents ?? 0)}</dd>
          </div>
          <div class="total" data-total="words">
            <dt>{t('review.total.words')}</dt>
            <dd class="total-value">{formatNumber(props.d.table()?.totals.words ?? 0)}</dd>
            <dd class="total-note" data-total="codePoints">
              {t('review.total.wordsNote', {
                characters: formatNumber(props.d.table()?.totals.codePoints ?? 0),
              })}
            </dd>
          </div>
          <div class="total" data-total="participants">
            <dt>{t('review.total.participants')}</dt>
            <dd class="total-value">{formatNumber(props.d.table()?.totals.participants ?? 0)}</dd>
          </div>
          <div class="total" data-total="codings">
            <dt>{t('review.total.codings')}</dt>
            <dd class="total-value">{formatNumber(props.d.table()?.totals.codings ?? 0)}</dd>
          </div>
          <div class="total" data-total="coders">
            <dt>{t('review.total.coders')}</dt>
            <dd class="total-value">{formatNumber(props.d.coders()?.length ?? 0)}</dd>
          </div>
          <div class="total" data-total="codes">
            <dt>{t('review.total.codesUsed')}</dt>
            <dd class="total-value">
              {t('review.total.codesUsedValue', {
                used: (props.d.table()?.rows ?? []).filter((r) => r.codings > 0).length,
                all: props.d.table()?.rows.length ?? 0,
              })}
            </dd>
          </div>
        </dl>
      </Show>
    </section>
  );
}

/** The most coded themes. */
function TopThemes(props: { d: Dashboard }) {
  return (
    <section class="card" aria-labelledby="themes-title">
      <div class="panel-head">
        <h2 id="themes-title">{t('review.dashboard.topThemes')}</h2>
        <A href={`${props.d.base()}/frequencies`}>{t('review.dashboard.allFrequencies')}</A>
      </div>
      <Show when={props.d.table()} fallback={<p class="muted">{t('app.loading')}</p>}>
        <DataTable
          testId="top-themes"
          caption={t('review.dashboard.topThemesCaption', { count: TOP_THEMES })}
          columns={frequencyColumns(props.d.context()).filter((c) =>
            ['code', 'codings', 'participants', 'coverage'].includes(c.key),
          )}
          rows={props.d.topThemes()}
          empty={t('review.dashboard.noCodings')}
        />
      </Show>
    </section>
  );
}

/** Where agreement stands between the two coders with the most codings. */
function AgreementStatus(props: { d: Dashboard }) {
  return (
    <section class="card" aria-labelledby="agreement-status-title">
      <h2 id="agreement-status-title">{t('review.dashboard.agreement')}</h2>
      <Show when={props.d.topTwo()} fallback={<p class="muted">{t('review.dashboard.agreementNeedsTwo')}</p>}>
        {(pair) => (
          <Show when={props.d.agreement()} fallback={<p class="muted">{t('app.loading')}</p>}>
            {(current) => (
              <p data-testid="dashboard-kappa">
                {t('review.dashboard.kappa', {
                  a: props.d.coderName(pair()[0] ?? ''),
                  b: props.d.coderName(pair()[1] ?? ''),
                  all: formatCoefficient(current().overall.all.meanKappa) || t('review.dashboard.noKappa'),
                  coded:
                    formatCoefficient(current().overall.codedText.meanKappa) || t('review.dashboard.noKappa'),
                })}
              </p>
            )}
          </Show>
        )}
      </Show>
      <A href={props.d.agreementHref()}>{t('review.dashboard.agreementLink')}</A>
    </section>
  );
}

/** The latest changes, in plain sentences. */
function Activity(props: { d: Dashboard }) {
  return (
    <section class="card" aria-labelledby="activity-title">
      <h2 id="activity-title">{t('review.dashboard.activity')}</h2>
      <Show when={props.d.events()} fallback={<p class="muted">{t('app.loading')}</p>}>
        {(list) => (
          <ol class="activity" data-testid="activity">
            <For each={list()}>
              {(event) => (
                <li>
                  <span class="activity-text">{describeEvent(event, props.d.names)}</span>
                  <time class="activity-time" datetime={event.at}>
                    {formatDateTime(event.at)}
                  </time>
                </li>
              )}
            </For>
          </ol>
        )}
      </Show>
    </section>
  );
}

/** Themes by the values of one participant attribute. */
function Crosstab(props: { d: Dashboard }) {
  return (
    <section class="card" aria-labelledby="dashboard-crosstab-title">
      <div class="panel-head">
        <h2 id="dashboard-crosstab-title">{t('review.dashboard.crosstab')}</h2>
        <label class="field inline-field">
          <span>{t('review.crosstab.attribute')}</span>
          <select onChange={(e) => props.d.review.setParam('attribute', e.currentTarget.value)}>
            <For each={props.d.participants()?.attributes ?? []}>
              {(a) => (
                <option value={a.name} selected={a.name === props.d.attribute()}>
                  {a.name}
                </option>
              )}
            </For>
          </select>
        </label>
      </div>
      <Show when={props.d.attribute()} fallback={<p class="muted">{t('review.dashboard.noAttributes')}</p>}>
        <Show when={props.d.crosstab()} fallback={<p class="muted">{t('app.loading')}</p>}>
          {(current) => (
            <DataTable
              testId="dashboard-crosstab"
              caption={t('review.crosstab.caption', { attribute: current().crosstab?.attribute ?? '' })}
              hint={t('review.crosstab.hintColumn')}
              columns={crosstabColumns(
                { ...props.d.context(), rows: current().rows },
                current(),
                'column',
                true,
              )}
              rows={current().rows.filter((r) => r.depth === 0)}
              rowClass={depthClass}
            />
          )}
        </Show>
      </Show>
    </section>
  );
}
