import { ownValue } from '../../../shared/attributes.ts';
import { For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { DocumentSummary } from './review-api.ts';
import { isEmptyFilter, NO_FILTER, toggleValue, type ReviewFilter } from './review-filter.ts';
import type { AttributeOption, CoderOption } from './review-state.ts';
import './review.css';

/** One group of checkboxes: ticking none means « all ». */
function CheckGroup(props: {
  legend: string;
  options: readonly { value: string; label: string }[];
  selected: readonly string[];
  onChange: (values: string[]) => void;
}) {
  return (
    <fieldset class="filter-group">
      <legend>{props.legend}</legend>
      <ul class="plain-list filter-options">
        <For each={props.options}>
          {(option) => (
            <li>
              <label class="checkbox">
                <input
                  type="checkbox"
                  checked={props.selected.includes(option.value)}
                  onChange={(e) =>
                    props.onChange(toggleValue(props.selected, option.value, e.currentTarget.checked))
                  }
                />
                <span>{option.label}</span>
              </label>
            </li>
          )}
        </For>
      </ul>
    </fieldset>
  );
}

/**
 * The review filters: coders, documents and attribute values. Within a group, ticked values
 * combine with « or »; groups combine with « and »; a group with nothing ticked keeps everything.
 */
export function FilterPanel(props: {
  filter: ReviewFilter;
  onChange: (filter: ReviewFilter) => void;
  coders?: readonly CoderOption[];
  documents: readonly DocumentSummary[];
  attributes: readonly AttributeOption[];
}) {
  const activeCount = () =>
    props.filter.coderIds.length +
    props.filter.documentIds.length +
    Object.values(props.filter.attributes).reduce((n, values) => n + values.length, 0);
  return (
    <details class="card filters" open={!isEmptyFilter(props.filter)}>
      <summary>
        <h2 class="filters-title">{t('review.filters.title')}</h2>
        <span class="filters-summary">
          {isEmptyFilter(props.filter)
            ? t('review.filters.none')
            : t('review.filters.active', { count: activeCount() })}
        </span>
      </summary>
      <div class="panel-head">
        <p class="hint">{t('review.filters.hint')}</p>
        <Show when={!isEmptyFilter(props.filter)}>
          <button type="button" class="small-button" onClick={() => props.onChange(NO_FILTER)}>
            {t('review.filters.clear')}
          </button>
        </Show>
      </div>
      <div class="filter-grid">
        <Show when={props.coders}>
          {(coders) => (
            <CheckGroup
              legend={t('review.filters.coders')}
              options={coders().map((c) => ({ value: c.id, label: c.name }))}
              selected={props.filter.coderIds}
              onChange={(coderIds) => props.onChange({ ...props.filter, coderIds })}
            />
          )}
        </Show>
        <CheckGroup
          legend={t('review.filters.documents')}
          options={props.documents.map((d) => ({ value: d.id, label: d.name }))}
          selected={props.filter.documentIds}
          onChange={(documentIds) => props.onChange({ ...props.filter, documentIds })}
        />
        <For each={props.attributes}>
          {(attribute) => (
            <CheckGroup
              legend={attribute.name}
              options={attribute.values}
              selected={ownValue(props.filter.attributes, attribute.name) ?? []}
              onChange={(values) =>
                props.onChange({
                  ...props.filter,
                  attributes: { ...props.filter.attributes, [attribute.name]: values },
                })
              }
            />
          )}
        </For>
      </div>
    </details>
  );
}
