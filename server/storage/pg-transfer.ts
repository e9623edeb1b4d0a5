/**
 * Moving a team's data between the embedded store (a data folder) and PostgreSQL, either way:
 * the event logs are copied as they are (every event keeps its seq, txn, time and author), with the
 * texts and the original files. Derived data (snapshots, search index caches) is left behind and
 * rebuilt by the server. The source is only read; the target must be empty.
 *
 * After the copy the target is read back and, for the instance and each project, counts and a
 * SHA-256 of its content (events in canonical JSON, texts, originals) are compared with the
 * source's.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import {
  applyInstanceEvent,
  applyProjectEvent,
  emptyInstanceState,
  emptyProjectState,
  type InstanceEvent,
  type ProjectEvent,
} from '../../shared/events.ts';
import { isId, type ProjectId } from '../../shared/ids.ts';
import { ensureDirectory, writeFileDurable } from './durable-file.ts';
import { createPool, inTransaction, type Tx } from './pg-db.ts';
import { insertInstanceEvents, insertProjectEvents } from './pg-events.ts';
import { SCHEMA_VERSION as FILE_SCHEMA_VERSION } from './file-store.ts';
import { readJournal } from './journal.ts';
import { serialiseJournalLine } from './journal-line.ts';
import { migrate, SCHEMA_VERSION as PG_SCHEMA_VERSION } from './pg-schema.ts';
import { projectLabel, storableInstance, storableProject, type RepairPolicy } from './transfer-repair.ts';

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
interface Reader {
  read<T>(
    visit: (content: {
      instance: InstanceEvent[];
      projectIds: ProjectId[];
      project(id: ProjectId): Promise<ProjectContent>;
    }) => Promise<T>,
  ): Promise<T>;
}

interface Writer {
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

// ---- data folder --------------------------------------------------------------------------------

/** Reads a data folder without writing anything in it (not even its lock). */
export function fileReader(dir: string): Reader {
  return {
    async read(visit) {
      await refuseRunningServer(dir);
      const marker = JSON.parse(await readFile(join(dir, 'verbatim.json'), 'utf8')) as {
        format?: string;
        schemaVersion?: number;
      };
      if (marker.format !== 'verbatim-data')
        throw new Error(`${dir} n'est pas un dossier de données Verbatim.`);
      if (marker.schemaVersion !== FILE_SCHEMA_VERSION) {
        throw new Error(
          `${dir} est au schéma ${marker.schemaVersion}, celui-ci lit le ${FILE_SCHEMA_VERSION} : démarrez-le d'abord avec cette version de Verbatim.`,
        );
      }
      const instance = (await readWholeJournal(join(dir, 'instance.events.jsonl'))) as InstanceEvent[];
      const projectIds: ProjectId[] = [];
      for (const entry of await readdir(join(dir, 'projects'), { withFileTypes: true })) {
        if (!entry.isDirectory() || !isId(entry.name)) continue;
        // A project whose first event never became durable was never acknowledged.
        const events = await readWholeJournal(join(dir, 'projects', entry.name, 'events.jsonl'));
        if (events.length > 0) projectIds.push(entry.name as ProjectId);
      }
      projectIds.sort();
      return visit({
        instance,
        projectIds,
        async project(id) {
          const folder = join(dir, 'projects', id);
          const events = (await readWholeJournal(join(folder, 'events.jsonl'))) as ProjectEvent[];
          const texts = new Map<string, string>();
          for (const name of await readdir(join(folder, 'texts')).catch(() => [] as string[])) {
            if (name.endsWith('.txt'))
              texts.set(name.slice(0, -4), await readFile(join(folder, 'texts', name), 'utf8'));
          }
          const originals: ProjectContent['originals'] = [];
          for (const name of await readdir(join(folder, 'originals')).catch(() => [] as string[])) {
            const dot = name.indexOf('.');
            if (dot <= 0 || name.startsWith('.')) continue;
            originals.push({
              documentId: name.slice(0, dot),
              format: name.slice(dot + 1),
              bytes: new Uint8Array(await readFile(join(folder, 'originals', name))),
            });
          }
          return { id, events, texts, originals };
        },
      });
    },
  };
}

async function readWholeJournal(path: string): Promise<unknown[]> {
  const { size } = await stat(path);
  // Complete lines only: a torn last line was never acknowledged.
  return readJournal(path, 0, size);
}

