/** The journal's form: a coder or a lead writes a dated entry, which joins the list below. */
import { t } from '../../i18n/index.ts';
import { JournalForm } from './JournalForm.tsx';
import { addJournalEntry } from './journal-api.ts';

export function JournalSection(props: { projectId: string; onChange: () => void }) {
  return (
    <section class="card" aria-labelledby="journal-title">
      <h2 id="journal-title">{t('journal.title')}</h2>
      <p class="muted">{t('journal.intro')}</p>
      <JournalForm
        save={(draft) => addJournalEntry(props.projectId, draft)}
        onDone={() => props.onChange()}
      />
    </section>
  );
}
