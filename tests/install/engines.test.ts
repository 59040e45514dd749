/**
 * `npm install` warns EBADENGINE when a package in the lockfile does not support the Node
 * running it. The lowest version of each Node line this project supports must satisfy every
 * package installed, so no supported Node sees that warning.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';

const root = join(__dirname, '..', '..');
const ours = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[] }> };

const lowest = ours.split('||').map((branch) => semver.minVersion(branch.trim())?.version ?? `unreadable: ${branch}`);

it('supports Node 20 and 22', () => {
  expect(lowest.map((v) => semver.major(v))).toEqual([20, 22]);
  expect(semver.satisfies(process.versions.node, ours)).toBe(true);
});

it.each(lowest)('installs on Node %s with no package asking for another Node', (version) => {
  const refusing = Object.entries(lock.packages)
    .map(([name, entry]) => [name, Array.isArray(entry.engines) ? undefined : entry.engines?.node] as const)
    .filter(([, range]) => range !== undefined && !semver.satisfies(version, range))
    .map(([name, range]) => `${name.replace(/^.*node_modules\//, '')} wants node ${range}`);
  expect(refusing).toEqual([]);
});
