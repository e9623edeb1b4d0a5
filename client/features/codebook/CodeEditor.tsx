import { createMemo, createSignal, For, onMount, Show, untrack } from 'solid-js';
import type { ApiError } from '../../api/client.ts';
import { errorMessage, formatNumber, t } from '../../i18n/index.ts';
import type { CodeId } from '../../../shared/ids.ts';
import type { Code, Coding } from '../../../shared/model.ts';
import { formatDescription, parseDescription, type CodeDescription } from './code-description.ts';
import { canMoveUnder, subtreeCount, type CodeWithCount, type FlatCode } from './code-tree.ts';

export interface CodeEditorActions {
  updateCode: (
    code: Code,
    patch: Partial<Pick<Code, 'name' | 'color' | 'description' | 'parentId'>>,
    version: number,
  ) => Promise<ApiError | undefined>;
  deleteCode: (code: Code) => Promise<boolean>;
  mergeCode: (
    code: Code,
    targetId: CodeId,
  ) => Promise<{ moved: number; collapsed: number; children: number } | undefined>;
  moveCodings: (codingIds: readonly string[], codeId: CodeId) => Promise<boolean>;
}

/**
 * One code opened in the codebook: its name, colour, place and description (definition, when to
 * use it, when not, an example) for a lead; merging it into another code, moving some of its
 * codings elsewhere (a split), and deleting it with a count of what goes with it.
 */
