import { For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { CodePrefs } from './code-prefs.ts';
import type { CodingFilters } from './coding-filters.ts';
import type { CodingFlow } from './coding-flow.ts';
import type { CodingState } from './coding-state.ts';

/**
 * The coding view's toolbar: undo and redo, whose codings to show, word snapping, the pseudonymised
 * reading, who else is here, and the keyboard shortcuts.
 */
export function CodingToolbar(props: {
  state: CodingState;
  flow: CodingFlow;
  filters: CodingFilters;
  prefs: CodePrefs;
  me: string | undefined;
  canCode: boolean;
  anonymised: boolean;
  onAnonymised: (on: boolean) => void;
}) {
  return (
    <div class="coding-toolbar" role="group" aria-label={t('coding.toolbar')}>
      <Show when={props.canCode}>
        <div class="toolbar-group">
          <button
            type="button"
            class="small-button"
            aria-keyshortcuts="Control+Z"
            disabled={props.state.history()?.undo === null}
            onClick={() => void props.flow.undo()}
          >
            ↶ {t('coding.undo')}
          </button>
          <button
            type="button"
            class="small-button"
            aria-keyshortcuts="Control+Shift+Z"
            disabled={props.state.history()?.redo === null}
            onClick={() => void props.flow.redo()}
          >
            ↷ {t('coding.redo')}
          </button>
          <Show when={props.flow.reversal()}>{(message) => <span class="reversal">{message()}</span>}</Show>
        </div>
      </Show>
      <CoderSelect filters={props.filters} me={props.me} />
      <Show when={props.canCode}>
        <label class="toolbar-group checkbox">
          <input
            type="checkbox"
            checked={props.prefs.snap()}
            onChange={(e) => props.prefs.setSnap(e.currentTarget.checked)}
          />
          <span>{t('coding.snap')}</span>
        </label>
      </Show>
      <label class="toolbar-group checkbox">
        <input
          type="checkbox"
          checked={props.anonymised}
          onChange={(e) => props.onAnonymised(e.currentTarget.checked)}
        />
        <span>{t('coding.anonymised')}</span>
      </label>
      <Presence state={props.state} />
      <button
        type="button"
        class="small-button help-button"
        aria-keyshortcuts="?"
        onClick={() => props.flow.setHelp(true)}
      >
        {t('coding.shortcuts')}
      </button>
    </div>
  );
}

/** Whose codings are drawn: all coders', the user's own, or another coder's. */
function CoderSelect(props: { filters: CodingFilters; me: string | undefined }) {
  return (
    <label class="toolbar-group">
      <span>{t('coding.showCoders')}</span>
      <select
        value={(() => {
          const f = props.filters.coderFilter();
          return typeof f === 'string' ? f : f.coderId;
        })()}
        onChange={(e) => {
          const value = e.currentTarget.value;
          props.filters.setCoderFilter(value === 'all' || value === 'mine' ? value : { coderId: value });
        }}
      >
        <option value="all">{t('coding.allCoders')}</option>
        <option value="mine">{t('coding.myCodings')}</option>
        <For each={props.filters.coders().filter((m) => m.userId !== props.me)}>
          {(m) => <option value={m.userId}>{m.displayName || m.username}</option>}
        </For>
      </select>
    </label>
  );
}

/** Whether the live feed is connected, and who else has the document open. */
function Presence(props: { state: CodingState }) {
  return (
    <div class="toolbar-group presence" aria-live="polite">
      <span class="live-dot" classList={{ off: props.state.feedStatus() !== 'open' }} aria-hidden="true" />
      <span class="muted small">
        {props.state.feedStatus() === 'open' ? t('coding.live') : t('coding.reconnecting')}
      </span>
      <Show when={props.state.presence().length > 0}>
        <span class="presence-label">{t('coding.alsoHere')}</span>
        <ul class="presence-list">
          <For each={props.state.presence()}>
            {(p) => <li class="badge">{p.displayName || p.username}</li>}
          </For>
        </ul>
      </Show>
    </div>
  );
}
