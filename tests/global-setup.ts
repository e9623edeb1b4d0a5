/** Runs once before the test files: builds the client when stale, so browser tests exercise the current UI. */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-client-if-stale.mjs'], { stdio: 'inherit' });
}
