import { createResource, For, Show } from 'solid-js';
import { ApiError, isErrorBody } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t } from '../../i18n/index.ts';
import type { PublicationRisk } from '../../../shared/publication-check.ts';

interface CheckResult {
  cited: string[];
  risks: PublicationRisk[];
}

/**
 * The check before publishing: what in the chosen export could still identify someone (names left,
 * dates, e-mails, phone numbers), each with its context. `url` is the check route with the export's
 * query; `version` changes when the replacement list is saved.
 */
export function PublicationCheck(props: { url: string | undefined; version: number }) {
  const [result] = createResource(
    () => (props.url === undefined ? undefined : { url: props.url, v: props.version }),
    async ({ url }): Promise<CheckResult> => {
      const res = await fetch(url, { credentials: 'same-origin' });
      const body: unknown = await res.json();
      if (!res.ok) {
        if (isErrorBody(body)) throw new ApiError(res.status, body.error.code, body.error.message, body);
        throw new ApiError(res.status, 'http_error', res.statusText);
      }
      return body as CheckResult;
    },
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
