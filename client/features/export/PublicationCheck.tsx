import { createResource, For, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import type { ExportQuery } from './export-query.ts';
import './export.css';

/**
 * The check before publishing: what in the chosen export could still identify someone (names left,
 * dates, e-mails, phone numbers), each with its context. `query` is the export's (undefined while
 * the form is not ready); `version` changes when the replacement list is saved.
 */
export function PublicationCheck(props: {
  projectId: string;
  query: ExportQuery | undefined;
  version: number;
}) {
  const [result] = createResource(
    () =>
      props.query === undefined
        ? undefined
        : { projectId: props.projectId, query: props.query, v: props.version },
    ({ projectId, query }) =>
      unwrap(api.projects[':projectId'].exports.check.$get({ param: { projectId }, query })),
  );
  return (
    <div class="stack" data-testid="publication-check">
      <p class="hint">{t('check.intro')}</p>
      <ErrorAlert error={result.error} />
      <Show when={result()} fallback={<p class="muted">{t('check.loading')}</p>}>
        {(r) => (
          <Show
            when={r().risks.length > 0}
            fallback={
              <p class="small" role="status">
                {t('check.none')}
              </p>
            }
          >
            <p role="status">{t('check.count', { count: formatNumber(r().risks.length) })}</p>
            <ul class="check-list">
              <For each={r().risks}>
                {(risk) => (
                  <li>
                    <strong>{risk.text}</strong>{' '}
                    <span class="muted small">
                      ({t(`check.kind.${risk.kind}`)},{' '}
                      {t('replacements.suggestionCount', { count: risk.count })})
                    </span>
                    <ul class="small">
                      <For each={risk.contexts}>
                        {(c) => (
                          <li>
                            <span class="muted">{t(`check.where.${c.where}`)} :</span> {c.context}
                          </li>
                        )}
                      </For>
                    </ul>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        )}
      </Show>
    </div>
  );
}
