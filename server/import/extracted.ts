import { DomainError } from '../../shared/errors.ts';
import type { TextMark } from '../../shared/model.ts';
import type { SyncPoint } from '../../shared/sync-points.ts';
import type { Turn } from '../../shared/turns.ts';

/**
 * What a format-specific importer hands back. When `turns` is given, `text` is already normalised
 * and the turns are in code points of it (the importer knew the speakers from the file's
 * structure: bold runs, subtitle voices); otherwise turns are detected from the text.
 */
export interface Extracted {
  readonly text: string;
  readonly encoding: string;
  readonly turns?: readonly Turn[];
  /** Headings and emphasis the file's markup gave, in code points of `text` (Markdown). */
  readonly marks?: readonly TextMark[];
  /** Times the file gives (subtitle cues), in code points of `text`; given only with `turns`. */
  readonly syncPoints?: readonly SyncPoint[];
}

/** The error for a file that cannot be read, in plain French, naming the file. */
export function unprocessable(fileName: string, why: string): DomainError {
  return new DomainError('unprocessable', `Le fichier « ${fileName} » ${why}`, { file: fileName });
}
