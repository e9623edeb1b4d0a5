import { useNavigate } from '@solidjs/router';
import { createSignal } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { prepareSearch } from './search-api.ts';
import { EMPTY_REQUEST, writeSearchRequest } from './search-request.ts';
import './search.css';

/** A search box on the project page, leading to the search page with the words typed. */
export function ProjectSearchBox(props: { projectId: string }) {
  const navigate = useNavigate();
  const [q, setQ] = createSignal('');
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const words = q().trim();
    navigate(
      words === ''
        ? `/projects/${props.projectId}/search`
        : `/projects/${props.projectId}/search?${writeSearchRequest({ ...EMPTY_REQUEST, q: words }).toString()}`,
    );
  };
  return (
    <form class="project-search" role="search" aria-label={t('search.quickLabel')} onSubmit={submit}>
      <input
        type="search"
        name="q"
        aria-label={t('search.quickLabel')}
        placeholder={t('search.link')}
        value={q()}
        onFocus={() => prepareSearch(props.projectId)}
        onInput={(e) => setQ(e.currentTarget.value)}
      />
      <button type="submit">{t('search.submit')}</button>
    </form>
  );
}
