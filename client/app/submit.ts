import { createSignal } from 'solid-js';

/**
 * The state of a form or button that sends something: `busy` while the work runs (to disable its
 * button), `error` what refused it (for an `<ErrorAlert>`), cleared each time it runs again.
 */
export function createSubmit() {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();

  /** Run `work`, busy meanwhile; its failure is kept in `error`. Resolves whether it succeeded. */
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setBusy(false);
    }
  };

  /** For a form's submit event: no page load, then `work` with the form, as `run` does. */
  const submitForm = (event: SubmitEvent, work: (form: HTMLFormElement) => Promise<unknown>) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    return run(() => work(form));
  };

  return { busy, error, setError, run, submitForm };
}

/** The file chosen in a form's « file » field as a multipart body, or undefined when none is. */
export function chosenFile(form: HTMLFormElement): { file: File; body: FormData } | undefined {
  const file = (form.elements.namedItem('file') as HTMLInputElement | null)?.files?.[0];
  if (!file) return undefined;
  const body = new FormData();
  body.append('file', file, file.name);
  return { file, body };
}
