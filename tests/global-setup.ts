/**
 * Runs once before the test files: builds the client when it is missing or older than its
 * sources, so browser tests always exercise the current UI.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const built = 'dist/client/index.html';
  if (!existsSync('client/index.html')) return;
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(newestMtime('client'), newestMtime('shared')))
    return;
  execFileSync('node_modules/.bin/vite', ['build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
