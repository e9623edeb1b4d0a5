import { For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { ExportChoices } from './export-query.ts';
import type { ExportState } from './export-state.ts';
import { ThemeChecklist } from './ThemeChecklist.tsx';

/** The export's options: themes, coder, participants' attributes, order, memos, pseudonyms, CSV delimiter. */
export function ExportOptions(props: { state: ExportState }) {
  return (
    <section class="card stack" aria-labelledby="export-options-title">
      <h2 id="export-options-title">{t('export.title')}</h2>
      <Show when={props.state.codes()} fallback={<p class="muted">{t('app.loading')}</p>}>
        {(list) => (
          <ThemeChecklist
            codes={list()}
            checked={props.state.choices.codeIds}
            onChange={(ids) => props.state.setChoices('codeIds', ids)}
          />
        )}
      </Show>
      <label class="field">
        <span>{t('export.coder')}</span>
        <select
          value={props.state.choices.coderId}
          onChange={(e) => props.state.setChoices('coderId', e.currentTarget.value)}
        >
          <option value="">{t('export.allCoders')}</option>
          <For each={props.state.members() ?? []}>
            {(m) => <option value={m.userId}>{m.displayName || m.username}</option>}
          </For>
        </select>
      </label>
      <Show when={props.state.attributes().length > 0}>
        <AttributeOptions state={props.state} />
      </Show>
      <OutputOptions state={props.state} />
    </section>
  );
}

/** Filters on the participants' attributes, the breakdown, and the attributes cited with each quote. */
function AttributeOptions(props: { state: ExportState }) {
  const state = () => props.state;
  return (
    <>
      <fieldset class="stack">
        <legend>{t('export.filters')}</legend>
        <For each={state().attributes()}>
          {(a) => (
            <label class="field">
              <span>{a.name}</span>
              <select
                value={state().choices.attributeFilters[a.name] ?? ''}
                onChange={(e) => state().setChoices('attributeFilters', a.name, e.currentTarget.value)}
              >
                <option value="">{t('export.anyValue')}</option>
                <For each={state().valuesOf(a.name)}>{(v) => <option value={v}>{v}</option>}</For>
              </select>
            </label>
          )}
        </For>
      </fieldset>
      <label class="field">
        <span>{t('export.breakdown')}</span>
        <select
          value={state().choices.breakdown}
          onChange={(e) => state().setChoices('breakdown', e.currentTarget.value)}
        >
          <option value="">{t('export.noBreakdown')}</option>
          <For each={state().attributes()}>{(a) => <option value={a.name}>{a.name}</option>}</For>
        </select>
      </label>
      <CiteList state={props.state} />
    </>
  );
}

/** The attributes cited with each quote; in a pseudonymised export, only those that may be published. */
function CiteList(props: { state: ExportState }) {
  const state = () => props.state;
  return (
    <fieldset class="cite-list" aria-describedby="cite-hint">
      <legend>{t('export.cite')}</legend>
      <p id="cite-hint" class="hint">
        {t('export.citeHint')}
      </p>
      <For each={state().attributes()}>
        {(a) => (
          <label class="checkbox-line">
            <input
              type="checkbox"
              disabled={!state().citable(a.name)}
              checked={state().choices.cite.includes(a.name)}
              onChange={(e) =>
                state().setChoices(
                  'cite',
                  e.currentTarget.checked
                    ? state()
                        .attributes()
                        .map((d) => d.name)
                        .filter((n) => n === a.name || state().choices.cite.includes(n))
                    : state().choices.cite.filter((n) => n !== a.name),
                )
              }
            />{' '}
            {a.name}{' '}
            <Show when={state().publication().get(a.name)}>
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
  );
}

/** How the quotes are ordered and cut, whether memos and real names go in, the CSV delimiter. */
function OutputOptions(props: { state: ExportState }) {
  const state = () => props.state;
  return (
    <>
      <label class="field">
        <span>{t('export.sort')}</span>
        <select
          value={state().choices.sort}
          onChange={(e) => state().setChoices('sort', e.currentTarget.value as ExportChoices['sort'])}
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
          value={state().choices.maxPerCode}
          onChange={(e) =>
            state().setChoices('maxPerCode', Math.max(0, Math.floor(Number(e.currentTarget.value) || 0)))
          }
        />
      </label>
      <label class="checkbox-line">
        <input
          type="checkbox"
          checked={state().choices.memos}
          onChange={(e) => state().setChoices('memos', e.currentTarget.checked)}
        />{' '}
        {t('export.memos')}
      </label>
      <label class="checkbox-line">
        <input
          type="checkbox"
          checked={state().choices.pseudonymise}
          disabled={!state().isLead()}
          aria-describedby="pseudonymise-hint"
          onChange={(e) => state().setChoices('pseudonymise', e.currentTarget.checked)}
        />{' '}
        {t('export.pseudonymise')}
      </label>
      <p id="pseudonymise-hint" class="hint">
        {state().isLead() ? '' : t('export.pseudonymiseLeadOnly')}
      </p>
      <Show when={!state().choices.pseudonymise}>
        <p class="alert" role="alert">
          {t('export.realNamesWarning')}
        </p>
      </Show>
      <label class="field">
        <span>{t('export.delimiter')}</span>
        <select
          value={state().choices.delimiter}
          onChange={(e) =>
            state().setChoices('delimiter', e.currentTarget.value as ExportChoices['delimiter'])
          }
        >
          <option value="semicolon">{t('export.delimiter.semicolon')}</option>
          <option value="comma">{t('export.delimiter.comma')}</option>
        </select>
      </label>
    </>
  );
}
