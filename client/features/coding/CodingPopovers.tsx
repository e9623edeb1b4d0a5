import { Show } from 'solid-js';
import type { FlatCode } from '../codebook/code-tree.ts';
import type { CodePrefs } from './code-prefs.ts';
import type { CodingFlow } from './coding-flow.ts';
import type { Coding, CodingState } from './coding-state.ts';
import { CodePicker } from './CodePicker.tsx';
import { CodingDetails } from './CodingDetails.tsx';
import { excerpt } from './excerpt.ts';

/** The popovers over the transcript: the code picker for a passage, or the details of codings. */
export function CodingPopovers(props: {
  state: CodingState;
  flow: CodingFlow;
  prefs: CodePrefs;
  codes: readonly FlatCode[];
  canCode: boolean;
  mayEdit: (coding: Coding) => boolean;
}) {
  return (
    <>
      <Show when={props.flow.picking()}>
        {(current) => (
          <CodePicker
            codes={props.codes}
            pins={props.prefs.pins()}
            recent={props.prefs.recent()}
            excerpt={excerpt(props.state.text()?.slice(current().span.start, current().span.end) ?? '')}
            position={current().position}
            onPick={props.flow.pick}
            onClose={props.flow.closePicker}
          />
        )}
      </Show>
      <Show
        when={props.flow.shown() && props.flow.shownCodings().length > 0 ? props.flow.shown() : undefined}
      >
        {(current) => (
          <Show when={props.state.text()}>
            {(transcript) => (
              <CodingDetails
                codings={props.flow.shownCodings()}
                codeById={props.state.codeById()}
                codes={props.codes}
                text={transcript()}
                coderName={props.state.coderName}
                mayEdit={props.mayEdit}
                canCode={props.canCode}
                position={current().position}
                onRemove={(coding) => void props.state.removeCoding(coding)}
                onUpdate={(coding, patch) => void props.state.updateCoding(coding, patch)}
                onReselect={props.flow.reselect}
                onAddCode={(span) => props.flow.addCode(span, current())}
                onClose={props.flow.closeDetails}
              />
            )}
          </Show>
        )}
      </Show>
    </>
  );
}
