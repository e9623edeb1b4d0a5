/** Shared set-up for API tests: a server with an admin signed in, and helpers to build a project. */
import { Client, startTestServer, type TestServer } from '../helpers/server.ts';

export const ADMIN = { username: 'admin', password: 'mot-de-passe-admin' };

export interface World {
  server: TestServer;
  admin: Client;
  /** A new client signed in as a new user (created by the admin). */
  user(username: string): Promise<{ client: Client; id: string }>;
}

export async function startWorld(
  options: { trustProxy?: boolean; maxMediaBytes?: number; serverTiming?: boolean } = {},
): Promise<World> {
  const server = await startTestServer(options);
  const admin = new Client(() => server.url);
  const setup = await admin.post('/api/auth/setup', ADMIN);
  if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${JSON.stringify(setup.body)}`);
  return {
    server,
    admin,
    async user(username: string) {
      const created = await admin.post('/api/users', { username, password: `secret-${username}` });
      if (created.status !== 201) throw new Error(`user creation failed: ${JSON.stringify(created.body)}`);
      const client = new Client(() => server.url);
      const login = await client.post('/api/auth/login', { username, password: `secret-${username}` });
      if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
      return { client, id: created.body.user.id as string };
    },
  };
}

/** A project with one document, as the admin (lead). */
export async function projectWithDocument(client: Client, text: string, name = 'entretien.txt') {
  const project = await client.post('/api/projects', { name: 'Interopérabilité du spectacle vivant' });
  const pid = project.body.id as string;
  const doc = await client.post(`/api/projects/${pid}/documents`, { name, text });
  return { pid, docId: doc.body.documents[0].id as string, base: `/api/projects/${pid}` };
}
