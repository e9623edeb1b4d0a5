/** The data folder's side of a transfer (pg-transfer.ts): read without writing, or filled once. */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { InstanceEvent, ProjectEvent } from '../../shared/events.ts';
import { isId, type ProjectId } from '../../shared/ids.ts';
import { ensureDirectory, writeFileDurable } from './durable-file.ts';
import { SCHEMA_VERSION as FILE_SCHEMA_VERSION } from './data-folder.ts';
import { readJournal } from './journal.ts';
import { serialiseJournalLine } from './journal-line.ts';
import type { ProjectContent, Reader, Writer } from './pg-transfer.ts';

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

export async function fileWriter(dir: string): Promise<Writer> {
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
