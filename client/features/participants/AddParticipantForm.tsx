import { createSignal } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { ParticipantsState } from './participants-state.ts';

/** A lead adds a participant by name, with a pseudonym or the next one given by the server. */
export function AddParticipantForm(props: { state: ParticipantsState }) {
  const [adding, setAdding] = createSignal(false);
  const add = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    setAdding(true);
    const ok = await props.state.add({
      name: String(data.get('name') ?? ''),
      pseudonym: String(data.get('pseudonym') ?? ''),
    });
    setAdding(false);
    if (ok) form.reset();
  };
  return (
    <form class="inline-form" onSubmit={(e) => void add(e)}>
      <h3>{t('participants.addTitle')}</h3>
      <label class="field">
        <span>{t('participants.name')}</span>
        <input name="name" required maxLength={200} autocomplete="off" />
      </label>
      <label class="field">
        <span>{t('participants.pseudonymOptional')}</span>
        <input name="pseudonym" maxLength={100} autocomplete="off" aria-describedby="pseudonym-hint" />
      </label>
      <button type="submit" disabled={adding()}>
        {t('participants.add')}
      </button>
      <small class="hint" id="pseudonym-hint">
        {t('participants.pseudonymHint')}
      </small>
    </form>
  );
}
