import { For, onCleanup, onMount } from 'solid-js';
import { formatDateTime, t } from '../../i18n/index.ts';
import type { Coding, CodeWithCount } from './coding-state.ts';

/** The codings of a highlighted passage: code, coder, date, and a remove button when allowed. */
export function CodingDetails(props: {
  codings: readonly Coding[];
  codeById: ReadonlyMap<string, CodeWithCount>;
  coderName: (userId: string) => string;
  mayRemove: (coding: Coding) => boolean;
  position: { top: number; left: number };
  onRemove: (coding: Coding) => void;
  onClose: () => void;
}) {
  let panel!: HTMLDivElement;
  let close!: HTMLButtonElement;
  const onOutside = (event: MouseEvent) => {
    if (!panel.contains(event.target as Node)) props.onClose();
  };
  onMount(() => {
    close.focus({ preventScroll: true });
    document.addEventListener('mousedown', onOutside);
  });
  onCleanup(() => document.removeEventListener('mousedown', onOutside));
  return (
    <div
      ref={panel}
      class="popover details"
      role="dialog"
      aria-labelledby="details-title"
      style={{ top: `${props.position.top}px`, left: `${props.position.left}px` }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onClose();
      }}
    >
      <div class="popover-head">
        <p id="details-title" class="popover-title">
          {t('coding.detailsTitle')}
        </p>
        <button ref={close} type="button" class="small-button" onClick={() => props.onClose()}>
          {t('coding.close')}
        </button>
      </div>
      <ul class="details-list">
        <For each={props.codings}>
          {(coding) => {
            const code = () => props.codeById.get(coding.codeId);
            return (
              <li>
                <span class="swatch" style={{ 'background-color': code()?.color ?? '#888888' }} />
                <span class="details-text">
                  <strong>{code()?.name ?? '?'}</strong>
                  <span class="muted small">
                    {t('coding.by', {
                      coder: props.coderName(coding.coderId),
                      date: formatDateTime(coding.createdAt),
                    })}
                  </span>
                </span>
                {props.mayRemove(coding) && (
                  <button
                    type="button"
                    class="small-button danger"
                    aria-label={t('coding.removeLabel', { code: code()?.name ?? '?' })}
                    onClick={() => props.onRemove(coding)}
                  >
                    {t('coding.remove')}
                  </button>
                )}
              </li>
            );
          }}
        </For>
      </ul>
    </div>
  );
}
