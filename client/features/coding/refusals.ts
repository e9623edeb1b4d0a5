/** The coding view's last refusal: shown until dismissed or replaced by the next one. */
import { createSubmit } from '../../app/submit.ts';

export function createRefusals() {
  const { error, setError, run } = createSubmit();
  /** Run a request; a refusal is shown and returned as false. */
  return { error, setError, attempt: run };
}

export type Refusals = ReturnType<typeof createRefusals>;
