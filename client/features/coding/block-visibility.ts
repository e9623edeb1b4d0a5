/**
 * Which blocks of the transcript are near the screen, and when its width changes: margin bars are
 * measured only for blocks near the screen, and again when the text reflows.
 */
import { createSignal, onCleanup, onMount } from 'solid-js';

export function createBlockWatcher(root: () => HTMLElement) {
  /** Bumped when the text's width changes (or fonts load): margin bars are measured again. */
  const [epoch, setEpoch] = createSignal(0);
  const visibility = new Map<Element, (visible: boolean) => void>();
  const observer =
    typeof IntersectionObserver === 'undefined'
      ? undefined
      : new IntersectionObserver(
          (entries) => {
            for (const entry of entries) visibility.get(entry.target)?.(entry.isIntersecting);
          },
          { rootMargin: '300px 0px' },
        );
  /** Call `onChange` whenever `element` comes near the screen or leaves it. */
  const watch = (element: Element, onChange: (visible: boolean) => void) => {
    visibility.set(element, onChange);
    if (observer) observer.observe(element);
    else onChange(true);
    onCleanup(() => {
      visibility.delete(element);
      observer?.unobserve(element);
    });
  };
  onMount(() => {
    let width = 0;
    const resize = new ResizeObserver(() => {
      if (root().clientWidth !== width) {
        width = root().clientWidth;
        setEpoch((n) => n + 1);
      }
    });
    resize.observe(root());
    void document.fonts?.ready.then(() => setEpoch((n) => n + 1));
    onCleanup(() => {
      resize.disconnect();
      observer?.disconnect();
    });
  });
  return { epoch, watch };
}
