/** The memos' search and kind filter, and the downloads of what they select (CSV, DOCX). */
import { For } from 'solid-js';
import { MEMO_KINDS, type MemoKind } from '../../../shared/memos.ts';
import { api } from '../../api/client.ts';
import { t } from '../../i18n/index.ts';

export function MemoFilters(props: {
  projectId: string;
  query: string;
  setQuery: (query: string) => void;
  kind: '' | MemoKind;
  setKind: (kind: '' | MemoKind) => void;
  filter: { q?: string; kind?: MemoKind };
}) {
  const memos = () => api.projects[':projectId'].memos;
  const param = () => ({ projectId: props.projectId });
  const csvHref = () => memos()['export.csv'].$url({ param: param(), query: props.filter }).href;
  const docxHref = () => memos()['export.docx'].$url({ param: param(), query: props.filter }).href;
  return (
    <section class="card" aria-labelledby="memos-filters">
      <h2 id="memos-filters">{t('history.filters')}</h2>
      <div class="memos-filters">
        <label class="field">
          <span>{t('memos.search')}</span>
          <input type="search" value={props.query} onInput={(e) => props.setQuery(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t('memos.kind')}</span>
          <select value={props.kind} onChange={(e) => props.setKind(e.currentTarget.value as '' | MemoKind)}>
            <option value="">{t('history.allKinds')}</option>
            <For each={MEMO_KINDS}>{(k) => <option value={k}>{t(`memos.kind.${k}`)}</option>}</For>
          </select>
        </label>
      </div>
      <p class="button-row">
        <a class="button-link" href={csvHref()} download="memos.csv">
          {t('memos.csv')}
        </a>
        <a class="button-link" href={docxHref()} download="memos.docx">
          {t('memos.docx')}
        </a>
      </p>
      <p class="muted">{t('memos.docxNote')}</p>
    </section>
  );
}
