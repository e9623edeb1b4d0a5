/**
 * A project damaged on disk, against a real server: it starts, serves the other projects, and
 * answers 503 project_damaged in French for the damaged one, whose files stay byte for byte as
 * they were (the administrator repairs them: docs/deployment.md, « Projet endommagé »).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fingerprint, settledFingerprint } from '../helpers/data-folder.ts';
import { Client, startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let lead: Client;
let damaged: string;
let healthy: string;

beforeEach(async () => {
  server = await startTestServer();
  lead = new Client(() => server.url);
  expect(
    (await lead.post('/api/auth/setup', { username: 'admin', password: 'mot-de-passe-admin' })).status,
  ).toBe(201);
  damaged = (await lead.post('/api/projects', { name: 'Urgences' })).body.id;
  healthy = (await lead.post('/api/projects', { name: 'Billetterie' })).body.id;
  for (const id of [damaged, healthy]) {
    const res = await lead.post(`/api/projects/${id}/documents`, {
      name: 'e.txt',
      text: 'Camille : bonjour.',
    });
    expect(res.status).toBe(201);
  }
});
afterEach(async () => {
  vi.restoreAllMocks();
  await server.stop();
});

describe('a damaged project', () => {
  const damages: [string, (journal: string) => string][] = [
    [
      'a flipped bit in an acknowledged line (coderId → cnderId style)',
      (j) => j.replace('"createdBy"', '"creatdBy"'),
    ],
    ['an emptied journal', () => ''],
    ['a garbage line in the middle', (j) => j.replace('\n', '\nceci n’est pas du JSON\n')],
  ];
  it.each(damages)(
    '%s: 503 project_damaged for it, the others served, its files untouched',
    async (_what, edit) => {
      const journal = join(server.dataDir, 'projects', damaged, 'events.jsonl');
      await settledFingerprint(server.dataDir);
      const original = await readFile(journal, 'utf8');
      vi.spyOn(console, 'error').mockImplementation(() => undefined);
      // The fingerprint of the damaged folder as the administrator left it, before the start.
      let before = await fingerprint(server.dataDir);
      await server.restart(async () => {
        await writeFile(journal, edit(original));
        before = await fingerprint(server.dataDir);
      });

      const res = await lead.get(`/api/projects/${damaged}`);
      expect(res.status).toBe(503);
      expect(res.body.error).toMatchObject({
        code: 'project_damaged',
        message: expect.stringMatching(/Ce projet est endommagé sur le disque : il reste fermé/),
      });
      expect((await lead.get(`/api/projects/${damaged}/documents`)).status).toBe(503);
      expect((await lead.get(`/api/projects/${healthy}/documents`)).status).toBe(200);
      expect((await lead.post(`/api/projects/${healthy}/codes`, { name: 'Ressaisie' })).status).toBe(201);
      expect(console.error).toHaveBeenCalledWith(expect.stringContaining(journal));
      const after = await settledFingerprint(server.dataDir);
      for (const [path, hash] of Object.entries(before.files)) {
        if (path.startsWith(join('projects', damaged))) expect(after.files[path], path).toBe(hash);
      }
      expect(Object.keys(after.files).filter((p) => p.startsWith(join('projects', damaged)))).toEqual(
        Object.keys(before.files).filter((p) => p.startsWith(join('projects', damaged))),
      );
    },
  );
});
