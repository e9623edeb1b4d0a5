/**
 * Writing an entry of the project's journal, or changing one: its day (today unless said
 * otherwise), a title and the text. Used for a new entry and, in place, for an entry being edited.
 */
import { createSignal, Show } from 'solid-js';
import { createSubmit } from '../../app/submit.ts';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { t } from '../../i18n/index.ts';
import { today, type JournalDraft } from './journal-api.ts';

export function JournalForm(props: {
  /** The entry being edited; a new one when absent. */
  initial?: JournalDraft;
  save: (draft: JournalDraft) => Promise<unknown>;
  onDone?: () => void;
  onCancel?: () => void;
}) {
  // The form starts from the entry as it was opened.
  const start = props.initial ?? { date: today(), title: '', text: '' };
  const [date, setDate] = createSignal(start.date);
  const [title, setTitle] = createSignal(start.title);
  const [text, setText] = createSignal(start.text);
  const { busy, error, submitForm } = createSubmit();
  const save = async () => {
    await props.save({ date: date(), title: title().trim(), text: text() });
    if (!props.initial) {
      setTitle('');
      setText('');
      setDate(today());
    }
    props.onDone?.();
  };
  return (
    <form class="journal-form" onSubmit={(e) => void submitForm(e, save)}>
      <div class="journal-form-head">
        <label class="field">
          <span>{t('journal.date')}</span>
          <input type="date" required value={date()} onInput={(e) => setDate(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{t('journal.entryTitle')}</span>
          <input
            type="text"
            required
            maxLength={200}
            value={title()}
            onInput={(e) => setTitle(e.currentTarget.value)}
          />
        </label>
      </div>
      <label class="field">
        <span>{t('journal.text')}</span>
        <textarea
          rows={props.initial ? 6 : 4}
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      <ErrorAlert error={error()} />
      <div class="button-row">
        <button type="submit" disabled={busy() || title().trim() === ''}>
          {props.initial ? t('journal.save') : t('journal.add')}
        </button>
        <Show when={props.onCancel}>
          {(cancel) => (
            <button type="button" class="secondary" onClick={() => cancel()()}>
              {t('journal.cancel')}
            </button>
          )}
        </Show>
      </div>
    </form>
  );
}
