/**
 * Words per document, counted once from the stored text (which never changes) and kept in memory:
 * the documents list and the review totals show words, as researchers count them, beside the
 * code points the offsets use. Only numbers are kept, keyed by ids: no personal data.
 */
import type { DocumentId, ProjectId } from '../../shared/ids.ts';
import type { DocumentMeta } from '../../shared/model.ts';
import { countWords } from '../../shared/text.ts';
import type { Store } from '../storage/store.ts';

const counted = new Map<string, number>();

/** The word count of each document, reading only the texts not counted yet. */
export async function wordCounts(
  store: Store,
  projectId: ProjectId,
  documents: readonly DocumentMeta[],
): Promise<Map<DocumentId, number>> {
  const out = new Map<DocumentId, number>();
  for (const document of documents) {
    const key = `${projectId}/${document.id}`;
    let words = counted.get(key);
    if (words === undefined) {
      words = countWords(await store.readText(projectId, document.id));
      counted.set(key, words);
    }
    out.set(document.id, words);
  }
  return out;
}
