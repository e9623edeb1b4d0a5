import { ownValue } from '../../../shared/attributes.ts';
import { createEffect, For, on, Show, untrack } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { formatNumber, locale, t } from '../../i18n/index.ts';
import { attributeValues, indentedCodes, speakerNames } from './filter-options.ts';
import type { AttributeDefinition, SearchContext } from './search-api.ts';
import { activeFilterCount, type CodingScope, type SearchRequest } from './search-request.ts';

/** The form's editable copy of a search. */
interface Draft {
  q: string;
  fuzzy: boolean;
  prefix: boolean;
  speaker: string;
  coding: CodingScope;
  documentIds: string[];
  attributes: Record<string, string>;
  offset: number;
}

function toDraft(request: SearchRequest): Draft {
  return { ...request, documentIds: [...request.documentIds], attributes: { ...request.attributes } };
}

/** How a value of an attribute reads: numbers and dates in the user's language. */
function displayValue(attribute: AttributeDefinition, value: string): string {
  if (attribute.type === 'number' && value !== '' && Number.isFinite(Number(value)))
    return formatNumber(Number(value));
  if (attribute.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value))
    return new Intl.DateTimeFormat(locale() === 'fr' ? 'fr-FR' : 'en-GB', {
      dateStyle: 'medium',
      timeZone: 'UTC',
    }).format(new Date(`${value}T00:00:00Z`));
  return value;
}

/** The value of the « passages » select for a coding scope. */
function codingValue(request: Draft): string {
  return request.coding.kind === 'code' ? request.coding.codeId : request.coding.kind;
}

/**
 * The query and its filters. Submitting hands the whole search to `onSearch`, which puts it in the
 * page's address; changing an option or a filter once there is a query runs the search again at
 * once, so the results (and what auto-coding acts on) are always those the filters describe.
 */
