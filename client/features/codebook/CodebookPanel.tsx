import { createMemo, createSignal, For, Show } from 'solid-js';
import { CODE_COLORS, type Coding } from '../../../shared/model.ts';
import type { CodeId } from '../../../shared/ids.ts';
import { formatNumber, t } from '../../i18n/index.ts';
import { CodebookTransferPanel } from '../projects/CodebookTransferPanel.tsx';
import { CodeEditor, type CodeEditorActions } from './CodeEditor.tsx';
import {
  canMoveUnder,
  filterTree,
  keyboardMoveTarget,
  type CodeWithCount,
  type FlatCode,
} from './code-tree.ts';
import './codebook.css';

const PROVISIONAL = 'provisional-';

/**
 * The codebook beside the transcript: a tree of codes with their live counts, filtered by name;
 * each can be pinned (keys 1–9), shown or hidden in the transcript, opened to edit, dragged under
 * another code or moved with Alt+arrows; a form adds a code.
 */
export function CodebookPanel(props: {
  projectId: string;
  codes: readonly CodeWithCount[];
  flat: readonly FlatCode[];
  allCodings: () => ReadonlyMap<string, Coding>;
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
}) {
  const [query, setQuery] = createSignal('');
  const [open, setOpen] = createSignal<string>();
  const [dragged, setDragged] = createSignal<string>();
  const [dropTarget, setDropTarget] = createSignal<string | null>();
  const [color, setColor] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const [csvOpen, setCsvOpen] = createSignal(false);
  let list: HTMLUListElement | undefined;
  let moves: Promise<void> = Promise.resolve();

  const shown = createMemo(() => filterTree(props.flat, query()));
  // Rows are keyed by code id, not by object: a code changed by anyone keeps its row (and an open
  // editor keeps what is being typed in it).
  const shownIds = createMemo(() => shown().items.map((item) => item.code.id as string), [], {
    equals: (a, b) => a.length === b.length && a.every((id, i) => id === b[i]),
  });
  const itemById = createMemo(() => new Map(shown().items.map((item) => [item.code.id as string, item])));
  const nextColor = () => CODE_COLORS[props.codes.length % CODE_COLORS.length] ?? '#4363d8';
  const codeById = createMemo(() => new Map(props.codes.map((c) => [c.id as string, c])));
  const pinNumber = (id: string) => {
    const at = props.pins.indexOf(id);
    return at < 0 ? undefined : at + 1;
  };
  const openCode = () => {
    const id = open();
    return id === undefined ? undefined : codeById().get(id);
  };
  const codingsOf = (codeId: string) => {
    const out: Coding[] = [];
    for (const c of props.allCodings().values()) if (c.codeId === codeId) out.push(c);
    return out.sort((a, b) => a.documentId.localeCompare(b.documentId) || a.start - b.start);
  };

  /** Put a code under another (null: top level), as a lead's move. */
  const moveUnder = async (codeId: string, parentId: string | null) => {
    const code = codeById().get(codeId);
    if (!code || code.parentId === parentId || !canMoveUnder(props.codes, codeId, parentId)) return;
    const refused = await props.actions.updateCode(
      code,
      { parentId: parentId as CodeId | null },
      code.version,
    );
    if (refused) return;
    props.announce(
      parentId === null
        ? t('codebook.movedTop', { name: code.name })
        : t('codebook.movedUnder', { name: code.name, parent: codeById().get(parentId)?.name ?? '?' }),
    );
  };

  const focusRow = (codeId: string) =>
    list?.querySelector<HTMLElement>(`[data-code-id="${codeId}"] .code-handle`)?.focus();

  const onHandleKey = (event: KeyboardEvent, item: FlatCode) => {
    const rows = shown().items;
    const at = rows.findIndex((r) => r.code.id === item.code.id);
    if (event.altKey && (event.key === 'ArrowRight' || event.key === 'ArrowLeft') && props.canManage) {
      event.preventDefault();
      const codeId = item.code.id;
      const direction = event.key === 'ArrowRight' ? 'indent' : 'outdent';
      // Moves are made one after the other, each from where the previous one left the code.
      moves = moves.then(async () => {
        const target = keyboardMoveTarget(props.flat, codeId, direction);
        if (!target) {
          props.announce(t('codebook.cannotMove'));
          return;
        }
        await moveUnder(codeId, target.parentId);
        // Moving a row in the list may take the focus with it: give it back.
        if (!list?.contains(document.activeElement)) focusRow(codeId);
      });
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = rows[at + (event.key === 'ArrowDown' ? 1 : -1)];
      if (next) focusRow(next.code.id);
    } else if (/^[pP]$/.test(event.key)) {
      event.preventDefault();
      props.onTogglePin(item.code.id);
    }
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const parent = String(data.get('parentId') ?? '');
    setBusy(true);
    const ok = await props.onCreate({
      name: String(data.get('name') ?? ''),
      color: String(data.get('color') ?? nextColor()),
      parentId: parent === '' ? null : parent,
    });
    setBusy(false);
    if (ok) {
      // Not form.reset(): it would blank the colour input, whose value is set as a property.
      (form.elements.namedItem('name') as HTMLInputElement).value = '';
      setColor(undefined);
    }
  };

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
            <For each={shownIds()}>
              {(codeId) => {
                const found = () => itemById().get(codeId);
                const item = {
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
                const provisional = () => item.code.id.startsWith(PROVISIONAL);
                const isOpen = () => open() === item.code.id;
                return (
                  <li
                    class="code-item"
                    classList={{
                      provisional: provisional(),
                      match: shown().matches.has(item.code.id),
                      'drop-target': dropTarget() === item.code.id,
                      hidden: props.hidden.has(item.code.id),
                      open: isOpen(),
                    }}
                    data-code-id={item.code.id}
                    style={{ 'padding-left': `${item.depth * 1.25}rem` }}
                    onDragOver={(e) => {
                      const from = dragged();
                      if (!from || !canMoveUnder(props.codes, from, item.code.id) || from === item.code.id)
                        return;
                      e.preventDefault();
                      setDropTarget(item.code.id);
                    }}
                    onDragLeave={() => setDropTarget((d) => (d === item.code.id ? undefined : d))}
                    onDrop={(e) => {
                      e.preventDefault();
                      const from = dragged();
                      setDragged(undefined);
                      setDropTarget(undefined);
                      if (from) void moveUnder(from, item.code.id);
                    }}
                  >
                    <div class="code-row">
                      <span class="swatch" style={{ 'background-color': item.code.color }} />
                      <button
                        type="button"
                        class="code-handle"
                        draggable={props.canManage && !provisional()}
                        aria-expanded={isOpen()}
                        aria-controls={isOpen() ? `code-${item.code.id}-editor` : undefined}
                        aria-label={t('codebook.openCode', { name: item.code.name, level: item.depth + 1 })}
                        disabled={provisional()}
                        onClick={() => setOpen(isOpen() ? undefined : item.code.id)}
                        onKeyDown={(e) => onHandleKey(e, item)}
                        onDragStart={(e) => {
                          setDragged(item.code.id);
                          e.dataTransfer?.setData('text/plain', item.code.name);
                          if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
                        }}
                        onDragEnd={() => {
                          setDragged(undefined);
                          setDropTarget(undefined);
                        }}
                      >
                        <span class="code-name">{item.code.name}</span>
                      </button>
                      <span class="count" title={t('codebook.countLabel', { count: item.code.codings })}>
                        {formatNumber(item.code.codings)}
                      </span>
                      <button
                        type="button"
                        class="icon-button pin"
                        classList={{ pinned: pinNumber(item.code.id) !== undefined }}
                        aria-pressed={pinNumber(item.code.id) !== undefined}
                        aria-label={t('codebook.pin', { name: item.code.name })}
                        title={
                          pinNumber(item.code.id) === undefined
                            ? t('codebook.pinHint')
                            : t('coding.pinKey', { key: pinNumber(item.code.id) ?? '' })
                        }
                        disabled={provisional()}
                        onClick={() => props.onTogglePin(item.code.id)}
                      >
                        {pinNumber(item.code.id) ?? '☆'}
                      </button>
                      <input
                        type="checkbox"
                        class="visibility"
                        checked={!props.hidden.has(item.code.id)}
                        aria-label={t('codebook.show', { name: item.code.name })}
                        title={t('codebook.show', { name: item.code.name })}
                        onChange={() => props.onToggleHidden(item.code.id)}
                      />
                    </div>
                    <Show when={isOpen() ? openCode() : undefined}>
                      {(code) => (
                        <CodeEditor
                          code={code()}
                          codes={props.codes}
                          flat={props.flat}
                          codings={codingsOf(code().id)}
                          canManage={props.canManage}
                          mayMove={props.mayMove}
                          coderName={props.coderName}
                          actions={props.actions}
                          announce={props.announce}
                          onClose={() => {
                            const id = open();
                            setOpen(undefined);
                            if (id !== undefined && codeById().has(id)) focusRow(id);
                          }}
                        />
                      )}
                    </Show>
                  </li>
                );
              }}
            </For>
          </ul>
          <Show when={dragged()}>
            <div
              class="drop-top"
              classList={{ 'drop-target': dropTarget() === null }}
              onDragOver={(e) => {
                e.preventDefault();
                setDropTarget(null);
              }}
              onDragLeave={() => setDropTarget(undefined)}
              onDrop={(e) => {
                e.preventDefault();
                const from = dragged();
                setDragged(undefined);
                setDropTarget(undefined);
                if (from) void moveUnder(from, null);
              }}
            >
              {t('codebook.dropTop')}
            </div>
          </Show>
        </Show>
      </Show>
      <Show when={props.canCreate}>
        <form class="stack code-form" onSubmit={(e) => void submit(e)}>
          <h3>{t('codebook.new')}</h3>
          <label class="field">
            <span>{t('codebook.name')}</span>
            <input name="name" required maxLength={200} autocomplete="off" />
          </label>
          <div class="field-row">
            <label class="field color-field">
              <span>{t('codebook.color')}</span>
              <input
                name="color"
                type="color"
                value={color() ?? nextColor()}
                onInput={(e) => setColor(e.currentTarget.value)}
              />
            </label>
            <label class="field grow">
              <span>{t('codebook.parent')}</span>
              <select name="parentId">
                <option value="">{t('codebook.noParent')}</option>
                <For each={props.flat.filter((item) => !item.code.id.startsWith(PROVISIONAL))}>
                  {(item) => <option value={item.code.id}>{`${'  '.repeat(item.depth)}${item.path}`}</option>}
                </For>
              </select>
            </label>
          </div>
          <button type="submit" class="primary" disabled={busy()}>
            {t('codebook.create')}
          </button>
        </form>
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
