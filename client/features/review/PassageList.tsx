import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { t } from '../../i18n/index.ts';
import { formatTime } from '../../../shared/time.ts';
import type { Passage } from './review-api.ts';
import { documentHref } from './review-filter.ts';
import { formatAttributeValue } from '../participants/attribute-format.ts';
import './review.css';

/** Attribute dates travel as AAAA-MM-JJ; the reader sees JJ/MM/AAAA. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Context cut at a word boundary, so a quote's surroundings do not start mid-word. */
export function trimContext(text: string, side: 'before' | 'after'): string {
  const flat = text.replace(/\s+/g, ' ');
  if (side === 'before') {
    const cut = flat.indexOf(' ');
    return cut > 0 && cut < 30 && flat.length > 60 ? `…${flat.slice(cut)}` : flat;
  }
  const cut = flat.lastIndexOf(' ');
  return cut > flat.length - 30 && flat.length > 60 ? `${flat.slice(0, cut)}…` : flat;
}

/**
 * Passages, each with its quote between muted context, who said it and when, the participant's
 * pseudonym and attributes, the codes and coders behind it, and a link that opens the document at
 * that place.
 */
export function PassageList(props: {
  projectId: string;
  passages: readonly Passage[];
  codeName: (id: string) => string;
  coderName: (id: string) => string;
}) {
  return (
    <ol class="passage-list" data-testid="passages">
      <For each={props.passages}>
        {(passage) => (
          <li class="passage">
            <div class="passage-meta">
              <span class="passage-document">{passage.documentName}</span>
              <Show when={passage.participant}>
                {(participant) => <span class="badge pseudonym">{participant().pseudonym}</span>}
              </Show>
              <Show when={passage.speaker}>
                {(speaker) => <span class="passage-speaker">{speaker()}</span>}
              </Show>
              <Show when={passage.time !== null}>
                <span class="passage-time">{formatTime(passage.time ?? 0)}</span>
              </Show>
              <Show when={passage.participant}>
                {(participant) => (
                  <dl class="attribute-list passage-attributes">
                    <For each={Object.entries(participant().attributes)}>
                      {([name, value]) => (
                        <div>
                          <dt>{name}</dt>
                          <dd>
                            {formatAttributeValue(
                              { type: ISO_DATE.test(String(value)) ? 'date' : 'text' },
                              value,
                            )}
                          </dd>
                        </div>
                      )}
                    </For>
                  </dl>
                )}
              </Show>
            </div>
            <blockquote class="passage-text">
              <Show when={passage.before.trim() !== ''}>
                <span class="context">{trimContext(passage.before, 'before')}</span>{' '}
              </Show>
              <mark class="quote">{passage.text}</mark>
              <Show when={passage.after.trim() !== ''}>
                {' '}
                <span class="context">{trimContext(passage.after, 'after')}</span>
              </Show>
            </blockquote>
            <div class="passage-foot">
              <span class="small muted">
                {t('review.passage.codes', {
                  codes: passage.codeIds.map((id) => props.codeName(id)).join(', '),
                })}
                {' · '}
                {t('review.passage.coders', {
                  coders: passage.coderIds.map((id) => props.coderName(id)).join(', '),
                })}
              </span>
              <A href={documentHref(props.projectId, passage.documentId, passage.start, passage.end)}>
                {t('review.passage.open', { document: passage.documentName })}
              </A>
            </div>
          </li>
        )}
      </For>
    </ol>
  );
}