export function SearchForm(props: {
  request: SearchRequest;
  context: SearchContext | undefined;
  onSearch: (request: SearchRequest) => void;
}) {
  const [draft, setDraft] = createStore<Draft>(untrack(() => toDraft(props.request)));
  createEffect(
    on(
      () => props.request,
      (request) => setDraft(reconcile(toDraft(request))),
      { defer: true },
    ),
  );
  const codes = () => indentedCodes(props.context?.codes ?? []);
  const speakers = () => speakerNames(props.context?.documents ?? []);
  const pseudonyms = () =>
    new Map((props.context?.participants ?? []).map((p) => [p.id as string, p.pseudonym]));
  const run = () => props.onSearch({ ...toDraft(draft), q: draft.q.trim(), offset: 0 });
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    run();
  };
  /** Apply a change of option or filter: the search runs again if there is something to search. */
  const refine = (change: () => void) => {
    change();
    if (draft.q.trim() !== '') run();
  };
  const toggleDocument = (id: string, on: boolean) =>
    refine(() =>
      setDraft('documentIds', (ids) =>
        on ? [...ids.filter((x) => x !== id), id] : ids.filter((x) => x !== id),
      ),
    );
  const clearFilters = () =>
    refine(() => {
      setDraft('speaker', '');
      setDraft('coding', { kind: 'any' });
      setDraft('documentIds', []);
      setDraft('attributes', reconcile({}));
    });
  const setCoding = (value: string) =>
    refine(() =>
      setDraft(
        'coding',
        value === 'any' || value === 'uncoded' ? { kind: value } : { kind: 'code', codeId: value },
      ),
    );

  return (
    <form class="card search-form" role="search" aria-label={t('search.formLabel')} onSubmit={submit}>
      <div class="search-query-row">
        <label class="field grow">
          <span>{t('search.query')}</span>
          <input
            type="search"
            name="q"
            required
            autocomplete="off"
            spellcheck={false}
            aria-describedby="search-syntax"
            placeholder={t('search.placeholder')}
            value={draft.q}
            onInput={(e) => setDraft('q', e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary">
          {t('search.submit')}
        </button>
      </div>
      <ul id="search-syntax" class="search-syntax" aria-label={t('search.syntax.title')}>
        <li>
          <code>{t('search.syntax.wordsExample')}</code> {t('search.syntax.words')}
        </li>
        <li>
          <code>{t('search.syntax.phraseExample')}</code> {t('search.syntax.phrase')}
        </li>
        <li>
          <code>{t('search.syntax.orExample')}</code> {t('search.syntax.or')}
        </li>
        <li>
          <code>{t('search.syntax.excludeExample')}</code> {t('search.syntax.exclude')}
        </li>
        <li>{t('search.syntax.folding')}</li>
      </ul>
      <div class="search-options">
        <label class="checkbox">
          <input
            type="checkbox"
            checked={draft.prefix}
            onChange={(e) => refine(() => setDraft('prefix', e.currentTarget.checked))}
          />
          <span>
            {t('search.prefix')} <span class="hint">{t('search.prefixHint')}</span>
          </span>
        </label>
        <label class="checkbox">
          <input
            type="checkbox"
            checked={draft.fuzzy}
            onChange={(e) => refine(() => setDraft('fuzzy', e.currentTarget.checked))}
          />
          <span>
            {t('search.fuzzy')} <span class="hint">{t('search.fuzzyHint')}</span>
          </span>
        </label>
      </div>
      <details class="search-filters" open={activeFilterCount(props.request) > 0}>
        <summary>
          {activeFilterCount(draft) > 0
            ? t('search.filtersActive', { count: activeFilterCount(draft) })
            : t('search.filters')}
        </summary>
        <div class="search-filter-grid">
          <label class="field">
            <span>{t('search.speaker')}</span>
            <select
              value={draft.speaker}
              onChange={(e) => refine(() => setDraft('speaker', e.currentTarget.value))}
            >
              <option value="">{t('search.speakerAll')}</option>
              <option value="interviewees">{t('search.speakerInterviewees')}</option>
              <Show when={speakers().length > 0}>
                <optgroup label={t('search.speakerNamed')}>
                  <For each={speakers()}>{(name) => <option value={name}>{name}</option>}</For>
                </optgroup>
              </Show>
            </select>
          </label>
          <label class="field">
            <span>{t('search.coding')}</span>
            <select value={codingValue(draft)} onChange={(e) => setCoding(e.currentTarget.value)}>
              <option value="any">{t('search.codingAny')}</option>
              <option value="uncoded">{t('search.codingNone')}</option>
              <Show when={codes().length > 0}>
                <optgroup label={t('search.codingWithin')}>
                  <For each={codes()}>
                    {(code) => (
                      <option value={code.id}>
                        {'\u00a0\u00a0'.repeat(code.depth)}
                        {code.name}
                      </option>
                    )}
                  </For>
                </optgroup>
              </Show>
            </select>
          </label>
          <For each={props.context?.attributes ?? []}>
            {(attribute) => (
              <label class="field">
                <span>{attribute.name}</span>
                <select
                  value={ownValue(draft.attributes, attribute.name) ?? ''}
                  onChange={(e) =>
                    refine(() => setDraft('attributes', attribute.name, e.currentTarget.value))
                  }
                >
                  <option value="">{t('search.attributeAny')}</option>
                  <For each={attributeValues(attribute, props.context?.participants ?? [])}>
                    {(value) => <option value={value}>{displayValue(attribute, value)}</option>}
                  </For>
                </select>
              </label>
            )}
          </For>
        </div>
        <Show when={(props.context?.documents.length ?? 0) > 0}>
          <fieldset class="search-documents">
            <legend>
              {t('search.documents')}{' '}
              <span class="hint">
                {draft.documentIds.length === 0
                  ? t('search.documentsAll')
                  : t('search.documentsChosen', { count: formatNumber(draft.documentIds.length) })}
              </span>
            </legend>
            <ul class="plain-list">
              <For each={props.context?.documents ?? []}>
                {(document) => (
                  <li>
                    <label class="checkbox">
                      <input
                        type="checkbox"
                        checked={draft.documentIds.includes(document.id)}
                        onChange={(e) => toggleDocument(document.id, e.currentTarget.checked)}
                      />
                      <span>
                        {document.name}
                        <Show when={document.participantId && pseudonyms().get(document.participantId)}>
                          {(pseudonym) => <span class="badge pseudonym">{pseudonym()}</span>}
                        </Show>
                      </span>
                    </label>
                  </li>
                )}
              </For>
            </ul>
          </fieldset>
        </Show>
        <Show when={activeFilterCount(draft) > 0}>
          <button type="button" class="link-button search-filters-reset" onClick={clearFilters}>
            {t('search.filtersReset')}
          </button>
        </Show>
      </details>
    </form>
  );
}
