/** The code editor's sections besides its own fields: split, merge, delete. */
import { createMemo, createSignal, For, Show, type Accessor, type Setter } from 'solid-js';
import { formatNumber, t } from '../../i18n/index.ts';
import type { CodeId } from '../../../shared/ids.ts';
import type { CodeEditorProps } from './CodeEditor.tsx';
import { subtreeCount, type FlatCode } from './code-tree.ts';
import { CodeOptions } from './CodeOptions.tsx';

/** What the sections of one code editor share. */
export interface EditorContext {
  props: CodeEditorProps;
  /** A request is under way: the buttons that would send another are disabled. */
  busy: Accessor<boolean>;
  setBusy: Setter<boolean>;
  /** The other codes, in tree order. */
  others: Accessor<FlatCode[]>;
  /** The codes this one may go under (not itself nor its descendants). */
  parents: Accessor<FlatCode[]>;
  nameOf: (codeId: string) => string;
}

/** Move some of the code's codings to another code (a split). */
export function SplitSection(props: { editor: EditorContext }) {
  const outer = () => props.editor.props;
  const [splitTarget, setSplitTarget] = createSignal('');
  const [chosen, setChosen] = createSignal<ReadonlySet<string>>(new Set());
  const split = async () => {
    const target = splitTarget();
    const ids = [...chosen()];
    if (target === '' || ids.length === 0) return;
    props.editor.setBusy(true);
    const ok = await outer().actions.moveCodings(ids, target as CodeId);
    props.editor.setBusy(false);
    if (ok) {
      setChosen(new Set<string>());
      outer().announce(
        t('codebook.movedCodings', { count: ids.length, target: props.editor.nameOf(target) }),
      );
    }
  };
  const toggle = (codingId: string, on: boolean) => {
    const next = new Set(chosen());
    if (on) next.add(codingId);
    else next.delete(codingId);
    setChosen(next);
  };
  return (
    <details class="editor-section">
      <summary>{t('codebook.splitTitle', { count: outer().codings.length })}</summary>
      <p class="hint">{t('codebook.splitHint')}</p>
      <ul class="split-list">
        <For each={outer().codings.filter(outer().mayMove)}>
          {(coding) => (
            <li>
              <label class="checkbox">
                <input
                  type="checkbox"
                  checked={chosen().has(coding.id)}
                  onChange={(e) => toggle(coding.id, e.currentTarget.checked)}
                />
                <span>
                  « {coding.text.length > 120 ? `${coding.text.slice(0, 117)}…` : coding.text} »{' '}
                  <span class="muted small">({outer().coderName(coding.coderId)})</span>
                </span>
              </label>
            </li>
          )}
        </For>
      </ul>
      <div class="field-row">
        <label class="field grow">
          <span>{t('codebook.moveTo')}</span>
          <select value={splitTarget()} onChange={(e) => setSplitTarget(e.currentTarget.value)}>
            <option value="">{t('codebook.chooseCode')}</option>
            <CodeOptions items={props.editor.others()} />
          </select>
        </label>
        <button
          type="button"
          disabled={props.editor.busy() || chosen().size === 0 || splitTarget() === ''}
          onClick={() => void split()}
        >
          {t('codebook.moveCodings', { count: chosen().size })}
        </button>
      </div>
    </details>
  );
}

/** Merge the code into another, once confirmed. */
export function MergeSection(props: { editor: EditorContext }) {
  const outer = () => props.editor.props;
  const [mergeTarget, setMergeTarget] = createSignal('');
  const [confirmMerge, setConfirmMerge] = createSignal(false);
  // Once the code is gone its accessor is too: what is announced after is read before.
  const merge = async () => {
    const target = mergeTarget();
    if (target === '') return;
    const name = outer().code.name;
    const targetName = props.editor.nameOf(target);
    props.editor.setBusy(true);
    const result = await outer().actions.mergeCode(outer().code, target as CodeId);
    props.editor.setBusy(false);
    if (result) {
      outer().announce(
        t('codebook.merged', { name, target: targetName, moved: result.moved, collapsed: result.collapsed }),
      );
      outer().onClose();
    }
  };
  return (
    <div class="editor-section">
      <h3>{t('codebook.mergeTitle')}</h3>
      <div class="field-row">
        <label class="field grow">
          <span>{t('codebook.mergeInto')}</span>
          <select
            value={mergeTarget()}
            onChange={(e) => {
              setMergeTarget(e.currentTarget.value);
              setConfirmMerge(false);
            }}
          >
            <option value="">{t('codebook.chooseCode')}</option>
            <CodeOptions items={props.editor.parents()} />
          </select>
        </label>
        <button
          type="button"
          disabled={props.editor.busy() || mergeTarget() === ''}
          onClick={() => setConfirmMerge(true)}
        >
          {t('codebook.merge')}
        </button>
      </div>
      <Show when={confirmMerge()}>
        <div class="confirm-box" role="alertdialog" aria-label={t('codebook.confirmMergeLabel')}>
          <p>
            {t('codebook.confirmMerge', {
              name: outer().code.name,
              target: props.editor.nameOf(mergeTarget()),
              count: formatNumber(outer().code.codings),
            })}
          </p>
          <div class="button-row">
            <button type="button" class="primary" disabled={props.editor.busy()} onClick={() => void merge()}>
              {t('codebook.confirmMergeYes')}
            </button>
            <button type="button" onClick={() => setConfirmMerge(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      </Show>
    </div>
  );
}

/** Delete the code, its sub-codes and their codings, once confirmed with a count of all that goes. */
export function DeleteSection(props: { editor: EditorContext }) {
  const outer = () => props.editor.props;
  const [confirmDelete, setConfirmDelete] = createSignal(false);
  const weight = createMemo(() => subtreeCount(outer().codes, outer().code.id));
  const remove = async () => {
    const name = outer().code.name;
    props.editor.setBusy(true);
    const ok = await outer().actions.deleteCode(outer().code);
    props.editor.setBusy(false);
    if (ok) {
      outer().announce(t('codebook.deleted', { name }));
      outer().onClose();
    }
  };
  return (
    <div class="editor-section">
      <Show
        when={confirmDelete()}
        fallback={
          <button type="button" class="danger-button" onClick={() => setConfirmDelete(true)}>
            {t('codebook.delete')}
          </button>
        }
      >
        <div class="confirm-box danger" role="alertdialog" aria-label={t('codebook.confirmDeleteLabel')}>
          <p>
            {weight().codes > 1
              ? t('codebook.confirmDeleteTree', {
                  name: outer().code.name,
                  children: weight().codes - 1,
                  count: formatNumber(weight().codings),
                })
              : t('codebook.confirmDelete', {
                  name: outer().code.name,
                  count: formatNumber(weight().codings),
                })}
          </p>
          <div class="button-row">
            <button
              type="button"
              class="danger-button"
              disabled={props.editor.busy()}
              onClick={() => void remove()}
            >
              {t('codebook.confirmDeleteYes')}
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      </Show>
    </div>
  );
}