/** A running server would go on writing after the copy: refuse, as the file store itself would. */
async function refuseRunningServer(dir: string): Promise<void> {
  let holder: { pid?: number; hostname?: string };
  try {
    holder = JSON.parse(await readFile(join(dir, 'LOCK'), 'utf8')) as typeof holder;
  } catch {
    return;
  }
  let alive = holder.hostname !== hostname();
  if (!alive && typeof holder.pid === 'number') {
    try {
      process.kill(holder.pid, 0);
      alive = true;
    } catch (error) {
      alive = (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  if (alive) {
    throw new Error(
      `Un serveur Verbatim utilise ${dir} (processus ${holder.pid} sur ${holder.hostname}) : arrêtez-le avant de copier.`,
    );
  }
}

async function fileWriter(dir: string): Promise<Writer> {
  const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  if (existing.length > 0) throw new Error(`Le dossier cible ${dir} n'est pas vide.`);
  return {
    async write(instance, projects) {
      try {
        await writeFolder(dir, instance, projects);
      } catch (error) {
        // The folder was empty: leave it so rather than half-filled.
        for (const entry of await readdir(dir).catch(() => [] as string[])) {
          await rm(join(dir, entry), { recursive: true, force: true });
        }
        throw error;
      }
    },
  };
}

async function writeFolder(
  dir: string,
  instance: readonly InstanceEvent[],
  projects: AsyncIterable<ProjectContent>,
): Promise<void> {
  await ensureDirectory(join(dir, 'projects'));
  await writeFileDurable(join(dir, 'instance.events.jsonl'), jsonLines(instance));
  for await (const project of projects) {
    const folder = join(dir, 'projects', project.id);
    await ensureDirectory(join(folder, 'texts'));
    for (const [documentId, text] of project.texts) {
      await writeFileDurable(join(folder, 'texts', `${documentId}.txt`), text);
    }
    if (project.originals.length > 0) await ensureDirectory(join(folder, 'originals'));
    for (const o of project.originals) {
      await writeFileDurable(join(folder, 'originals', `${o.documentId}.${o.format}`), o.bytes);
    }
    await writeFileDurable(join(folder, 'events.jsonl'), jsonLines(project.events));
  }
  // Written last: a folder without its marker is refused by the server, so an interrupted
  // copy cannot be mistaken for a complete one.
  await writeFileDurable(
    join(dir, 'verbatim.json'),
    JSON.stringify({
      format: 'verbatim-data',
      schemaVersion: FILE_SCHEMA_VERSION,
      createdAt: new Date().toISOString(),
    }),
  );
}

function jsonLines(events: readonly object[]): string {
  return events.map((e) => serialiseJournalLine(e)).join('');
}

// ---- PostgreSQL ---------------------------------------------------------------------------------

/** Reads a database in one read-only, repeatable-read transaction: one consistent moment. */
export function pgReader(url: string): Reader {
  return {
    async read(visit) {
      const db = createPool(url, 1);
      try {
        return await inTransaction(
          db,
          async (tx) => {
            const version = await tx
              .query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations')
              .then(
                (r) => r.rows[0]?.version ?? null,
                () => null,
              );
            if (version !== PG_SCHEMA_VERSION) {
              throw new Error(
                `La base est au schéma ${version ?? 'aucun'}, celui-ci lit le ${PG_SCHEMA_VERSION} : démarrez-la d'abord avec cette version de Verbatim.`,
              );
            }
            const instance = (
              await tx.query<{ body: InstanceEvent }>('SELECT body FROM instance_events ORDER BY seq')
            ).rows.map((r) => r.body);
            const projectIds = (
              await tx.query<{ id: ProjectId }>(
                'SELECT id FROM projects WHERE deleted_at IS NULL ORDER BY id',
              )
            ).rows.map((r) => r.id);
            return visit({
              instance,
              projectIds,
              async project(id) {
                const events = (
                  await tx.query<{ body: ProjectEvent }>(
                    'SELECT body FROM project_events WHERE project_id = $1 ORDER BY seq',
                    [id],
                  )
                ).rows.map((r) => r.body);
                const texts = new Map(
                  (
                    await tx.query<{ document_id: string; text: string }>(
                      'SELECT document_id, text FROM texts WHERE project_id = $1',
                      [id],
                    )
                  ).rows.map((r) => [r.document_id, r.text]),
                );
                const originals = (
                  await tx.query<{ document_id: string; format: string; bytes: Buffer }>(
                    'SELECT document_id, format, bytes FROM originals WHERE project_id = $1',
                    [id],
                  )
                ).rows.map((r) => ({
                  documentId: r.document_id,
                  format: r.format,
                  bytes: new Uint8Array(r.bytes),
                }));
                return { id, events, texts, originals };
              },
            });
          },
          'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
        );
      } finally {
        await db.end();
      }
    },
  };
}

async function pgWriter(url: string): Promise<Writer> {
  const db = createPool(url, 1);
  try {
    await migrate(db);
    const { rows } = await db.query<{ projects: number; events: number }>(
      `SELECT (SELECT count(*)::integer FROM projects) AS projects,
              (SELECT count(*)::integer FROM instance_events) AS events`,
    );
    const { projects = 0, events = 0 } = rows[0] ?? {};
    if (projects > 0 || events > 0) {
      throw new Error(`La base cible n'est pas vide (${projects} projets, ${events} évènements d'instance).`);
    }
  } catch (error) {
    await db.end();
    throw error;
  }
  return {
    async write(instance, contents) {
      try {
        // One transaction: an interrupted copy leaves the database empty, not half-filled.
        await inTransaction(db, async (tx) => {
          for (const chunk of chunks(instance, 1000)) {
            await insertInstanceEvents(tx, chunk);
          }
          await tx.query('UPDATE instance_head SET seq = $1', [instance.at(-1)?.seq ?? 0]);
          for await (const project of contents) await writeProject(tx, project);
        });
      } finally {
        await db.end();
      }
    },
  };
}

async function writeProject(tx: Tx, project: ProjectContent): Promise<void> {
  try {
    await insertProject(tx, project);
  } catch (error) {
    throw new Error(`Impossible de copier le ${projectLabel(project)} : ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function insertProject(tx: Tx, project: ProjectContent): Promise<void> {
  const id = project.id;
  await tx.query('INSERT INTO projects (id, seq) VALUES ($1, $2)', [id, project.events.at(-1)?.seq ?? 0]);
  for (const chunk of chunks(project.events, 1000)) {
    await insertProjectEvents(tx, id, chunk);
  }
  for (const [documentId, text] of project.texts) {
    await tx.query('INSERT INTO texts (project_id, document_id, text) VALUES ($1, $2, $3)', [
      id,
      documentId,
      text,
    ]);
  }
  for (const o of project.originals) {
    await tx.query('INSERT INTO originals (project_id, document_id, format, bytes) VALUES ($1, $2, $3, $4)', [
      id,
      o.documentId,
      o.format,
      Buffer.from(o.bytes),
    ]);
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
