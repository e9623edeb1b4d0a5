/**
 * Moving a team's data between the embedded store (a data folder) and PostgreSQL, either way:
 * the event logs are copied as they are (every event keeps its seq, txn, time and author), with the
 * texts and the original files. Derived data (snapshots, search index caches) is left behind and
 * rebuilt by the server. The source is only read; the target must be empty.
 *
 * After the copy the target is read back and, for the instance and each project, counts and a
 * SHA-256 of its content (events in canonical JSON, texts, originals) are compared with the
 * source's. Each side lives in its own module: transfer-folder.ts, transfer-pg.ts.
 */
import { createHash } from 'node:crypto';
import {
  applyInstanceEvent,
  applyProjectEvent,
  emptyInstanceState,
  emptyProjectState,
  type InstanceEvent,
  type ProjectEvent,
} from '../../shared/events.ts';
import type { ProjectId } from '../../shared/ids.ts';
import { fileReader, fileWriter } from './transfer-folder.ts';
import { pgReader, pgWriter } from './transfer-pg.ts';
import { storableInstance, storableProject, type RepairPolicy } from './transfer-repair.ts';

/** Everything a project is made of, as copied. */
export interface ProjectContent {
  id: ProjectId;
  events: ProjectEvent[];
  /** documentId → normalised text */
  texts: Map<string, string>;
  originals: { documentId: string; format: string; bytes: Uint8Array }[];
}

/** Counts and checksum of one log, compared between source and target. */
export interface Tally {
  name: string;
  events: number;
  /** What the folded state holds: documents, codes, codings (projects) or users, sessions. */
  counts: Record<string, number>;
  texts: number;
  originals: number;
  sha256: string;
}

export interface TransferReport {
  source: Tally[];
  target: Tally[];
  /** Lines describing each difference; empty when the copy is faithful. */
  differences: string[];
  /** With `repair`: one line per event or text whose unstorable characters were replaced. */
  repairs: string[];
}

export interface TransferOptions {
  /**
   * Replace each character PostgreSQL cannot store (NUL, lone surrogate) by U+FFFD in the copy,
   * rather than stop at the first one (see transfer-repair.ts).
   */
  repair?: boolean;
}

/** A store read for copying: read-only, at one consistent moment. */
export interface Reader {
  read<T>(
    visit: (content: {
      instance: InstanceEvent[];
      projectIds: ProjectId[];
      project(id: ProjectId): Promise<ProjectContent>;
    }) => Promise<T>,
  ): Promise<T>;
}

/** An empty store being filled by a copy. */
export interface Writer {
  write(instance: InstanceEvent[], projects: AsyncIterable<ProjectContent>): Promise<void>;
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//.test(location);
}

/**
 * Copy the store at `from` into the empty store at `to` (each a data folder or a postgres:// URL),
 * then compare. Throws before writing anything when the target is not empty or the source is in
 * use; the returned report lists any difference found after the copy.
 */
export async function transfer(
  from: string,
  to: string,
  options: TransferOptions = {},
): Promise<TransferReport> {
  if (isPostgresUrl(from) === isPostgresUrl(to) && from === to) {
    throw new Error('La source et la cible sont la même.');
  }
  const reader = isPostgresUrl(from) ? pgReader(from) : fileReader(from);
  const writer = isPostgresUrl(to) ? await pgWriter(to) : await fileWriter(to);
  const policy: RepairPolicy = { repair: options.repair ?? false, repairs: [] };
  const source = await reader.read(async ({ instance, projectIds, project }) => {
    const storable = storableInstance(instance, policy);
    const tallies: Tally[] = [tallyInstance(storable)];
    async function* contents(): AsyncIterable<ProjectContent> {
      for (const id of projectIds) {
        const content = storableProject(await project(id), policy);
        tallies.push(tallyProject(content));
        yield content;
      }
    }
    await writer.write(storable, contents());
    return tallies;
  });
  const target = await tallyStore(isPostgresUrl(to) ? pgReader(to) : fileReader(to));
  return { source, target, differences: compare(source, target), repairs: policy.repairs };
}

/** Counts and checksums of every log of a store, read-only. */
export function tallyStore(reader: Reader): Promise<Tally[]> {
  return reader.read(async ({ instance, projectIds, project }) => {
    const tallies = [tallyInstance(instance)];
    for (const id of projectIds) tallies.push(tallyProject(await project(id)));
    return tallies;
  });
}

/** Tally the store at a folder or URL. */
export function tallyLocation(location: string): Promise<Tally[]> {
  return tallyStore(isPostgresUrl(location) ? pgReader(location) : fileReader(location));
}

function compare(source: readonly Tally[], target: readonly Tally[]): string[] {
  const differences: string[] = [];
  const byName = new Map(target.map((t) => [t.name, t]));
  for (const s of source) {
    const t = byName.get(s.name);
    byName.delete(s.name);
    if (!t) differences.push(`${s.name} : absent de la cible`);
    else if (JSON.stringify(s) !== JSON.stringify(t)) {
      differences.push(`${s.name} : source ${describeTally(s)} ≠ cible ${describeTally(t)}`);
    }
  }
  for (const name of byName.keys()) differences.push(`${name} : dans la cible mais pas dans la source`);
  return differences;
}

export function describeTally(t: Tally): string {
  const counts = Object.entries(t.counts).map(([k, v]) => `${v} ${k}`);
  return [
    `${t.events} évènements`,
    ...counts,
    `${t.texts} textes`,
    `${t.originals} originaux`,
    `sha256 ${t.sha256}`,
  ].join(', ');
}

function tallyInstance(events: readonly InstanceEvent[]): Tally {
  const state = emptyInstanceState();
  for (const event of events) applyInstanceEvent(state, event);
  const hash = createHash('sha256');
  for (const event of events) hash.update(canonicalJson(event)).update('\n');
  return {
    name: 'instance',
    events: events.length,
    counts: {
      comptes: Object.keys(state.users).length,
      sessions: Object.keys(state.sessions).length,
    },
    texts: 0,
    originals: 0,
    sha256: hash.digest('hex'),
  };
}

function tallyProject(content: ProjectContent): Tally {
  const state = emptyProjectState(content.id);
  for (const event of content.events) applyProjectEvent(state, event);
  const hash = createHash('sha256');
  for (const event of content.events) hash.update(canonicalJson(event)).update('\n');
  for (const [documentId, text] of [...content.texts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    hash.update(`text ${documentId} ${Buffer.byteLength(text)}\n`).update(text);
  }
  const originals = [...content.originals].sort((a, b) =>
    `${a.documentId}.${a.format}` < `${b.documentId}.${b.format}` ? -1 : 1,
  );
  for (const o of originals)
    hash.update(`original ${o.documentId}.${o.format} ${o.bytes.length}\n`).update(o.bytes);
  return {
    name: `projet ${content.id} « ${state.project.name} »`,
    events: content.events.length,
    counts: {
      documents: Object.keys(state.documents).length,
      codes: Object.keys(state.codes).length,
      codages: Object.keys(state.codings).length,
    },
    texts: content.texts.size,
    originals: content.originals.length,
    sha256: hash.digest('hex'),
  };
}

/** JSON with object keys sorted, so that the same content hashes the same whatever stored it. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
