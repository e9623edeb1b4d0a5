import { Show } from 'solid-js';
import { t } from '../../../i18n/index.ts';
import type { Span } from '../../../../shared/spans.ts';
import { usePlayer } from './player.ts';

/** « Écouter ce passage »: plays exactly the recording of a passage, when the document has one. */
export function ListenButton(props: { span: Span }) {
  const player = usePlayer();
  return (
    <Show when={player?.canPlayPassage(props.span) ? player : undefined}>
      {(current) => (
        <button
          type="button"
          class="small-button listen-button"
          onClick={() => current().playPassage(props.span)}
        >
          {t('player.listen')}
        </button>
      )}
    </Show>
  );
}
