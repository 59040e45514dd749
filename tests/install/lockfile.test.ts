/**
 * `npm install` on a fresh clone must leave package-lock.json as committed. npm rewrites
 * the lockfile's own entry (packages[""]) from package.json: a field changed in one and
 * not the other (an engines range edited by hand) is rewritten on everyone's first
 * install. `.ci/run` also runs `npm install` after `npm ci` and fails on any change.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  name: string; version: string; lockfileVersion: number; packages: Record<string, Record<string, unknown>>;
};

/** The fields npm copies from package.json into the lockfile's root entry. */
const COPIED = ['name', 'version', 'license', 'bin', 'engines', 'os', 'cpu', 'funding', 'workspaces',
  'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta'] as const;

it('the lockfile is of the version npm writes today', () => {
  expect(lock.lockfileVersion).toBe(3);
  expect([lock.name, lock.version]).toEqual([pkg.name, pkg.version]);
});

it.each(COPIED)('the lockfile\'s own entry has package.json\'s %s', (field) => {
  const own = lock.packages[''] ?? {};
  expect(own[field]).toEqual(pkg[field]);
});
