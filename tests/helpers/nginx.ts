/**
 * A real nginx (Debian's nginx-light) in front of a test server, started as the current user with
 * everything in a temporary folder (configuration, pid file, logs, temporary files), on a free
 * loopback port. Without nginx a local run skips with a notice; in CI it fails, never skips.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
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

/** The first `server` block of the nginx example in docs/deployment.md, exactly as documented. */
export async function documentedServer(): Promise<string> {
  const doc = await readFile('docs/deployment.md', 'utf8');
  const example = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  const block = example?.slice(0, example.indexOf('\n}\n') + 2);
  if (!block?.startsWith('server {')) throw new Error('docs/deployment.md : exemple nginx introuvable.');
  return block;
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
  /** The proxy's self-signed certificate, for clients to trust. */
  certificate: string;
  stop(): Promise<void>;
}

/**
 * Start nginx with `server` (a documented server block) on a free loopback port, over TLS with a
 * self-signed certificate made for the occasion: its `listen 443` becomes that port, its
 * certificate's paths the temporary ones, and `127.0.0.1:3000` the upstream.
 */
export async function startNginx(server: string, upstream: string): Promise<Proxy> {
  const dir = await mkdtemp(join(tmpdir(), 'verbatim-nginx-'));
  const port = await freePort();
  await new Promise<void>((resolve, reject) =>
    execFile(
      'openssl',
      // prettier-ignore
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', 'key.pem', '-out', 'cert.pem'],
      { cwd: dir },
      (error) => (error ? reject(error) : resolve()),
    ).stdin?.end(),
  );
  const adapted = server
    .replace(/listen 443 /, `listen 127.0.0.1:${port} `)
    .replace(/ssl_certificate .*;/, `ssl_certificate ${dir}/cert.pem;`)
    .replace(/ssl_certificate_key .*;/, `ssl_certificate_key ${dir}/key.pem;`)
    .replaceAll('127.0.0.1:3000', upstream);
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
${adapted}
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
    url: `https://127.0.0.1:${port}`,
    certificate: await readFile(join(dir, 'cert.pem'), 'utf8'),
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
