/**
 * The list of memos: where each is written (a link to its document), when, the passage a coding's
 * memo is about, and its text. Journal entries can be edited or removed in place by their author
 * and the leads; a removal is undone from the notice that follows it.
 */
import { A } from '@solidjs/router';
import { createSignal, For, Show } from 'solid-js';
import { roleAtLeast } from '../../../shared/access.ts';
import type { MemoEntry } from '../../../shared/memos.ts';
import type { Role } from '../../../shared/model.ts';
import { api, unwrap } from '../../api/client.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { createSubmit } from '../../app/submit.ts';
import { useSession } from '../../app/session.tsx';
import { formatDateTime, t } from '../../i18n/index.ts';
import type { Member } from '../review/review-api.ts';
import { JournalEntryView } from './JournalEntryView.tsx';
import { deleteJournalEntry, updateJournalEntry, type JournalDraft } from './journal-api.ts';

function where(memo: MemoEntry): string {
  return memo.kind === 'code'
    ? t('memos.onCode', { code: memo.codeName ?? '' })
    : memo.kind === 'document'
      ? t('memos.onDocument', { document: memo.documentName ?? '' })
      : t('memos.onCoding', { code: memo.codeName ?? '', document: memo.documentName ?? '' });
}

function OtherMemo(props: { memo: MemoEntry; projectId: string }) {
  return (
    <>
      <p class="memo-where">
        <Show when={props.memo.documentId} fallback={<strong>{where(props.memo)}</strong>}>
          {(documentId) => (
            <A href={`/projects/${props.projectId}/documents/${documentId()}`}>{where(props.memo)}</A>
          )}
        </Show>
        <Show when={props.memo.at}>{(at) => <time datetime={at()}>{formatDateTime(at())}</time>}</Show>
      </p>
      <Show when={props.memo.quote}>{(quote) => <blockquote class="memo-quote">{quote()}</blockquote>}</Show>
      <p class="memo-text">{props.memo.text}</p>
    </>
  );
}

export function MemoList(props: {
  projectId: string;
  memos: readonly MemoEntry[] | undefined;
  loading: boolean;
  error: unknown;
  role: Role | undefined;
  members: readonly Member[] | undefined;
  onChange: () => void;
}) {
  const session = useSession();
  const [removed, setRemoved] = createSignal<{ title: string; restored?: boolean }>();
  const { error, run } = createSubmit();
  const author = (id: string | undefined) => {
    const member = props.members?.find((m) => m.userId === id);
    return member ? member.displayName || member.username : undefined;
  };
  const mayChange = (memo: MemoEntry) =>
    memo.authorId === session.user()?.id || (props.role !== undefined && roleAtLeast(props.role, 'lead'));
  const remove = async (memo: MemoEntry) => {
    await deleteJournalEntry(props.projectId, memo.id);
    setRemoved({ title: memo.title ?? '' });
    props.onChange();
  };
  const undoRemove = async () => {
    await unwrap(api.projects[':projectId'].undo.$post({ param: { projectId: props.projectId } }));
    setRemoved((last) => last && { ...last, restored: true });
    props.onChange();
  };
  const save = async (memo: MemoEntry, draft: JournalDraft & { textBefore: string }) => {
    await updateJournalEntry(props.projectId, memo.id, draft);
    props.onChange();
  };
  return (
    <section class="card" aria-labelledby="memos-list" aria-busy={props.loading}>
      <h2 id="memos-list">{t('memos.list', { count: props.memos?.length ?? 0 })}</h2>
      <ErrorAlert error={props.error ?? error()} />
      <Show when={removed()}>
        {(last) => (
          <div class="notice" role="status">
            <Show when={!last().restored} fallback={<p>{t('journal.restored', { title: last().title })}</p>}>
              <p>{t('journal.deleted', { title: last().title })}</p>
              <button type="button" class="small-button" onClick={() => void run(undoRemove)}>
                {t('journal.undoDelete')}
              </button>
            </Show>
          </div>
        )}
      </Show>
      <Show when={(props.memos?.length ?? 0) > 0} fallback={<p class="muted">{t('memos.none')}</p>}>
        <ul class="plain-list memo-entries">
          <For each={props.memos}>
            {(memo) => (
              <li data-kind={memo.kind}>
                <Show
                  when={memo.kind === 'journal'}
                  fallback={<OtherMemo memo={memo} projectId={props.projectId} />}
                >
                  <JournalEntryView
                    memo={memo}
                    author={author(memo.authorId)}
                    mayChange={mayChange(memo)}
                    onSave={(draft) => save(memo, draft)}
                    // eslint-disable-next-line solid/reactivity -- an event handler, run on click
                    onRemove={() => void run(() => remove(memo))}
                  />
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
