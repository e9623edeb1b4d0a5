import { createResource, For, Show } from 'solid-js';
import { api, unwrap } from '../../api/client.ts';
import { t } from '../../i18n/index.ts';
import type { Span } from '../../../shared/spans.ts';
import type { Block } from './layout.ts';
import type { TranscriptText } from './selection-to-span.ts';

interface Replacement extends Span {
  readonly replacement: string;
}

/** One turn's text cut into plain runs and replaced names. */
function pieces(text: TranscriptText, block: Block, spans: readonly Replacement[]) {
  const out: { text: string; replaced: boolean }[] = [];
  let at = block.start;
  for (const span of spans) {
    if (span.end <= block.start || span.start >= block.end) continue;
    const start = Math.max(span.start, block.start);
    if (start > at) out.push({ text: text.slice(at, start), replaced: false });
    // A name running over two turns is replaced where it starts.
    if (span.start >= block.start) out.push({ text: span.replacement, replaced: true });
    at = Math.min(span.end, block.end);
  }
  if (at < block.end) out.push({ text: text.slice(at, block.end), replaced: false });
  return out;
}

/**
 * The transcript as pseudonymised exports show it: every name of the project's replacement list,
 * and every participant's name, replaced. Read-only: coding happens on the real text.
 */
export function AnonymisedView(props: {
  projectId: string;
  documentId: string;
  text: TranscriptText;
  blocks: readonly Block[];
}) {
  const [spans] = createResource(
    () => ({ projectId: props.projectId, documentId: props.documentId }),
    async (param) =>
      (await unwrap(api.projects[':projectId'].documents[':documentId'].replacements.$get({ param }))).spans,
  );
  return (
    <div class="transcript anonymised">
      <p class="notice" role="status">
        {t('coding.anonymisedNotice')}
      </p>
      <Show when={spans()} fallback={<p class="muted">{t('app.loading')}</p>}>
        {(list) => (
          <For each={props.blocks}>
            {(block) => (
              <p class="turn">
                <For each={pieces(props.text, block, list())}>
                  {(piece) => (piece.replaced ? <mark class="pseudonym">{piece.text}</mark> : piece.text)}
                </For>
              </p>
            )}
          </For>
        )}
      </Show>
    </div>
  );
}
