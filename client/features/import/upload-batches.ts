/**
 * Batches of transcript files sent to the server: each drop (or pick) is one multipart request with
 * its own progress, then one outcome per file, in the order the files were given.
 */
import { createStore, produce } from 'solid-js/store';
import { ApiError, api } from '../../api/client.ts';
import { uploadFiles, type UploadProgress } from '../../api/upload.ts';

/** The extensions the server's importers read (see server/import/index.ts). */
export const ACCEPTED_EXTENSIONS = [
  '.txt',
  '.md',
  '.docx',
  '.odt',
  '.rtf',
  '.html',
  '.htm',
  '.vtt',
  '.srt',
  '.pdf',
] as const;

/** A document as the upload answer summarises it. */
export interface ImportedDocument {
  id: string;
  name: string;
  format: string;
  encoding: string;
  turnCount: number;
}

/** One file's fate: imported as a document, or refused with the server's reason. */
export type FileOutcome =
  | { file: string; ok: true; document: ImportedDocument }
  | { file: string; ok: false; code: string; message: string };

export interface Batch {
  id: number;
  files: string[];
  progress: UploadProgress;
  state: 'sending' | 'done' | 'failed';
  outcomes: FileOutcome[];
  /** A failure of the whole request (network, session expired…), when no file was reported. */
  error?: unknown;
}

interface FileError {
  file: string;
  code: string;
  message: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The `errors: [{file, code, message}]` of an upload answer, skipping anything malformed. */
function fileErrorsOf(body: unknown): FileError[] {
  if (!isRecord(body) || !Array.isArray(body.errors)) return [];
  return body.errors.filter(
    (e): e is FileError =>
      isRecord(e) &&
      typeof e.file === 'string' &&
      typeof e.code === 'string' &&
      typeof e.message === 'string',
  );
}

/** The `documents` of an upload answer, skipping anything malformed. */
function documentsOf(body: unknown): ImportedDocument[] {
  if (!isRecord(body) || !Array.isArray(body.documents)) return [];
  return body.documents.filter(
    (d): d is ImportedDocument =>
      isRecord(d) &&
      typeof d.id === 'string' &&
      typeof d.name === 'string' &&
      typeof d.encoding === 'string' &&
      typeof d.turnCount === 'number',
  );
}

/**
 * Outcomes in the order the files were sent. Imported documents are matched by name (the server
 * keeps the file name as the document name); errors name their file.
 */
export function outcomesOf(files: readonly string[], body: unknown): FileOutcome[] {
  const documents = documentsOf(body);
  const errors = fileErrorsOf(body);
  const outcomes: FileOutcome[] = [];
  const used = new Set<object>();
  for (const file of files) {
    const error = errors.find((e) => e.file === file && !used.has(e));
    if (error) {
      used.add(error);
      outcomes.push({ file, ok: false, code: error.code, message: error.message });
      continue;
    }
    const document = documents.find((d) => d.name === file && !used.has(d));
    if (document) {
      used.add(document);
      outcomes.push({ file, ok: true, document });
    }
  }
  // Anything the server answered about that did not match a sent name still gets shown.
  for (const error of errors.filter((e) => !used.has(e))) {
    outcomes.push({ file: error.file, ok: false, code: error.code, message: error.message });
  }
  for (const document of documents.filter((d) => !used.has(d))) {
    outcomes.push({ file: document.name, ok: true, document });
  }
  return outcomes;
}

/** The batches of one import page, and the action that sends a new one. */
export function createUploadBatches(projectId: () => string) {
  const [batches, setBatches] = createStore<Batch[]>([]);
  let next = 0;

  async function send(files: readonly File[]): Promise<void> {
    if (files.length === 0) return;
    next += 1;
    const id = next;
    const names = files.map((f) => f.name);
    const total = files.reduce((sum, f) => sum + f.size, 0);
    setBatches((list) => [
      { id, files: names, progress: { loaded: 0, total }, state: 'sending', outcomes: [] },
      ...list,
    ]);
    const update = (change: (batch: Batch) => void) =>
      setBatches(
        (b) => b.id === id,
        produce((batch) => change(batch)),
      );
    const url = api.projects[':projectId'].documents.$url({ param: { projectId: projectId() } });
    try {
      const body = await uploadFiles(url, files, (progress) => update((b) => (b.progress = progress)));
      update((b) => {
        b.progress = { loaded: b.progress.total, total: b.progress.total };
        b.state = 'done';
        b.outcomes = outcomesOf(names, body);
      });
    } catch (failure) {
      const outcomes = failure instanceof ApiError ? outcomesOf(names, failure.body) : [];
      update((b) => {
        b.state = 'failed';
        b.outcomes = outcomes;
        if (outcomes.length === 0) b.error = failure;
      });
    }
  }

  return { batches, send };
}
