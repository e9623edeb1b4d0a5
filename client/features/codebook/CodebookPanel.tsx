import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import type { Coding } from '../../../shared/model.ts';
import { t } from '../../i18n/index.ts';
import { CodebookTransferPanel } from '../projects/CodebookTransferPanel.tsx';
import type { CodeEditorActions } from './CodeEditor.tsx';
import { createCodeMoves, type CodeMoves } from './code-moves.ts';
import { CodeRow, type CodeRowContext } from './CodeRow.tsx';
import { filterTree, rolledUpCounts, type CodeWithCount, type FlatCode } from './code-tree.ts';
import { NewCodeForm } from './NewCodeForm.tsx';
import './codebook.css';

export interface CodebookPanelProps {
  projectId: string;
  codes: readonly CodeWithCount[];
  flat: readonly FlatCode[];
  /** The codings of one code across the project, read when its editor opens (for the split). */
  loadCodings: (codeId: string) => Promise<readonly Coding[]>;
  /** The seq of the view: the open code's codings are read again when it moves on. */
  seq: () => number;
  canCreate: boolean;
  canManage: boolean;
  mayMove: (coding: Coding) => boolean;
  coderName: (userId: string) => string;
  pins: readonly string[];
  onTogglePin: (codeId: string) => void;
  hidden: ReadonlySet<string>;
  onToggleHidden: (codeId: string) => void;
  onCreate: (input: { name: string; color: string; parentId: string | null }) => Promise<boolean>;
  actions: CodeEditorActions;
  announce: (message: string) => void;
}

/**
 * The codebook beside the transcript: a tree of codes with their live counts, filtered by name;
 * each can be pinned (keys 1–9), shown or hidden in the transcript, opened to edit, dragged under
 * another code or moved with Alt+arrows; a form adds a code.
 */
export function CodebookPanel(props: CodebookPanelProps) {
  const [query, setQuery] = createSignal('');
  const [csvOpen, setCsvOpen] = createSignal(false);
  let list: HTMLUListElement | undefined;
  const tree = createTreeContext(props, query, () => list);
  const shown = tree.shown;

  return (
    <section class="codebook" aria-labelledby="codebook-title">
      <h2 id="codebook-title">{t('codebook.title')}</h2>
      <Show when={props.flat.length > 0}>
        <label class="field compact">
          <span class="visually-hidden">{t('codebook.filter')}</span>
          <input
            type="search"
            placeholder={t('codebook.filter')}
            value={query()}
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
        </label>
      </Show>
      <Show when={props.flat.length > 0} fallback={<p class="muted">{t('codebook.empty')}</p>}>
        <Show when={shown().items.length > 0} fallback={<p class="muted small">{t('codebook.noMatch')}</p>}>
          <p class="hint" id="codebook-keys">
            {props.canManage ? t('codebook.keysLead') : t('codebook.keys')}
          </p>
          <ul class="code-tree" ref={list} aria-describedby="codebook-keys">
            <For each={tree.shownIds()}>
              {(codeId) => <CodeRow item={tree.itemOf(codeId)} context={tree.context} />}
            </For>
          </ul>
          <Show when={tree.context.moves.dragged()}>
            <DropTop moves={tree.context.moves} />
          </Show>
        </Show>
      </Show>
      <Show when={props.canCreate}>
        <NewCodeForm codes={props.codes} flat={props.flat} onCreate={props.onCreate} />
      </Show>
      <details class="codebook-csv" onToggle={(e) => setCsvOpen(e.currentTarget.open)}>
        <summary>{t('codebook.csv')}</summary>
        {/* Drawn only when opened: its form's labels would otherwise mix with the code form's. */}
        <Show when={csvOpen()}>
          <CodebookTransferPanel projectId={props.projectId} canImport={props.canManage} />
        </Show>
      </details>
    </section>
  );
}

/** A code of the tree read through `found` at each access: a row follows its code as it changes. */
function createLiveItem(found: () => FlatCode | undefined): FlatCode {
  return {
    get code() {
      return (found() as FlatCode).code;
    },
    get depth() {
      return found()?.depth ?? 0;
    },
    get path() {
      return found()?.path ?? '';
    },
    get hasChildren() {
      return found()?.hasChildren ?? false;
    },
  };
}

/** What the rows of the tree share: the open editor, pins, the filter's matches, moves. */
function createTreeContext(
  props: CodebookPanelProps,
  query: () => string,
  list: () => HTMLUListElement | undefined,
) {
  const shown = createMemo(() => filterTree(props.flat, query()));
  const [open, setOpen] = createSignal<string>();
  const [openCodings] = createResource(
    () => {
      const codeId = open();
      return codeId !== undefined && !codeId.startsWith('provisional-')
        ? { codeId, seq: props.seq() }
        : false;
    },
    async ({ codeId }) => ({ codeId, codings: await props.loadCodings(codeId) }),
  );
  // Rows are keyed by code id, not by object: a code changed by anyone keeps its row (and an open
  // editor keeps what is being typed in it).
  const shownIds = createMemo(() => shown().items.map((item) => item.code.id as string), [], {
    equals: (a, b) => a.length === b.length && a.every((id, i) => id === b[i]),
  });
  const itemById = createMemo(() => new Map(shown().items.map((item) => [item.code.id as string, item])));
  const codeById = createMemo(() => new Map(props.codes.map((c) => [c.id as string, c])));
  const rolledUp = createMemo(() => rolledUpCounts(props.codes));
  const moves = createCodeMoves(props, { rows: () => shown().items, list, codeById });
  const context: CodeRowContext = {
    get codes() {
      return props.codes;
    },
    get flat() {
      return props.flat;
    },
    get canManage() {
      return props.canManage;
    },
    get hidden() {
      return props.hidden;
    },
    get matches() {
      return shown().matches;
    },
    mayMove: (coding) => props.mayMove(coding),
    coderName: (userId) => props.coderName(userId),
    get actions() {
      return props.actions;
    },
    announce: (message) => props.announce(message),
    onToggleHidden: (codeId) => props.onToggleHidden(codeId),
    onTogglePin: (codeId) => props.onTogglePin(codeId),
    pinNumber: (codeId) => {
      const at = props.pins.indexOf(codeId);
      return at < 0 ? undefined : at + 1;
    },
    rolledUp: (codeId) => rolledUp().get(codeId),
    open,
    setOpen,
    openCode: () => {
      const id = open();
      return id === undefined ? undefined : codeById().get(id);
    },
    closeEditor: () => {
      const id = open();
      setOpen(undefined);
      if (id !== undefined && codeById().has(id)) moves.focusRow(id);
    },
    codingsOf: (codeId) => {
      const read = openCodings.latest;
      return read && read.codeId === codeId ? [...read.codings] : [];
    },
    moves,
  };
  /** A row's code, read through its id: the row follows the code as it changes. */
  const itemOf = (codeId: string): FlatCode => createLiveItem(() => itemById().get(codeId));
  return { shown, shownIds, itemOf, context };
}

/** Where a dragged code is dropped to become a top-level code. */
function DropTop(props: { moves: CodeMoves }) {
  return (
    <div
      class="drop-top"
      classList={{ 'drop-target': props.moves.dropTarget() === null }}
      onDragOver={(e) => {
        e.preventDefault();
        props.moves.setDropTarget(null);
      }}
      onDragLeave={() => props.moves.setDropTarget(undefined)}
      onDrop={(e) => props.moves.drop(e, null)}
    >
      {t('codebook.dropTop')}
    </div>
  );
}
