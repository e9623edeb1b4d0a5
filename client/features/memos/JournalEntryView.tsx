/**
 * One entry of the journal in the list of memos: its day, title, author and text, and — for its
 * author and the leads — editing in place and removal (undoable from the notice the page shows).
 */
import { createSignal, Show } from 'solid-js';
import type { MemoEntry } from '../../../shared/memos.ts';
import { formatDate, t } from '../../i18n/index.ts';
import { JournalForm } from './JournalForm.tsx';
import type { JournalDraft } from './journal-api.ts';

export function JournalEntryView(props: {
  memo: MemoEntry;
  author: string | undefined;
  mayChange: boolean;
  onSave: (draft: JournalDraft & { textBefore: string }) => Promise<unknown>;
  onRemove: () => void;
}) {
  const [editing, setEditing] = createSignal(false);
  return (
    <Show
      when={!editing()}
      fallback={
        <JournalForm
          initial={{ date: props.memo.date ?? '', title: props.memo.title ?? '', text: props.memo.text }}
          save={(draft) => props.onSave({ ...draft, textBefore: props.memo.text })}
          onDone={() => setEditing(false)}
          onCancel={() => setEditing(false)}
        />
      }
    >
      <p class="memo-where">
        <strong>
          <time datetime={props.memo.date}>{formatDate(props.memo.date ?? '')}</time> — {props.memo.title}
        </strong>
        <Show when={props.author}>{(author) => <span class="muted">{author()}</span>}</Show>
      </p>
      <p class="memo-text">{props.memo.text}</p>
      <Show when={props.mayChange}>
        <div class="button-row memo-actions">
          <button type="button" class="small-button" onClick={() => setEditing(true)}>
            {t('journal.edit')}
          </button>
          <button type="button" class="small-button" onClick={() => props.onRemove()}>
            {t('journal.delete')}
          </button>
        </div>
      </Show>
    </Show>
  );
}
