/**
 * All the project's memos in one list: the journal's dated entries, each document's memo, each
 * code's definition, each coding's memo with the passage it is about — searchable (accents and
 * case ignored), filtered by kind, each leading to where it is written, downloadable as CSV and
 * DOCX. Coders and leads write in the journal from here.
 */
import { A, useParams } from '@solidjs/router';
import { createResource, createSignal, Show } from 'solid-js';
import { roleAtLeast } from '../../../shared/access.ts';
import type { MemoKind } from '../../../shared/memos.ts';
import { api, unwrap } from '../../api/client.ts';
import { t } from '../../i18n/index.ts';
import { fetchMembers, fetchProject } from '../review/review-api.ts';
import { JournalSection } from './JournalSection.tsx';
import { MemoFilters } from './MemoFilters.tsx';
import { MemoList } from './MemoList.tsx';
import './memos.css';

export default function MemosPage() {
  const params = useParams<{ projectId: string }>();
  const [project] = createResource(() => params.projectId, fetchProject);
  const [members] = createResource(() => params.projectId, fetchMembers);
  const [query, setQuery] = createSignal('');
  const [kind, setKind] = createSignal<'' | MemoKind>('');
  const filter = (): { q?: string; kind?: MemoKind } => {
    const k = kind();
    return { ...(query().trim() ? { q: query().trim() } : {}), ...(k ? { kind: k } : {}) };
  };
  const [memos, { refetch }] = createResource(
    () => ({ projectId: params.projectId, ...filter() }),
    async ({ projectId, ...q }) =>
      (await unwrap(api.projects[':projectId'].memos.$get({ param: { projectId }, query: q }))).memos,
  );
  const writer = () => {
    const role = project()?.role;
    return role !== undefined && roleAtLeast(role, 'coder');
  };

  return (
    <div class="page wide">
      <header class="page-header">
        <A class="back-link" href={`/projects/${params.projectId}`}>
          ← {project()?.name ?? t('history.back')}
        </A>
        <h1>{t('memos.title')}</h1>
        <p class="lead-text">{t('memos.intro')}</p>
      </header>
      <Show when={writer()}>
        <JournalSection projectId={params.projectId} onChange={() => void refetch()} />
      </Show>
      <MemoFilters
        projectId={params.projectId}
        query={query()}
        setQuery={setQuery}
        kind={kind()}
        setKind={setKind}
        filter={filter()}
      />
      <MemoList
        projectId={params.projectId}
        memos={memos()}
        loading={memos.loading}
        error={memos.error}
        role={project()?.role}
        members={members()}
        onChange={() => void refetch()}
      />
    </div>
  );
}
