/**
 * The Node.js versions Verbatim supports are written once, in package.json's `engines`, and must be
 * true: every installed package accepts all of them, the README names the same floor, and the Node
 * running the tests (CI's) is one of them.
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockPackage {
  readonly engines?: { readonly node?: string } | readonly string[];
}

const root = new URL('../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  engines: { node: string };
};
const lock = JSON.parse(readFileSync(new URL('package-lock.json', root), 'utf8')) as {
  packages: Record<string, LockPackage>;
};
const supported = manifest.engines.node;

describe('supported Node.js versions', () => {
  it('is a valid range', () => {
    expect(semver.validRange(supported)).not.toBeNull();
  });

  it('includes the Node.js running the tests', () => {
    expect(semver.satisfies(process.version, supported)).toBe(true);
  });

  it('is accepted by every package of the lock file', () => {
    const refusing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const engines = entry.engines;
      if (path === '' || engines === undefined || Array.isArray(engines)) continue;
      const node = (engines as { node?: string }).node;
      if (node !== undefined && !semver.subset(supported, node)) {
        refusing.push(`${path.replace(/^.*node_modules\//, '')} (${node})`);
      }
    }
    expect(refusing).toEqual([]);
  });

  it('is what the README says', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const floor = semver.minVersion(supported);
    expect(floor).not.toBeNull();
    expect(readme).toContain(`Node.js ${floor?.major}.${floor?.minor}`);
  });
});
