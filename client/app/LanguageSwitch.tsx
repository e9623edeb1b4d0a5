import { For } from 'solid-js';
import { locale, setLocale, t, type Locale } from '../i18n/index.ts';

const LOCALES: readonly { id: Locale; label: string; name: string }[] = [
  { id: 'fr', label: 'FR', name: 'Français' },
  { id: 'en', label: 'EN', name: 'English' },
];

/** FR / EN toggle; the choice is remembered in this browser. */
export function LanguageSwitch() {
  return (
    <div class="language-switch" role="group" aria-label={t('nav.language')}>
      <For each={LOCALES}>
        {(option) => (
          <button
            type="button"
            lang={option.id}
            title={option.name}
            aria-pressed={locale() === option.id}
            onClick={() => setLocale(option.id)}
          >
            {option.label}
          </button>
        )}
      </For>
    </div>
  );
}
