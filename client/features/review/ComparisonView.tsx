import { createMemo, createResource, createSignal, For, Show } from 'solid-js';
import { ErrorAlert } from '../../app/ErrorAlert.tsx';
import { CodePointIndex } from '../../../shared/offsets.ts';
import { t } from '../../i18n/index.ts';
import { compareSpans, matchStatus, type ComparedSegment, type MatchStatus } from './compare.ts';
import { acceptAsConsensus, fetchCodings, fetchDocument, type Coding } from './review-api.ts';
import type { CoderOption, OrderedCode } from './review-state.ts';
import './review.css';

interface Block {
  readonly start: number;
  readonly end: number;
  readonly speaker?: string;
}

/** The document's turns, or its lines when it has none: the pieces shown side by side. */
function blocksOf(text: CodePointIndex, turns: readonly Block[]): Block[] {
  if (turns.length > 0) return [...turns];
  const out: Block[] = [];
  let start = 0;
  for (let at = text.text.indexOf('\n'); at >= 0; at = text.text.indexOf('\n', at + 1)) {
    const i = text.toCodePoint(at);
    if (i > start) out.push({ start, end: i });
    start = i + 1;
  }
  if (text.length > start) out.push({ start, end: text.length });
  return out;
}

/** The text of one block for one coder: their codings marked, those the other lacks set apart. */
function BlockText(props: {
  text: CodePointIndex;
  block: Block;
  segments: readonly ComparedSegment[];
  side: 'a' | 'b';
}) {
  const pieces = () =>
    props.segments
      .filter((s) => s.start < props.block.end && props.block.start < s.end)
      .map((s) => ({
        ...s,
        start: Math.max(s.start, props.block.start),
        end: Math.min(s.end, props.block.end),
      }));
  return (
    <p class="compare-text">
      <For each={pieces()}>
        {(piece) => {
          const mine = props.side === 'a' ? piece.a : piece.b;
          const theirs = props.side === 'a' ? piece.b : piece.a;
          const text = props.text.slice(piece.start, piece.end);
          if (mine && theirs) return <mark class="agree">{text}</mark>;
          if (mine) {
            return (
              <mark class="disagree">
                <span class="visually-hidden">{t('review.compare.onlyHereStart')}</span>
                {text}
                <span class="visually-hidden">{t('review.compare.onlyHereEnd')}</span>
              </mark>
            );
          }
          if (theirs) {
            return (
              <span class="missing">
                <span class="visually-hidden">{t('review.compare.missingStart')}</span>
                {text}
                <span class="visually-hidden">{t('review.compare.missingEnd')}</span>
              </span>
            );
          }
          return <>{text}</>;
        }}
      </For>
    </p>
  );
}

export interface ComparisonProps {
  projectId: string;
  coders: readonly CoderOption[];
  coderA: string;
  coderB: string;
  documents: readonly { id: string; name: string }[];
  codes: readonly OrderedCode[];
}

