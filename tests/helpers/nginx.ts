/**
 * A real nginx (Debian's nginx-light) in front of a test server, started as the current user with
 * everything in a temporary folder (configuration, pid file, logs, temporary files), on a free
 * loopback port. Without nginx a local run skips with a notice; in CI it fails, never skips.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NGINX = '/usr/sbin/nginx';

/** Whether nginx can run here; throws in CI when it is missing. */
export function nginxAvailable(): boolean {
  if (existsSync(NGINX)) return true;
  if (process.env.CI)
    throw new Error(`${NGINX} est introuvable : le test du proxy ne peut pas être sauté en CI.`);
  console.warn(`Test derrière nginx sauté : ${NGINX} est absent (apt-get install -y nginx-light).`);
  return false;
}

/** The `location` blocks of the nginx example in docs/deployment.md, exactly as documented. */
export async function documentedLocations(): Promise<string> {
  const doc = await readFile('docs/deployment.md', 'utf8');
  const example = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!example) throw new Error('docs/deployment.md : exemple nginx introuvable.');
  const start = example.indexOf('  location');
  const end = example.lastIndexOf('}', example.indexOf('\n}\n'));
  if (start < 0 || end < start) throw new Error('docs/deployment.md : blocs location introuvables.');
  return example.slice(start, end + 1);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, log: () => Promise<string>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx s'est arrêté : ${await log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nginx n'écoute pas sur ${port} : ${await log()}`);
}

export interface Proxy {
  url: string;
  stop(): Promise<void>;
}

/** Start nginx on a free loopback port with `locations`, pointing `127.0.0.1:3000` to `upstream`. */
export async function startNginx(locations: string, upstream: string): Promise<Proxy> {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-nginx-'));
  const port = await freePort();
  const config = `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 200m;
${locations.replaceAll('127.0.0.1:3000', upstream)}
  }
}
`;
  await writeFile(join(dir, 'nginx.conf'), config);
  const log = () => readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await waitForPort(port, child, async () => `${stderr}${await log()}`);
  } catch (error) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
