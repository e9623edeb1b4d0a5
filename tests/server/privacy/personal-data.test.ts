/**
 * The map of personal data (server/privacy/personal-data.ts) names every place Verbatim keeps
 * something: each file of a data folder that has seen every feature, each method of the Store
 * interface that writes, and each PostgreSQL table. A new place not on the map fails here.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupName, createBackup } from '../../../server/backup.ts';
import { isMapped, PERSONAL_DATA } from '../../../server/privacy/personal-data.ts';
import { MIGRATIONS } from '../../../server/storage/pg-schema.ts';
import type { Store } from '../../../server/storage/store.ts';
import { ADMIN } from '../../api/setup.ts';
import { Client, startTestServer, type TestServer } from '../../helpers/server.ts';

/** What each Store method does; the compiler insists every method of the interface is here. */
const STORE_METHODS: Record<keyof Store, 'reads' | 'writes' | 'erases' | 'other'> = {
  kind: 'other',
  // Ids of team members and of the documents they have open, in memory, between instances.
  presenceBus: 'other',
  readInstance: 'reads',
  changeInstance: 'writes',
  listProjects: 'reads',
  readProject: 'reads',
  damagedProject: 'reads',
  createProject: 'writes',
  changeProject: 'writes',
  deleteProject: 'erases',
  erase: 'erases',
  putText: 'writes',
  readText: 'reads',
  readTextIndex: 'reads',
  discardText: 'erases',
  putOriginal: 'writes',
  readOriginal: 'reads',
  readCache: 'reads',
  writeCache: 'writes',
  readEvents: 'reads',
  subscribe: 'other',
  close: 'other',
};

async function allFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      out.push(relative(root, path).split(sep).join('/') + '/', ...(await allFiles(root, path)));
    else out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('the map of personal data', () => {
  it('names every file and folder of a data folder that has seen every feature', async () => {
    server = await startTestServer({ storeOptions: { snapshotEvery: 3, snapshotQuietMs: 0 } });
    const admin = new Client(() => (server as TestServer).url);
    await admin.post('/api/auth/setup', ADMIN);
    const pid = (await admin.post('/api/projects', { name: 'Carte' })).body.id as string;
    const base = `/api/projects/${pid}`;
    const form = new FormData();
    form.append('file', new Blob(['Q : Bonjour.\nCamille : Bonjour.\n']), 'entretien.txt');
    const doc = (await admin.request('POST', `${base}/documents`, form)).body.documents[0];
    const person = (await admin.post(`${base}/participants`, { name: 'Camille Martin' })).body;
    await admin.patch(`${base}/documents/${doc.id}`, { participantId: person.id });
    await admin.put(`${base}/replacements`, { replacements: [{ from: 'Camille', to: 'P01' }] });
    await admin.get(`${base}/search?q=bonjour`);
    const other = (await admin.post('/api/projects', { name: 'Supprimé' })).body.id as string;
    await admin.delete(`/api/projects/${other}`);
    await createBackup(server.dataDir, join(server.dataDir, 'backups', backupName()));
    await server.restart(); // writes the search index to its cache
    const files = await allFiles(server.dataDir);
    expect(files).toContain(`projects/${pid}/project.json`);
    expect(files.some((f) => f.includes('/cache/'))).toBe(true);
    expect(files.some((f) => f.includes('/originals/'))).toBe(true);
    expect(files.filter((f) => !f.endsWith('/') && !isMapped(f))).toEqual([]);
  });

  it('names every Store method that writes, and every PostgreSQL table', () => {
    const written = new Set(PERSONAL_DATA.flatMap((p) => p.writtenBy));
    const writers = Object.entries(STORE_METHODS).filter(([, what]) => what === 'writes');
    expect(writers.map(([name]) => name).filter((name) => !written.has(name))).toEqual([]);
    const tables = MIGRATIONS.flatMap((m) =>
      [...m.sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g)].map((x) => x[1]),
    );
    const mapped = new Set([...PERSONAL_DATA.flatMap((p) => p.tables), 'schema_migrations']);
    expect(tables.length).toBeGreaterThan(3);
    expect(tables.filter((t) => !mapped.has(t as string))).toEqual([]);
  });

  it('says for each place how erasure reaches it', () => {
    for (const place of PERSONAL_DATA) expect(place.erasure.length, place.name).toBeGreaterThan(5);
    expect(isMapped('projects/abc/texts/def.txt')).toBe(true);
    expect(isMapped('projects/abc/exports/def.docx')).toBe(false);
  });
});
