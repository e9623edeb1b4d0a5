// Builds the client when dist/client is missing or older than its sources (npm start runs this).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const built = 'dist/client/index.html';
if (!existsSync('client/index.html')) {
  console.warn('client/index.html absent : rien à construire.');
} else if (!existsSync(built) || statSync(built).mtimeMs < Math.max(newest('client'), newest('shared'))) {
  console.info('Construction de l’interface…');
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
}
