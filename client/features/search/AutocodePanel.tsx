import { For, Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { formatNumber, t, type MessageKey } from '../../i18n/index.ts';
import { createAutocode, type Autocode } from './autocode-state.ts';
import type { AutocodeUnit, CodeSummary } from './search-api.ts';
import { IndentedCodeOptions } from '../../app/IndentedCodeOptions.tsx';
import type { SearchRequest } from './search-request.ts';

const UNITS: readonly { unit: AutocodeUnit; label: MessageKey; hint: MessageKey }[] = [
  { unit: 'match', label: 'search.autocode.unitMatch', hint: 'search.autocode.unitMatchHint' },
  { unit: 'sentence', label: 'search.autocode.unitSentence', hint: 'search.autocode.unitSentenceHint' },
  { unit: 'turn', label: 'search.autocode.unitTurn', hint: 'search.autocode.unitTurnHint' },
];

/**
 * Auto-coding of a search's hits: choose a code and a unit, preview how many codings would be
 * created and how many passages already carry the code, then code, with one step back.
 */
export function AutocodePanel(props: {
  projectId: string;
  /** The search whose results are shown (not the form's unsent edits). */
  request: SearchRequest;
  codes: readonly CodeSummary[];
  total: number;
  selectedIds: readonly string[];
  /** After coding or undoing: the results may have changed (an « uncoded » filter, say). */
  onChanged: () => void;
}) {
  const autocode = createAutocode(props);
  return (
    <Show when={props.total > 0 || autocode.applied()}>
      <section class="card autocode-panel" aria-labelledby="autocode-title">
        <h2 id="autocode-title">{t('search.autocode.title')}</h2>
        <p class="hint">{t('search.autocode.intro')}</p>
        <div class="stack">
          <label class="field">
            <span>{t('search.autocode.code')}</span>
            <select
              value={autocode.form.codeId}
              onChange={(e) => autocode.setForm('codeId', e.currentTarget.value)}
            >
              <option value="">{t('search.autocode.chooseCode')}</option>
              <IndentedCodeOptions codes={autocode.codes()} />
            </select>
          </label>
          <AutocodeChoices autocode={autocode} total={props.total} selected={props.selectedIds.length} />
          <div class="button-row">
            <button
              type="button"
              class="secondary"
              disabled={!autocode.ready() || autocode.busy()}
              onClick={() => void autocode.run(autocode.showPreview)}
            >
              {t('search.autocode.preview')}
            </button>
          </div>
          <AutocodeOutcome autocode={autocode} />
        </div>
      </section>
    </Show>
  );
}

/** The unit coded (the match, its sentence, its turn) and which hits: those ticked, or all. */
function AutocodeChoices(props: { autocode: Autocode; total: number; selected: number }) {
  const form = () => props.autocode.form;
  return (
    <>
      <fieldset class="autocode-choices">
        <legend>{t('search.autocode.unit')}</legend>
        <For each={UNITS}>
          {(choice) => (
            <label class="checkbox">
              <input
                type="radio"
                name="autocode-unit"
                value={choice.unit}
                checked={form().unit === choice.unit}
                onChange={() => props.autocode.setForm('unit', choice.unit)}
              />
              <span>
                {t(choice.label)} <span class="hint">{t(choice.hint)}</span>
              </span>
            </label>
          )}
        </For>
      </fieldset>
      <fieldset class="autocode-choices">
        <legend>{t('search.autocode.scope')}</legend>
        <label class="checkbox">
          <input
            type="radio"
            name="autocode-scope"
            value="checked"
            checked={form().scope === 'checked'}
            onChange={() => props.autocode.setForm('scope', 'checked')}
          />
          <span>{t('search.autocode.scopeChecked', { count: formatNumber(props.selected) })}</span>
        </label>
        <label class="checkbox">
          <input
            type="radio"
            name="autocode-scope"
            value="all"
            checked={form().scope === 'all'}
            onChange={() => props.autocode.setForm('scope', 'all')}
          />
          <span>{t('search.autocode.scopeAll', { count: formatNumber(props.total) })}</span>
        </label>
      </fieldset>
    </>
  );
}

/** The preview's counts with the button that codes, then what was done with the one to undo it. */
function AutocodeOutcome(props: { autocode: Autocode }) {
  const autocode = () => props.autocode;
  return (
    <div class="autocode-outcome" aria-live="polite">
      <ErrorAlert error={autocode().error()} onDismiss={() => autocode().setError(undefined)} />
      <Show when={autocode().preview()}>
        {(counts) => (
          <div class="autocode-preview">
            <p>
              {t('search.autocode.willCreate', {
                count: formatNumber(counts().created),
                code: autocode().codeName(),
              })}
              <Show when={counts().skipped > 0}>
                {' '}
                {t('search.autocode.willSkip', {
                  count: formatNumber(counts().skipped),
                })}
              </Show>
            </p>
            <button
              type="button"
              class="primary"
              disabled={autocode().busy() || counts().created === 0}
              onClick={() => void autocode().run(autocode().apply)}
            >
              {t('search.autocode.apply')}
            </button>
          </div>
        )}
      </Show>
      <Show when={autocode().applied()}>
        {(done) => (
          <div class="notice autocode-done">
            <p>
              {done().undone
                ? t('search.autocode.undone', { code: done().codeName })
                : t('search.autocode.created', {
                    count: formatNumber(done().result.created),
                    code: done().codeName,
                  })}
              <Show when={!done().undone && done().result.skipped > 0}>
                {' '}
                {t('search.autocode.skipped', {
                  count: formatNumber(done().result.skipped),
                })}
              </Show>
            </p>
            <Show when={!done().undone && done().txn !== null}>
              <button
                type="button"
                disabled={autocode().busy()}
                onClick={() => void autocode().run(autocode().undo)}
              >
                {t('search.autocode.undo')}
              </button>
            </Show>
          </div>
        )}
      </Show>
    </div>
  );
}
