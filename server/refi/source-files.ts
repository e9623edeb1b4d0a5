import { isDomainError } from '../../shared/errors.ts';
import type { UserId } from '../../shared/ids.ts';
import { decodePlainText } from '../import/plain-text.ts';
import { refiRefusal } from './read-codes.ts';
import type { RefiNote, RefiProject, RefiTextSource } from './read-project.ts';

/** What an import reads besides the project XML, and on whose behalf. */
export interface ImportContext {
  readonly fileName: string;
  readonly userId: UserId;
  readonly now: string;
  readonly sources: ReadonlyMap<string, Uint8Array>;
  /**
   * Whether recordings can be kept, and their size limit (VERBATIM_MAX_MEDIA_MB); undefined when
   * the storage keeps none (PostgreSQL), so that recordings are left aside with a warning.
   */
  readonly recordings?: { readonly maxBytes: number } | undefined;
}

/** The original file kept beside a stored text. */
export interface OriginalFile {
  readonly format: string;
  readonly bytes: Uint8Array;
}

/** The file named by `internal://name` in the sources folder, or undefined when it holds none. */
export function findInternalFile(path: string, context: ImportContext): Uint8Array | undefined {
  const match = /^internal:\/\/\/?(.+)$/i.exec(path.trim());
  return match ? context.sources.get((match[1] as string).toLowerCase()) : undefined;
}

/** Resolve `internal://name` in the sources folder; anything else cannot be read from the archive. */
export function internalFile(path: string, context: ImportContext, what: string): Uint8Array {
  if (!/^internal:\/\/\/?(.+)$/i.test(path.trim())) {
    throw refiRefusal(context.fileName, `${what} renvoie à un fichier hors de l'archive (« ${path} »).`);
  }
  const bytes = findInternalFile(path, context);
  if (!bytes)
    throw refiRefusal(context.fileName, `${what} renvoie à « ${path} », absent du dossier sources.`);
  return bytes;
}

/** Where a text is: inline or in a file of the archive (a text source, a transcript). */
export type TextLocation = Pick<
  RefiTextSource,
  'guid' | 'name' | 'content' | 'plainTextPath' | 'richTextPath'
>;

/** A source's raw text (before normalisation), how it was encoded, and the original to keep. */
export function sourceText(
  source: TextLocation,
  context: ImportContext,
): { text: string; encoding: string; original: OriginalFile | undefined } {
  const what = `La source « ${source.name || source.guid} »`;
  let text: string;
  let encoding = 'utf-8';
  let plain: Uint8Array | undefined;
  if (source.content !== undefined) text = source.content;
  else if (source.plainTextPath !== undefined) {
    plain = internalFile(source.plainTextPath, context, what);
    try {
      ({ text, encoding } = decodePlainText(source.name || source.guid, plain));
    } catch (error) {
      if (!isDomainError(error)) throw error;
      throw refiRefusal(context.fileName, `${what} : ${error.message}`);
    }
  } else {
    throw refiRefusal(
      context.fileName,
      `${what} n'a ni texte (PlainTextContent) ni fichier texte (plainTextPath).`,
    );
  }
  const rich = source.richTextPath;
  if (rich !== undefined && /\.docx$/i.test(rich)) {
    return { text, encoding, original: { format: 'docx', bytes: internalFile(rich, context, what) } };
  }
  return { text, encoding, original: plain ? { format: 'txt', bytes: plain } : undefined };
}

/** A note's text, normalised like any text. */
function noteText(note: RefiNote, context: ImportContext): string {
  if (note.content !== undefined) return note.content.replace(/\r\n?/g, '\n').normalize('NFC').trim();
  if (note.plainTextPath === undefined) return '';
  const bytes = internalFile(note.plainTextPath, context, `La note « ${note.name || note.guid} »`);
  return decodePlainText(note.name || note.guid, bytes)
    .text.replace(/\r\n?/g, '\n')
    .normalize('NFC')
    .trim();
}

/** The notes an import turns into memos, counted as they are used. */
export class NoteReader {
  /** How many notes have become memos. */
  count = 0;

  constructor(
    private readonly refi: RefiProject,
    private readonly context: ImportContext,
  ) {}

  /** The texts of the notes referred to, blank ones left out, joined by an empty line. */
  join(refs: readonly string[]): string {
    const texts = refs
      .map((ref) => noteText(this.refi.notes.get(ref) as RefiNote, this.context))
      .filter((t) => t.trim() !== '');
    this.count += texts.length;
    return texts.join('\n\n');
  }
}
