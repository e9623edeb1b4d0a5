import { createMemo, createSignal, onCleanup, onMount, Show, untrack } from 'solid-js';
import type { ApiError } from '../../api/client.ts';
import { errorMessage, t } from '../../i18n/index.ts';
import type { CodeId } from '../../../shared/ids.ts';
import type { Code, Coding } from '../../../shared/model.ts';
import { formatDescription, parseDescription, type CodeDescription } from './code-description.ts';
import { DeleteSection, MergeSection, SplitSection, type EditorContext } from './code-editor-sections.tsx';
import { canMoveUnder, type CodeWithCount, type FlatCode } from './code-tree.ts';
import { CodeOptions } from './CodeOptions.tsx';

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

export interface CodeEditorProps {
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
}

/**
 * One code opened in the codebook: its name, colour, place and description (definition, when to
 * use it, when not, an example) for a lead; merging it into another code, moving some of its
 * codings elsewhere (a split), and deleting it with a count of what goes with it.
 */
/**
 * The code editor in a wide modal dialog: its lists are not cut by the narrow codebook column, the
 * browser keeps focus inside it, and Escape closes it (focus then returns to the code's row).
 */
export function CodeEditorDialog(props: CodeEditorProps) {
  let dialog!: HTMLDialogElement;
  onMount(() => dialog.showModal());
  onCleanup(() => {
    const row = dialog.closest('.code-item')?.querySelector<HTMLButtonElement>('.code-handle');
    if (dialog.open) dialog.close();
    row?.focus();
  });
  return (
    <dialog
      ref={dialog}
      class="code-editor-dialog"
      aria-labelledby={`code-${props.code.id}-title`}
      onCancel={(e) => {
        // Escape: closed by the codebook, which owns which code is open.
        e.preventDefault();
        props.onClose();
      }}
    >
      <h2 class="code-editor-title" id={`code-${props.code.id}-title`}>
        <span class="swatch" style={{ 'background-color': props.code.color }} />
        {t('codebook.editorLabel', { name: props.code.name })}
      </h2>
      <CodeEditor {...props} />
    </dialog>
  );
}

export function CodeEditor(props: CodeEditorProps) {
  const [busy, setBusy] = createSignal(false);
  const others = createMemo(() => props.flat.filter((item) => item.code.id !== props.code.id));
  const parents = createMemo(() =>
    others().filter((item) => canMoveUnder(props.codes, props.code.id, item.code.id)),
  );
  const editor: EditorContext = {
    props,
    busy,
    setBusy,
    others,
    parents,
    nameOf: (codeId) => props.codes.find((c) => c.id === codeId)?.name ?? '?',
  };
  const draft = createCodeDraft(editor);
  return (
    <div
      class="code-editor"
      id={`code-${props.code.id}-editor`}
      role="region"
      aria-label={t('codebook.editorLabel', { name: props.code.name })}
    >
      <CodeForm editor={editor} draft={draft} />
      <Show when={props.codings.some(props.mayMove) && others().length > 0}>
        <SplitSection editor={editor} />
      </Show>
      <Show when={props.canManage}>
        <MergeSection editor={editor} />
        <DeleteSection editor={editor} />
      </Show>
    </div>
  );
}

/**
 * The code's own fields, saved with the version the form was opened on: a save made by someone
 * else in between is refused (409) instead of silently overwritten.
 */
