import { ownValue } from '../../../shared/attributes.ts';
import { For, Show } from 'solid-js';
import { formatNumber, locale, t } from '../../i18n/index.ts';
import { attributeValues, indentedCodes, speakerNames } from './filter-options.ts';
import type { AttributeDefinition, SearchContext } from './search-api.ts';
import type { Draft, SearchDraft } from './search-draft.ts';
import { IndentedCodeOptions } from '../../app/IndentedCodeOptions.tsx';
import { activeFilterCount, type SearchRequest } from './search-request.ts';

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

interface FiltersProps {
  form: SearchDraft;
  request: SearchRequest;
  context: SearchContext | undefined;
}

/** The search's filters, folded unless some are set: speaker, coding, attributes, documents. */
export function SearchFilters(props: FiltersProps) {
  const draft = () => props.form.draft;
  return (
    <details class="search-filters" open={activeFilterCount(props.request) > 0}>
      <summary>
        {activeFilterCount(draft()) > 0
          ? t('search.filtersActive', { count: activeFilterCount(draft()) })
          : t('search.filters')}
      </summary>
      <FilterFields {...props} />
      <Show when={(props.context?.documents.length ?? 0) > 0}>
        <DocumentFilter {...props} />
      </Show>
      <Show when={activeFilterCount(draft()) > 0}>
        <button
          type="button"
          class="link-button search-filters-reset"
          onClick={() => props.form.clearFilters()}
        >
          {t('search.filtersReset')}
        </button>
      </Show>
    </details>
  );
}

/** Who speaks, what is coded, and the participants' attributes. */
function FilterFields(props: FiltersProps) {
  const form = () => props.form;
  const codes = () => indentedCodes(props.context?.codes ?? []);
  const speakers = () => speakerNames(props.context?.documents ?? []);
  return (
    <div class="search-filter-grid">
      <label class="field">
        <span>{t('search.speaker')}</span>
        <select value={form().draft.speaker} onChange={(e) => form().setSpeaker(e.currentTarget.value)}>
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
        <select value={codingValue(form().draft)} onChange={(e) => form().setCoding(e.currentTarget.value)}>
          <option value="any">{t('search.codingAny')}</option>
          <option value="uncoded">{t('search.codingNone')}</option>
          <Show when={codes().length > 0}>
            <optgroup label={t('search.codingWithin')}>
              <IndentedCodeOptions codes={codes()} />
            </optgroup>
          </Show>
        </select>
      </label>
      <For each={props.context?.attributes ?? []}>
        {(attribute) => (
          <label class="field">
            <span>{attribute.name}</span>
            <select
              value={ownValue(form().draft.attributes, attribute.name) ?? ''}
              onChange={(e) => form().setAttribute(attribute.name, e.currentTarget.value)}
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
  );
}

/** The documents searched: all, or those ticked. */
function DocumentFilter(props: FiltersProps) {
  const draft = () => props.form.draft;
  const pseudonyms = () =>
    new Map((props.context?.participants ?? []).map((p) => [p.id as string, p.pseudonym]));
  return (
    <fieldset class="search-documents">
      <legend>
        {t('search.documents')}{' '}
        <span class="hint">
          {draft().documentIds.length === 0
            ? t('search.documentsAll')
            : t('search.documentsChosen', { count: formatNumber(draft().documentIds.length) })}
        </span>
      </legend>
      <ul class="plain-list">
        <For each={props.context?.documents ?? []}>
          {(document) => (
            <li>
              <label class="checkbox">
                <input
                  type="checkbox"
                  checked={draft().documentIds.includes(document.id)}
                  onChange={(e) => props.form.toggleDocument(document.id, e.currentTarget.checked)}
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
  );
}