/** The document and code compared, the two coders' codings of it, and what they do not share. */
function createComparison(props: ComparisonProps) {
  const [documentId, setDocumentId] = createSignal<string>();
  const [codeId, setCodeId] = createSignal<string>();
  const [accepted, setAccepted] = createSignal<readonly string[]>([]);
  const [error, setError] = createSignal<unknown>();
  const currentDocument = () => documentId() ?? props.documents[0]?.id;
  const source = () => {
    const id = currentDocument();
    return id ? { projectId: props.projectId, id } : false;
  };
  const [document] = createResource(source, ({ projectId, id }) => fetchDocument(projectId, id));
  const [codings, { refetch }] = createResource(source, ({ projectId, id }) => fetchCodings(projectId, id));
  /** The document's text, read in code points as the codings' offsets are. */
  const text = createMemo(() => new CodePointIndex(document()?.text ?? ''));
  // Consensus codings are decisions taken here, not a coder's own judgement: compared apart.
  const of = (coder: string, code: string | undefined) =>
    (codings() ?? []).filter((c) => c.coderId === coder && c.codeId === code && !c.consensus);
  /** Codings accepted as consensus, from the server and from this page. */
  const acceptedIds = createMemo(() => [
    ...accepted(),
    ...(codings() ?? []).flatMap((c) => (c.consensus ? [c.consensus.acceptedFrom] : [])),
  ]);
  /** Codes either coder used in this document, in codebook order, with how many codings differ. */
  const usedCodes = createMemo(() =>
    props.codes
      .map((code) => {
        const a = of(props.coderA, code.id);
        const b = of(props.coderB, code.id);
        const differing =
          a.filter((c) => matchStatus(c, b) !== 'same').length +
          b.filter((c) => matchStatus(c, a) !== 'same').length;
        return { code, used: a.length + b.length > 0, differing };
      })
      .filter((entry) => entry.used),
  );
  const currentCode = () => {
    const chosen = codeId();
    if (chosen && usedCodes().some((u) => u.code.id === chosen)) return chosen;
    return (usedCodes().find((u) => u.differing > 0) ?? usedCodes()[0])?.code.id;
  };
  const spansA = () => of(props.coderA, currentCode());
  const spansB = () => of(props.coderB, currentCode());
  const accept = async (coding: Coding) => {
    setError(undefined);
    try {
      await acceptAsConsensus(props.projectId, coding);
      setAccepted((list) => [...list, coding.id]);
      void refetch();
    } catch (failure) {
      setError(failure);
    }
  };
  return {
    ...{ setDocumentId, setCodeId, error, setError, currentDocument, document, codings, text },
    ...{ acceptedIds, usedCodes, currentCode, spansA, spansB, accept },
  };
}

type Comparison = ReturnType<typeof createComparison>;

/**
 * Two coders' codings of one code in one document, side by side, turn by turn (only the turns
 * either coded), disagreements highlighted; and the codings they do not share, each of which can
 * be accepted as the consensus.
 */
export function ComparisonView(props: ComparisonProps) {
  const comparison = createComparison(props);
  const name = (id: string) => props.coders.find((c) => c.id === id)?.name ?? '?';
  return (
    <section class="card comparison" aria-labelledby="comparison-title">
      <h2 id="comparison-title">{t('review.compare.title')}</h2>
      <p class="hint">{t('review.compare.intro', { a: name(props.coderA), b: name(props.coderB) })}</p>
      <ComparisonChoices view={props} comparison={comparison} />
      <ErrorAlert error={comparison.document.error ?? comparison.codings.error} />
      <ErrorAlert error={comparison.error()} onDismiss={() => comparison.setError(undefined)} />
      <Show
        when={comparison.document() && comparison.codings()}
        fallback={<p class="muted">{t('app.loading')}</p>}
      >
        <Show when={comparison.currentCode()} fallback={<p class="muted">{t('review.compare.nothing')}</p>}>
          <SideBySide comparison={comparison} nameA={name(props.coderA)} nameB={name(props.coderB)} />
          <Disagreements view={props} comparison={comparison} name={name} />
        </Show>
      </Show>
    </section>
  );
}

/** Which document, and which of the codes either coder used in it (those that differ first). */
function ComparisonChoices(props: { view: ComparisonProps; comparison: Comparison }) {
  return (
    <div class="review-controls">
      <label class="field">
        <span>{t('review.compare.document')}</span>
        <select onChange={(e) => props.comparison.setDocumentId(e.currentTarget.value)}>
          <For each={props.view.documents}>
            {(d) => (
              <option value={d.id} selected={d.id === props.comparison.currentDocument()}>
                {d.name}
              </option>
            )}
          </For>
        </select>
      </label>
      <label class="field">
        <span>{t('review.compare.code')}</span>
        <select onChange={(e) => props.comparison.setCodeId(e.currentTarget.value)}>
          <For each={props.comparison.usedCodes()}>
            {(entry) => (
              <option value={entry.code.id} selected={entry.code.id === props.comparison.currentCode()}>
                {entry.differing > 0
                  ? t('review.compare.codeOption', { code: entry.code.name, count: entry.differing })
                  : entry.code.name}
              </option>
            )}
          </For>
        </select>
      </label>
    </div>
  );
}