function createCodeDraft(editor: EditorContext) {
  const { props } = editor;
  const initial = untrack(() => ({ ...props.code }));
  const [version, setVersion] = createSignal(initial.version);
  const [name, setName] = createSignal(initial.name);
  const [color, setColor] = createSignal(initial.color);
  const [parentId, setParentId] = createSignal<string>(initial.parentId ?? '');
  const [description, setDescription] = createSignal<CodeDescription>(parseDescription(initial.description));
  const [refusal, setRefusal] = createSignal<ApiError>();
  const [saved, setSaved] = createSignal(false);
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
    editor.setBusy(true);
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
    editor.setBusy(false);
    setRefusal(refused);
    if (!refused) {
      setVersion(props.code.version);
      setSaved(true);
      props.announce(t('codebook.saved', { name: name().trim() }));
    }
  };
  return {
    ...{ name, setName, color, setColor, parentId, setParentId, description, setDescription },
    ...{ refusal, saved, reload, save },
    changedElsewhere: () => props.code.version !== version() && !editor.busy(),
  };
}

type CodeDraft = ReturnType<typeof createCodeDraft>;

function CodeForm(props: { editor: EditorContext; draft: CodeDraft }) {
  let nameInput: HTMLInputElement | undefined;
  const outer = () => props.editor.props;
  onMount(() => nameInput?.focus());
  const part = (key: keyof CodeDescription, label: string, rows: number) => (
    <label class="field">
      <span>{label}</span>
      <textarea
        rows={rows}
        value={props.draft.description()[key]}
        readOnly={!outer().canManage}
        onInput={(e) => props.draft.setDescription((d) => ({ ...d, [key]: e.currentTarget.value }))}
      />
    </label>
  );
  return (
    <form class="stack" onSubmit={(e) => void props.draft.save(e)}>
      <Show when={outer().canManage}>
        <div class="field-row">
          <label class="field grow">
            <span>{t('codebook.editName')}</span>
            <input
              ref={nameInput}
              required
              maxLength={200}
              autocomplete="off"
              value={props.draft.name()}
              onInput={(e) => props.draft.setName(e.currentTarget.value)}
            />
          </label>
          <label class="field color-field">
            <span>{t('codebook.editColor')}</span>
            <input
              type="color"
              value={props.draft.color()}
              onInput={(e) => props.draft.setColor(e.currentTarget.value)}
            />
          </label>
        </div>
        <label class="field">
          <span>{t('codebook.editParent')}</span>
          <select
            value={props.draft.parentId()}
            onChange={(e) => props.draft.setParentId(e.currentTarget.value)}
          >
            <option value="">{t('codebook.noParent')}</option>
            <CodeOptions items={props.editor.parents()} />
          </select>
        </label>
      </Show>
      {part('definition', t('codebook.definition'), 2)}
      {part('whenToUse', t('codebook.whenToUse'), 2)}
      {part('whenNotToUse', t('codebook.whenNotToUse'), 2)}
      {part('example', t('codebook.example'), 2)}
      <SaveOutcome draft={props.draft} />
      <div class="button-row">
        <Show when={outer().canManage}>
          <button type="submit" class="primary" disabled={props.editor.busy()}>
            {t('codebook.save')}
          </button>
        </Show>
        <button type="button" onClick={() => outer().onClose()}>
          {t('common.close')}
        </button>
      </div>
    </form>
  );
}

/** What became of the last save: changed by someone else meanwhile, refused, or saved. */
function SaveOutcome(props: { draft: CodeDraft }) {
  return (
    <>
      <Show when={props.draft.changedElsewhere() && !props.draft.refusal()}>
        <p class="notice warning">{t('codebook.changedElsewhere')}</p>
      </Show>
      <Show when={props.draft.refusal()}>
        {(failure) => (
          <div class="alert" role="alert">
            <p>
              {failure().status === 409 && failure().code === 'conflict'
                ? t('codebook.conflict')
                : errorMessage(failure())}
            </p>
            <Show when={failure().status === 409 && failure().code === 'conflict'}>
              <button type="button" class="small-button" onClick={() => props.draft.reload()}>
                {t('codebook.reload')}
              </button>
            </Show>
          </div>
        )}
      </Show>
      <Show when={props.draft.saved() && !props.draft.refusal()}>
        <p class="notice" role="status">
          {t('codebook.savedNotice')}
        </p>
      </Show>
    </>
  );
}
