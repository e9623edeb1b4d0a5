/** The coding view's last refusal: shown until dismissed or replaced by the next one. */
import { createSignal } from 'solid-js';

export function createRefusals() {
  const [error, setError] = createSignal<unknown>();

  /** Run a request; a refusal is shown and returned as false. */
  async function attempt(work: () => Promise<unknown>): Promise<boolean> {
    setError(undefined);
    try {
      await work();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    }
  }

  return { error, setError, attempt };
}

export type Refusals = ReturnType<typeof createRefusals>;
