import { For, onMount } from 'solid-js';
import { t, type MessageKey } from '../../i18n/index.ts';

/** The keyboard shortcuts of the coding view, grouped as docs/coding-view.md gives them. */
export const SHORTCUTS: readonly { title: MessageKey; keys: readonly [string, MessageKey][] }[] = [
  {
    title: 'help.reading',
    keys: [
      ['Tab', 'help.tab'],
      ['↑ ↓', 'help.turns'],
      ['← →', 'help.words'],
      ['key.homeEnd', 'help.homeEnd'],
      ['key.enter', 'help.enterWord'],
    ],
  },
  {
    title: 'help.coding',
    keys: [
      ['key.shiftArrows', 'help.extend'],
      ['key.enter', 'help.enter'],
      ['T', 'help.turn'],
      ['1 … 9', 'help.pinned'],
      ['key.escape', 'help.escape'],
    ],
  },
  {
    title: 'help.picker',
    keys: [
      ['abc', 'help.typeAhead'],
      ['↑ ↓', 'help.pickerMove'],
      ['key.enter', 'help.pickerApply'],
      ['1 … 9', 'help.pickerPinned'],
      ['key.escape', 'help.pickerCancel'],
    ],
  },
  {
    title: 'help.codebook',
    keys: [
      ['↑ ↓', 'help.codebookMove'],
      ['Alt + → / ←', 'help.indent'],
      ['P', 'help.pin'],
    ],
  },
  {
    title: 'help.player',
    keys: [
      ['key.altSpace', 'help.playPause'],
      ['Alt + ← / →', 'help.skip'],
      ['key.altEnter', 'help.playTurn'],
    ],
  },
  {
    title: 'help.general',
    keys: [
      ['Ctrl + Z', 'help.undo'],
      ['key.redo', 'help.redo'],
      ['?', 'help.help'],
    ],
  },
];

/** The shortcuts, in a modal dialog (the browser keeps focus inside it and Escape closes it). */
export function HelpDialog(props: { onClose: () => void }) {
  let dialog!: HTMLDialogElement;
  onMount(() => dialog.showModal());
  return (
    <dialog ref={dialog} class="help-dialog" aria-labelledby="help-title" onClose={() => props.onClose()}>
      <div class="popover-head">
        <h2 id="help-title">{t('help.title')}</h2>
        <button type="button" class="small-button" onClick={() => dialog.close()}>
          {t('common.close')}
        </button>
      </div>
      <p class="hint">{t('help.intro')}</p>
      <div class="help-grid">
        <For each={SHORTCUTS}>
          {(group) => (
            <section>
              <h3>{t(group.title)}</h3>
              <dl class="shortcuts">
                <For each={group.keys}>
                  {([key, what]) => (
                    <div>
                      <dt>
                        <kbd>{key.startsWith('key.') ? t(key as MessageKey) : key}</kbd>
                      </dt>
                      <dd>{t(what)}</dd>
                    </div>
                  )}
                </For>
              </dl>
            </section>
          )}
        </For>
      </div>
    </dialog>
  );
}
