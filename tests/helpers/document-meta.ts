import type { DocumentId, UserId } from '../../shared/ids.ts';
import type { DocumentMeta } from '../../shared/model.ts';
import { detectTurns } from '../../shared/turns.ts';

/** A plain-text document's metadata for `text`, its turns found as at import, for unit tests. */
export function documentMeta(id: string, text: string): DocumentMeta {
  return {
    id: id as DocumentId,
    name: `${id}.txt`,
    length: [...text].length,
    memo: '',
    createdAt: '2025-01-06T09:00:00.000Z' as DocumentMeta['createdAt'],
    createdBy: 'u' as UserId,
    format: 'txt',
    encoding: 'utf-8',
    turns: detectTurns(text),
    participantId: null,
  };
}
