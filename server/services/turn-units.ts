import type { DocumentId, ProjectId } from '../../shared/ids.ts';
import type { DocumentMeta } from '../../shared/model.ts';
import type { Span } from '../../shared/spans.ts';
import { paragraphSpans, unitsOf } from '../../shared/stats/units.ts';
import type { Store } from '../storage/store.ts';

/**
 * The units of turn-level statistics and retrieval of each document: its turns, or its paragraphs
 * when it has none. Texts never change once stored, so the paragraphs found (offsets only, no
 * text) are kept in `cache` for the next request.
 */
export async function unitsByDocument(
  store: Store,
  projectId: ProjectId,
  documents: readonly DocumentMeta[],
  cache: Map<string, Span[]>,
): Promise<Map<string, readonly Span[]>> {
  const out = new Map<string, readonly Span[]>();
  for (const d of documents) {
    if (d.turns.length > 0) {
      out.set(d.id, unitsOf(d));
      continue;
    }
    const key = `${projectId}/${d.id}`;
    let paragraphs = cache.get(key);
    if (paragraphs === undefined) {
      paragraphs = paragraphSpans(await store.readText(projectId, d.id as DocumentId));
      cache.set(key, paragraphs);
    }
    out.set(d.id, unitsOf(d, paragraphs));
  }
  return out;
}
