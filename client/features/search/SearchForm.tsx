import { t } from '../../i18n/index.ts';
import type { SearchContext } from './search-api.ts';
import { createSearchDraft } from './search-draft.ts';
import { SearchFilters } from './SearchFilters.tsx';
import type { SearchRequest } from './search-request.ts';

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
  const form = createSearchDraft(props);
  const draft = form.draft;
  const setDraft = form.setDraft;
  const refine = form.refine;
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    form.run();
  };

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
      <SearchFilters form={form} request={props.request} context={props.context} />
    </form>
  );
}
