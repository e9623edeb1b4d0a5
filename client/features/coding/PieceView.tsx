import { createMemo } from 'solid-js';
import { t } from '../../i18n/index.ts';
import type { Coding, CodeWithCount } from './coding-state.ts';
import { highlightStyle } from './highlight.ts';
import { sameList, type Piece } from './layout.ts';
import type { TranscriptText } from './selection-to-span.ts';

/** Id of the passage being coded, drawn like a coding until a code is chosen. */
export const SELECTION_ID = 'selection';
/** Id of the word under the keyboard cursor. */
export const CURSOR_ID = 'cursor';

/**
 * One run of text covered by the same codings: `<span data-start data-end>` in code points,
 * highlighted in the colours of its codes; a click opens its codings.
 */
export function PieceView(props: {
  piece: Piece<string>;
  text: TranscriptText;
  codingByKey: ReadonlyMap<string, Coding>;
  codeById: ReadonlyMap<string, CodeWithCount>;
  coderName: (userId: string) => string;
  onOpenCodings: (codingIds: readonly string[], rect: DOMRect) => void;
}) {
  const codings = createMemo(
    () =>
      props.piece.ids.flatMap((id) => {
        const coding = props.codingByKey.get(id);
        return coding ? [coding] : [];
      }),
    [],
    { equals: sameList },
  );
  const codes = createMemo(() => {
    const list: CodeWithCount[] = [];
    for (const coding of codings()) {
      const code = props.codeById.get(coding.codeId);
      if (code && !list.includes(code)) list.push(code);
    }
    return list;
  });
  const pending = () => props.piece.ids.includes(SELECTION_ID);
  const atCursor = () => props.piece.ids.includes(CURSOR_ID);
  const coded = () => codings().length > 0;
  const title = () =>
    coded()
      ? codings()
          .map((c) =>
            t('coding.segmentCode', {
              code: props.codeById.get(c.codeId)?.name ?? '?',
              coder: props.coderName(c.coderId),
            }),
          )
          .join(' · ')
      : undefined;
  return (
    <span
      data-start={props.piece.start}
      data-end={props.piece.end}
      data-codes={
        coded()
          ? codes()
              .map((c) => c.id)
              .join(' ')
          : undefined
      }
      classList={{
        coded: coded(),
        overlap: codes().length > 1,
        speaker: props.piece.label,
        'md-strong': props.piece.strong === true,
        'md-emphasis': props.piece.emphasis === true,
        pending: pending(),
        cursor: atCursor(),
      }}
      style={highlightStyle(codes().map((c) => c.color))}
      title={title()}
      onClick={(e) => {
        if (coded() && window.getSelection()?.isCollapsed !== false) {
          props.onOpenCodings(
            codings().map((c) => c.id),
            e.currentTarget.getBoundingClientRect(),
          );
        }
      }}
    >
      {props.text.slice(props.piece.start, props.piece.end)}
    </span>
  );
}