export function CodeEditor(props: {
  code: CodeWithCount;
  codes: readonly CodeWithCount[];
  flat: readonly FlatCode[];
  /** The code's codings in the project, for the split. */
  codings: readonly Coding[];
  canManage: boolean;
  mayMove: (coding: Coding) => boolean;
  coderName: (userId: string) => string;
  actions: CodeEditorActions;
  announce: (message: string) => void;
  onClose: () => void;
}) {
  let nameInput: HTMLInputElement | undefined;
  // The version this form was opened on: saving sends it, so a save made by someone else in
  // between is refused (409) instead of silently overwritten.
  const initial = untrack(() => ({ ...props.code }));
  const [version, setVersion] = createSignal(initial.version);
  const [name, setName] = createSignal(initial.name);
  const [color, setColor] = createSignal(initial.color);
  const [parentId, setParentId] = createSignal<string>(initial.parentId ?? '');
  const [description, setDescription] = createSignal<CodeDescription>(parseDescription(initial.description));
  const [refusal, setRefusal] = createSignal<ApiError>();
  const [saved, setSaved] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [confirmDelete, setConfirmDelete] = createSignal(false);
  const [mergeTarget, setMergeTarget] = createSignal('');
  const [confirmMerge, setConfirmMerge] = createSignal(false);
  const [splitTarget, setSplitTarget] = createSignal('');
  const [chosen, setChosen] = createSignal<ReadonlySet<string>>(new Set());
  const changedElsewhere = () => props.code.version !== version() && !busy();
  const id = (part: string) => `code-${props.code.id}-${part}`;
  const others = createMemo(() => props.flat.filter((item) => item.code.id !== props.code.id));
  const parents = createMemo(() =>
    others().filter((item) => canMoveUnder(props.codes, props.code.id, item.code.id)),
  );
  const weight = createMemo(() => subtreeCount(props.codes, props.code.id));
  const nameOf = (codeId: string) => props.codes.find((c) => c.id === codeId)?.name ?? '?';

  onMount(() => nameInput?.focus());

  const reload = () => {
    setVersion(props.code.version);
    setName(props.code.name);
    setColor(props.code.color);
    setParentId(props.code.parentId ?? '');
    setDescription(parseDescription(props.code.description));
    setRefusal(undefined);
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    const refused = await props.actions.updateCode(
      props.code,
      {
        name: name().trim(),
        color: color(),
        parentId: parentId() === '' ? null : (parentId() as CodeId),
        description: formatDescription(description()),
      },
      version(),
    );
    setBusy(false);
    setRefusal(refused);
    if (!refused) {
      setVersion(props.code.version);
      setSaved(true);
      props.announce(t('codebook.saved', { name: name().trim() }));
    }
  };

  // Once the code is gone its accessor is too: what is announced after is read before.
  const remove = async () => {
    const name = props.code.name;
    setBusy(true);
    const ok = await props.actions.deleteCode(props.code);
    setBusy(false);
    if (ok) {
      props.announce(t('codebook.deleted', { name }));
      props.onClose();
    }
  };

  const merge = async () => {
    const target = mergeTarget();
    if (target === '') return;
    const name = props.code.name;
    const targetName = nameOf(target);
    setBusy(true);
    const result = await props.actions.mergeCode(props.code, target as CodeId);
    setBusy(false);
    if (result) {
      props.announce(
        t('codebook.merged', { name, target: targetName, moved: result.moved, collapsed: result.collapsed }),
      );
      props.onClose();
    }
  };

  const split = async () => {
    const target = splitTarget();
    const ids = [...chosen()];
    if (target === '' || ids.length === 0) return;
    setBusy(true);
    const ok = await props.actions.moveCodings(ids, target as CodeId);
    setBusy(false);
    if (ok) {
      setChosen(new Set<string>());
      props.announce(t('codebook.movedCodings', { count: ids.length, target: nameOf(target) }));
    }
  };

  const part = (key: keyof CodeDescription, label: string, rows: number) => (
    <label class="field">
      <span>{label}</span>
      <textarea
        rows={rows}
        value={description()[key]}
        readOnly={!props.canManage}
        onInput={(e) => setDescription((d) => ({ ...d, [key]: e.currentTarget.value }))}
      />
    </label>
  );

  return (
    <div
      class="code-editor"
      id={id('editor')}
      role="region"
      aria-label={t('codebook.editorLabel', { name: props.code.name })}
    >
      <form class="stack" onSubmit={(e) => void save(e)}>
        <Show when={props.canManage}>
          <div class="field-row">
            <label class="field grow">
              <span>{t('codebook.editName')}</span>
              <input
                ref={nameInput}
                required
                maxLength={200}
                autocomplete="off"
                value={name()}
                onInput={(e) => setName(e.currentTarget.value)}
              />
            </label>
            <label class="field color-field">
              <span>{t('codebook.editColor')}</span>
              <input type="color" value={color()} onInput={(e) => setColor(e.currentTarget.value)} />
            </label>
          </div>
          <label class="field">
            <span>{t('codebook.editParent')}</span>
            <select value={parentId()} onChange={(e) => setParentId(e.currentTarget.value)}>
              <option value="">{t('codebook.noParent')}</option>
              <For each={parents()}>
                {(item) => (
                  <option
                    value={item.code.id}
                  >{`${'\u00a0\u00a0'.repeat(item.depth)}${item.code.name}`}</option>
                )}
              </For>
            </select>
          </label>
        </Show>
        {part('definition', t('codebook.definition'), 2)}
        {part('whenToUse', t('codebook.whenToUse'), 2)}
        {part('whenNotToUse', t('codebook.whenNotToUse'), 2)}
        {part('example', t('codebook.example'), 2)}
        <Show when={changedElsewhere() && !refusal()}>
          <p class="notice warning">{t('codebook.changedElsewhere')}</p>
        </Show>
        <Show when={refusal()}>
          {(failure) => (
            <div class="alert" role="alert">
              <p>
                {failure().status === 409 && failure().code === 'conflict'
                  ? t('codebook.conflict')
                  : errorMessage(failure())}
              </p>
              <Show when={failure().status === 409 && failure().code === 'conflict'}>
                <button type="button" class="small-button" onClick={reload}>
                  {t('codebook.reload')}
                </button>
              </Show>
            </div>
          )}
        </Show>
        <Show when={saved() && !refusal()}>
          <p class="notice" role="status">
            {t('codebook.savedNotice')}
          </p>
        </Show>
        <div class="button-row">
          <Show when={props.canManage}>
            <button type="submit" class="primary" disabled={busy()}>
              {t('codebook.save')}
            </button>
          </Show>
          <button type="button" onClick={() => props.onClose()}>
            {t('common.close')}
          </button>
        </div>
      </form>

      <Show when={props.codings.some(props.mayMove) && others().length > 0}>
        <details class="editor-section">
          <summary>{t('codebook.splitTitle', { count: props.codings.length })}</summary>
          <p class="hint">{t('codebook.splitHint')}</p>
          <ul class="split-list">
            <For each={props.codings.filter(props.mayMove)}>
              {(coding) => (
                <li>
                  <label class="checkbox">
                    <input
                      type="checkbox"
                      checked={chosen().has(coding.id)}
                      onChange={(e) => {
                        const next = new Set(chosen());
                        if (e.currentTarget.checked) next.add(coding.id);
                        else next.delete(coding.id);
                        setChosen(next);
                      }}
                    />
                    <span>
                      « {coding.text.length > 120 ? `${coding.text.slice(0, 117)}…` : coding.text} »{' '}
                      <span class="muted small">({props.coderName(coding.coderId)})</span>
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
                <For each={others()}>
                  {(item) => (
                    <option
                      value={item.code.id}
                    >{`${'\u00a0\u00a0'.repeat(item.depth)}${item.code.name}`}</option>
                  )}
                </For>
              </select>
            </label>
            <button
              type="button"
              disabled={busy() || chosen().size === 0 || splitTarget() === ''}
              onClick={() => void split()}
            >
              {t('codebook.moveCodings', { count: chosen().size })}
            </button>
          </div>
        </details>
      </Show>

      <Show when={props.canManage}>
        <div class="editor-section">
          <h4>{t('codebook.mergeTitle')}</h4>
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
                <For each={parents()}>
                  {(item) => (
                    <option
                      value={item.code.id}
                    >{`${'\u00a0\u00a0'.repeat(item.depth)}${item.code.name}`}</option>
                  )}
                </For>
              </select>
            </label>
            <button
              type="button"
              disabled={busy() || mergeTarget() === ''}
              onClick={() => setConfirmMerge(true)}
            >
              {t('codebook.merge')}
            </button>
          </div>
          <Show when={confirmMerge()}>
            <div class="confirm-box" role="alertdialog" aria-label={t('codebook.confirmMergeLabel')}>
              <p>
                {t('codebook.confirmMerge', {
                  name: props.code.name,
                  target: nameOf(mergeTarget()),
                  count: formatNumber(props.code.codings),
                })}
              </p>
              <div class="button-row">
                <button type="button" class="primary" disabled={busy()} onClick={() => void merge()}>
                  {t('codebook.confirmMergeYes')}
                </button>
                <button type="button" onClick={() => setConfirmMerge(false)}>
                  {t('common.cancel')}
                </button>
              </div>
            </div>
          </Show>
        </div>
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
                      name: props.code.name,
                      children: weight().codes - 1,
                      count: formatNumber(weight().codings),
                    })
                  : t('codebook.confirmDelete', {
                      name: props.code.name,
                      count: formatNumber(weight().codings),
                    })}
              </p>
              <div class="button-row">
                <button type="button" class="danger-button" disabled={busy()} onClick={() => void remove()}>
                  {t('codebook.confirmDeleteYes')}
                </button>
                <button type="button" onClick={() => setConfirmDelete(false)}>
                  {t('common.cancel')}
                </button>
              </div>
            </div>
          </Show>
        </div>
      </Show>
    </div>
  );
}
