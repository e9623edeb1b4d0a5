/** How the coding view's popovers open and close. */
import { onCleanup, onMount } from 'solid-js';

/**
 * Once drawn, focus `focus` and bring `panel` into view; a mouse press outside `panel` closes it.
 */
export function createPopoverDismiss(
  panel: () => HTMLElement,
  focus: () => HTMLElement,
  onClose: () => void,
): void {
  const onOutside = (event: MouseEvent) => {
    if (!panel().contains(event.target as Node)) onClose();
  };
  onMount(() => {
    focus().focus({ preventScroll: true });
    panel().scrollIntoView({ block: 'nearest' });
    document.addEventListener('mousedown', onOutside);
  });
  onCleanup(() => document.removeEventListener('mousedown', onOutside));
}
