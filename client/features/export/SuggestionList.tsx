import { createSignal, For, Show } from 'solid-js';
import { createStore } from 'solid-js/store';
import { t } from '../../i18n/index.ts';
import type { ReplacementKind } from '../../../shared/model.ts';
import type { ReplacementSuggestion } from '../../../shared/suggestions.ts';
import './export.css';

type Accepted = { from: string; to: string; kind: ReplacementKind };

/**
 * Names found in the transcripts, each with its kind, count, contexts and a proposed replacement the
 * lead can edit: accept one, accept all, or dismiss one (for this visit of the page).
 */
export function SuggestionList(props: {
  suggestions: readonly ReplacementSuggestion[] | undefined;
  loading: boolean;
  busy: boolean;
  onAccept: (accepted: Accepted[]) => void;
}) {
  /** Replacements edited by the lead, by suggested name. */
  const [edited, setEdited] = createStore<Record<string, string>>({});
  const [dismissed, setDismissed] = createSignal<ReadonlySet<string>>(new Set());
  const shown = () => (props.suggestions ?? []).filter((s) => !dismissed().has(s.from));
  const accepted = (s: ReplacementSuggestion): Accepted => ({
    from: s.from,
    to: (edited[s.from] ?? s.to).trim() || s.to,
    kind: s.kind,
  });

  return (
    <section class="stack" aria-labelledby="suggestions-title">
      <h3 id="suggestions-title">{t('replacements.suggestions')}</h3>
      <p class="hint">{t('replacements.suggestionsHint')}</p>
      <Show
        when={shown().length > 0}
        fallback={
          <p class="muted small">{props.loading ? t('app.loading') : t('replacements.noSuggestions')}</p>
        }
      >
        <div class="button-row">
          <button
            type="button"
            class="primary"
            disabled={props.busy}
            onClick={() => props.onAccept(shown().map(accepted))}
          >
            {t('replacements.acceptAll', { count: shown().length })}
          </button>
        </div>
        <ul class="suggestion-list">
          <For each={shown()}>
            {(s) => (
              <SuggestionItem
                suggestion={s}
                to={edited[s.from] ?? s.to}
                busy={props.busy}
                onEdit={(to) => setEdited(s.from, to)}
                onAccept={() => props.onAccept([accepted(s)])}
                onDismiss={() => setDismissed(new Set([...dismissed(), s.from]))}
              />
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

/** One name found: its kind, count and contexts, the replacement proposed, accept or dismiss. */
function SuggestionItem(props: {
  suggestion: ReplacementSuggestion;
  to: string;
  busy: boolean;
  onEdit: (to: string) => void;
  onAccept: () => void;
  onDismiss: () => void;
}) {
  return (
    <li class="stack" data-testid="suggestion">
      <div>
        <strong>{props.suggestion.from}</strong>{' '}
        <span class="muted small">
          ({t(`replacements.kind.${props.suggestion.kind}`)},{' '}
          {t('replacements.suggestionCount', { count: props.suggestion.count })})
        </span>
      </div>
      <Show when={props.suggestion.contexts.length > 0}>
        <ul class="small muted">
          <For each={props.suggestion.contexts}>{(c) => <li>{c}</li>}</For>
        </ul>
      </Show>
      <div class="button-row">
        <label class="field inline">
          <span>{t('replacements.to')}</span>
          <input
            value={props.to}
            maxLength={200}
            size={16}
            autocomplete="off"
            aria-label={t('replacements.toLabel', { name: props.suggestion.from })}
            onInput={(e) => props.onEdit(e.currentTarget.value)}
          />
        </label>
        <button
          type="button"
          class="small-button"
          disabled={props.busy}
          aria-label={t('replacements.acceptLabel', { name: props.suggestion.from })}
          onClick={() => props.onAccept()}
        >
          {t('replacements.accept')}
        </button>
        <button
          type="button"
          class="small-button"
          aria-label={t('replacements.dismissLabel', { name: props.suggestion.from })}
          onClick={() => props.onDismiss()}
        >
          {t('replacements.dismiss')}
        </button>
      </div>
    </li>
  );
}