/** The turns either coder coded, each coder's codings marked, with the legend. */
function SideBySide(props: { comparison: Comparison; nameA: string; nameB: string }) {
  const c = () => props.comparison;
  const segments = createMemo(() => compareSpans(c().text().length, c().spansA(), c().spansB()));
  const blocks = createMemo(() =>
    blocksOf(c().text(), c().document()?.turns ?? []).filter((block) =>
      [...c().spansA(), ...c().spansB()].some((s) => s.start < block.end && block.start < s.end),
    ),
  );
  return (
    <>
      <ul class="plain-list compare-legend" aria-label={t('review.compare.legendLabel')}>
        <li>
          <mark class="agree">{t('review.compare.legendAgree')}</mark>
        </li>
        <li>
          <mark class="disagree">{t('review.compare.legendDisagree')}</mark>
        </li>
        <li>
          <span class="missing">{t('review.compare.legendMissing')}</span>
        </li>
      </ul>
      <div class="compare-grid" role="group" aria-label={t('review.compare.sideBySide')}>
        <h3 class="compare-head">{props.nameA}</h3>
        <h3 class="compare-head">{props.nameB}</h3>
        <For each={blocks()}>
          {(block) => (
            <>
              <div class="compare-cell">
                <BlockText text={c().text()} block={block} segments={segments()} side="a" />
              </div>
              <div class="compare-cell">
                <BlockText text={c().text()} block={block} segments={segments()} side="b" />
              </div>
            </>
          )}
        </For>
      </div>
    </>
  );
}

/** The codings the two coders do not share, each of which can be accepted as the consensus. */
function Disagreements(props: {
  view: ComparisonProps;
  comparison: Comparison;
  name: (id: string) => string;
}) {
  const c = () => props.comparison;
  const disagreements = createMemo(() =>
    [
      ...c()
        .spansA()
        .map((x) => ({ coding: x, coder: props.view.coderA, status: matchStatus(x, c().spansB()) })),
      ...c()
        .spansB()
        .map((x) => ({ coding: x, coder: props.view.coderB, status: matchStatus(x, c().spansA()) })),
    ]
      .filter((d) => d.status !== 'same')
      .sort((x, y) => x.coding.start - y.coding.start),
  );
  const agreed = () =>
    c()
      .spansA()
      .filter((x) => matchStatus(x, c().spansB()) === 'same').length;
  const statusLabel = (status: MatchStatus) =>
    status === 'overlap' ? t('review.compare.partial') : t('review.compare.alone');
  return (
    <>
      <h3>{t('review.compare.disagreements')}</h3>
      <p class="muted small">{t('review.compare.agreed', { count: agreed() })}</p>
      <Show when={disagreements().length > 0} fallback={<p class="notice">{t('review.compare.none')}</p>}>
        <div class="table-scroll">
          <table class="review-table" data-testid="disagreements">
            <caption>{t('review.compare.disagreementsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('review.col.coder')}</th>
                <th scope="col">{t('review.col.quote')}</th>
                <th scope="col">{t('review.compare.status')}</th>
                <th scope="col">{t('review.compare.action')}</th>
              </tr>
            </thead>
            <tbody>
              <For each={disagreements()}>
                {(entry) => (
                  <tr>
                    <th scope="row">{props.name(entry.coder)}</th>
                    <td class="quote-cell">« {entry.coding.text} »</td>
                    <td>{statusLabel(entry.status)}</td>
                    <td>
                      <Show
                        when={!c().acceptedIds().includes(entry.coding.id)}
                        fallback={<span class="accepted">{t('review.compare.accepted')}</span>}
                      >
                        <button
                          type="button"
                          class="small-button"
                          onClick={() => void c().accept(entry.coding)}
                          aria-label={t('review.compare.acceptLabel', {
                            coder: props.name(entry.coder),
                            quote: entry.coding.text.slice(0, 60),
                          })}
                        >
                          {t('review.compare.accept')}
                        </button>
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <p class="hint">{t('review.compare.consensusNote')}</p>
      </Show>
    </>
  );
}
