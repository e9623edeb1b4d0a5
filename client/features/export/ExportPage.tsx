import { attributeValueOf } from '../../../shared/attributes.ts';
import { A, useParams } from '@solidjs/router';
import { createEffect, createResource, createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import { downloadFile, type DownloadProgress } from './download.ts';
import { exportQuery, type ExportChoices, type ExportQuery } from './export-query.ts';
import { attributePublication } from '../../../shared/publication.ts';
import type { Participant } from '../../../shared/model.ts';
import { PublicationCheck } from './PublicationCheck.tsx';
import { ReplacementEditor } from './ReplacementEditor.tsx';
import { ThemeChecklist } from './ThemeChecklist.tsx';
import './export.css';

type Format = 'report.docx' | 'codings.csv' | 'codings.xlsx';

/** Export the coded testimony: the Word quote report and the codings tables, pseudonymised by default. */
export default function ExportPage() {
  const params = useParams<{ projectId: string }>();
  const project = () => api.projects[':projectId'];
  const param = () => ({ param: { projectId: params.projectId } });
  const [info] = createResource(
    () => params.projectId,
    async () => unwrap(project().$get(param())),
  );
  const [codes] = createResource(
    () => params.projectId,
    async () => (await unwrap(project().codes.$get(param()))).codes,
  );
  const [members] = createResource(
    () => params.projectId,
    async () => (await unwrap(project().members.$get(param()))).members,
  );
  const [participants] = createResource(
    () => params.projectId,
    async () => unwrap(project().participants.$get(param())),
  );
  const isLead = () => info()?.role === 'lead';

  const [choices, setChoices] = createStore<ExportChoices>({
    codeIds: [],
    coderId: '',
    attributeFilters: {},
    breakdown: '',
    cite: [],
    sort: 'document',
    maxPerCode: 0,
    memos: false,
    pseudonymise: true,
    delimiter: 'semicolon',
  });
  const [defaultsSet, setDefaultsSet] = createSignal(false);
  const attributes = () => participants()?.attributes ?? [];
  /** Whether each attribute may be cited in a pseudonymised export, and why (as the server decides). */
  const publication = () =>
    new Map(
      attributePublication(
        attributes(),
        (participants()?.participants ?? []) as unknown as readonly Participant[],
      ).map((p) => [p.name, p]),
    );
  const citable = (name: string) => !choices.pseudonymise || publication().get(name)?.publishable === true;
  // Once the attributes are known: break down by the first choice attribute, cite the publishable ones.
  createEffect(() => {
    if (defaultsSet() || !participants()) return;
    setChoices({
      breakdown: attributes().find((a) => a.type === 'choice')?.name ?? '',
      cite: attributes()
        .filter((a) => publication().get(a.name)?.publishable === true)
        .map((a) => a.name),
    });
    setDefaultsSet(true);
  });
  // Pseudonymising again drops the attributes that may not be cited.
  createEffect(() => {
    if (choices.pseudonymise) setChoices('cite', (cite) => cite.filter((n) => citable(n)));
  });
  const valuesOf = (name: string) =>
    [
      ...new Set(
        (participants()?.participants ?? [])
          .map((p) => attributeValueOf(p.attributes, name))
          .filter((v) => v !== undefined)
          .map(String),
      ),
    ].sort((a, b) => a.localeCompare(b, 'fr'));

  const query = () => (defaultsSet() ? exportQuery(choices) : undefined);
  const urlOf = (file: Format, query: ExportQuery) =>
    project()
      .exports[file].$url({ ...param(), query })
      .toString();
  const [version, setVersion] = createSignal(0);
  const [preview] = createResource(
    () => {
      const q = query();
      return q === undefined ? undefined : { query: q, v: version() };
    },
    ({ query }) => unwrap(project().exports['report-preview'].$get({ ...param(), query })),
  );

  const [progress, setProgress] = createSignal<{ file: string; at: DownloadProgress } | undefined>();
  const [done, setDone] = createSignal('');
  const [error, setError] = createSignal<unknown>();
  const download = async (file: Format) => {
    setError(undefined);
    setDone('');
    setProgress({ file, at: { received: 0, total: null } });
    try {
      const name = await downloadFile(urlOf(file, exportQuery(choices)), file, (at) =>
        setProgress({ file, at }),
      );
      setDone(t('export.downloaded', { file: name }));
    } catch (caught) {
      setError(caught);
    } finally {
      setProgress(undefined);
    }
  };

  return (
    <div class="page wide">
      <header class="page-header">
        <A class="back-link" href={`/projects/${params.projectId}`}>
          ← {info()?.name ?? t('import.backToProject')}
        </A>
        <h1>{t('export.title')}</h1>
        <p class="lead-text">{t('export.intro')}</p>
      </header>
      <ErrorAlert error={info.error ?? codes.error ?? members.error ?? participants.error} />
      <div class="two-columns">
        <section class="card stack" aria-labelledby="export-options-title">
          <h2 id="export-options-title">{t('export.title')}</h2>
          <Show when={codes()} fallback={<p class="muted">{t('app.loading')}</p>}>
            {(list) => (
              <ThemeChecklist
                codes={list()}
                checked={choices.codeIds}
                onChange={(ids) => setChoices('codeIds', ids)}
              />
            )}
          </Show>
          <label class="field">
            <span>{t('export.coder')}</span>
            <select value={choices.coderId} onChange={(e) => setChoices('coderId', e.currentTarget.value)}>
              <option value="">{t('export.allCoders')}</option>
              <For each={members() ?? []}>
                {(m) => <option value={m.userId}>{m.displayName || m.username}</option>}
              </For>
            </select>
          </label>
          <Show when={attributes().length > 0}>
            <fieldset class="stack">
              <legend>{t('export.filters')}</legend>
              <For each={attributes()}>
                {(a) => (
                  <label class="field">
                    <span>{a.name}</span>
                    <select
                      value={choices.attributeFilters[a.name] ?? ''}
                      onChange={(e) => setChoices('attributeFilters', a.name, e.currentTarget.value)}
                    >
                      <option value="">{t('export.anyValue')}</option>
                      <For each={valuesOf(a.name)}>{(v) => <option value={v}>{v}</option>}</For>
                    </select>
                  </label>
                )}
              </For>
            </fieldset>
            <label class="field">
              <span>{t('export.breakdown')}</span>
              <select
                value={choices.breakdown}
                onChange={(e) => setChoices('breakdown', e.currentTarget.value)}
              >
                <option value="">{t('export.noBreakdown')}</option>
                <For each={attributes()}>{(a) => <option value={a.name}>{a.name}</option>}</For>
              </select>
            </label>
            <fieldset class="cite-list" aria-describedby="cite-hint">
              <legend>{t('export.cite')}</legend>
              <p id="cite-hint" class="hint">
                {t('export.citeHint')}
              </p>
              <For each={attributes()}>
                {(a) => (
                  <label class="checkbox-line">
                    <input
                      type="checkbox"
                      disabled={!citable(a.name)}
                      checked={choices.cite.includes(a.name)}
                      onChange={(e) =>
                        setChoices(
                          'cite',
                          e.currentTarget.checked
                            ? attributes()
                                .map((d) => d.name)
                                .filter((n) => n === a.name || choices.cite.includes(n))
                            : choices.cite.filter((n) => n !== a.name),
                        )
                      }
                    />{' '}
                    {a.name}{' '}
                    <Show when={publication().get(a.name)}>
                      {(p) => (
                        <span class="muted small" data-testid={`cite-reason-${a.name}`}>
                          ({t(`export.citeReason.${p().reason}`)})
                        </span>
                      )}
                    </Show>
                  </label>
                )}
              </For>
            </fieldset>
          </Show>
          <label class="field">
            <span>{t('export.sort')}</span>
            <select
              value={choices.sort}
              onChange={(e) => setChoices('sort', e.currentTarget.value as ExportChoices['sort'])}
            >
              <option value="document">{t('export.sort.document')}</option>
              <option value="time">{t('export.sort.time')}</option>
              <option value="length">{t('export.sort.length')}</option>
            </select>
          </label>
          <label class="field">
            <span>{t('export.maxPerCode')}</span>
            <input
              type="number"
              min="0"
              max="100000"
              value={choices.maxPerCode}
              onChange={(e) =>
                setChoices('maxPerCode', Math.max(0, Math.floor(Number(e.currentTarget.value) || 0)))
              }
            />
          </label>
          <label class="checkbox-line">
            <input
              type="checkbox"
              checked={choices.memos}
              onChange={(e) => setChoices('memos', e.currentTarget.checked)}
            />{' '}
            {t('export.memos')}
          </label>
          <label class="checkbox-line">
            <input
              type="checkbox"
              checked={choices.pseudonymise}
              disabled={!isLead()}
              aria-describedby="pseudonymise-hint"
              onChange={(e) => setChoices('pseudonymise', e.currentTarget.checked)}
            />{' '}
            {t('export.pseudonymise')}
          </label>
          <p id="pseudonymise-hint" class="hint">
            {isLead() ? '' : t('export.pseudonymiseLeadOnly')}
          </p>
          <Show when={!choices.pseudonymise}>
            <p class="alert" role="alert">
              {t('export.realNamesWarning')}
            </p>
          </Show>
          <label class="field">
            <span>{t('export.delimiter')}</span>
            <select
              value={choices.delimiter}
              onChange={(e) => setChoices('delimiter', e.currentTarget.value as ExportChoices['delimiter'])}
            >
              <option value="semicolon">{t('export.delimiter.semicolon')}</option>
              <option value="comma">{t('export.delimiter.comma')}</option>
            </select>
          </label>
        </section>
        <div class="stack">
          <section class="card stack" aria-labelledby="check-title">
            <h2 id="check-title">{t('check.title')}</h2>
            <Show when={choices.pseudonymise} fallback={<p class="muted">{t('check.pseudonymiseOff')}</p>}>
              <PublicationCheck projectId={params.projectId} query={query()} version={version()} />
            </Show>
          </section>
          <section class="card stack" aria-labelledby="export-preview-title">
            <h2 id="export-preview-title">{t('export.preview')}</h2>
            <ErrorAlert error={preview.error} />
            <p role="status" data-testid="export-preview">
              <Show when={preview()} fallback={t('export.previewLoading')}>
                {(p) => (
                  <span>
                    {t('export.previewCounts', {
                      themes: formatNumber(p().themes),
                      quotes: formatNumber(p().quotes),
                      passages: formatNumber(p().passages),
                      participants: formatNumber(p().participants),
                    })}
                  </span>
                )}
              </Show>
            </p>
            <h3>{t('export.download')}</h3>
            <div class="button-row">
              <button
                type="button"
                class="primary"
                disabled={!!progress()}
                onClick={() => void download('report.docx')}
              >
                {t('export.downloadDocx')}
              </button>
              <button type="button" disabled={!!progress()} onClick={() => void download('codings.csv')}>
                {t('export.downloadCsv')}
              </button>
              <button type="button" disabled={!!progress()} onClick={() => void download('codings.xlsx')}>
                {t('export.downloadXlsx')}
              </button>
            </div>
            <Show when={progress()}>
              {(p) => (
                <div class="stack">
                  <label for="export-progress">{t('export.downloading', { file: p().file })}</label>
                  <Show
                    when={p().at.total}
                    fallback={
                      <progress id="export-progress" aria-valuetext={`${formatNumber(p().at.received)} o`} />
                    }
                  >
                    {(total) => <progress id="export-progress" max={total()} value={p().at.received} />}
                  </Show>
                </div>
              )}
            </Show>
            <p class="small" role="status">
              {done()}
            </p>
            <ErrorAlert error={error()} onDismiss={() => setError(undefined)} />
          </section>
          <section class="card" aria-labelledby="replacements-title">
            <h2 id="replacements-title">{t('replacements.title')}</h2>
            <ReplacementEditor
              projectId={params.projectId}
              canEdit={isLead()}
              onSaved={() => setVersion((v) => v + 1)}
            />
          </section>
        </div>
      </div>
    </div>
  );
}
