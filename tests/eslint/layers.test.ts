/**
 * The layer rule (eslint/layers.mjs) proved on files at depth in the real tree, linted by the
 * real ESLint with the project's config. The files are given as text under their paths and
 * never written: a planted .ts file would make `bin/decisions.js`, run by other tests at the
 * same moment, rebuild dist/ with it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface Planted {
  file: string;
  source: string;
}

/** Lints each text as the file at its path, in one ESLint run, and returns each file's layer messages. */
const LINT_TEXTS = `
import { ESLint } from 'eslint';
import { join } from 'node:path';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const p of JSON.parse(input)) {
  const [result] = await eslint.lintText(p.source, { filePath: join(process.cwd(), p.file) });
  out.push(result.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message));
}
process.stdout.write(JSON.stringify(out));
`;

function lintPlanted(planted: Planted[]): string[][] {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', LINT_TEXTS], { cwd: ROOT, input: JSON.stringify(planted), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ESLint failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as string[][];
}

describe('the layers, enforced by lint from any depth', () => {
  it('refuses core reaching a store, an adapter, the server or a driver, a store reaching an adapter, and an adapter reaching a store', () => {
    const got = lintPlanted([
      { file: 'src/core/commands/zz-planted-store.ts', source: "import { openDb } from '../../store/sqlite';\nexport const x = openDb;\n" },
      { file: 'src/core/publishing/zz-planted-adapter.ts', source: "export type { SlackDeps } from '../../../adapters/slack/deps';\n" },
      { file: 'src/core/markdown/zz-planted-server.ts', source: "export const load = (): Promise<unknown> => import('../../server/http');\n" },
      { file: 'src/core/commands/zz-planted-driver.ts', source: "import Database from 'better-sqlite3';\nexport const x = Database;\n" },
      { file: 'src/store/sqlite/zz-planted-adapter.ts', source: "import type { SlackDeps } from '../../../adapters/slack/deps';\nexport type X = SlackDeps;\n" },
      { file: 'models/zz-planted-sdk.ts', source: "import { App } from '@slack/bolt';\nexport const x = App;\n" },
      { file: 'adapters/slack/listeners/zz-planted-store.ts', source: "import { openDb } from '../../../src/store/sqlite/connection';\nexport const x = openDb;\n" },
      { file: 'adapters/teams/zz-planted-model.ts', source: "export * from '../../models/index';\n" },
    ]);
    expect(got).toEqual([
      ['src/core must not import src/store/sqlite: core is the domain; it declares ports and the outside implements them.'],
      ['src/core must not import adapters/slack/deps: core is the domain; it declares ports and the outside implements them.'],
      ['src/core must not import src/server/http: core is the domain; it declares ports and the outside implements them.'],
      ['src/core must not import better-sqlite3: core is the domain; it declares ports and the outside implements them.'],
      ['A store must not import adapters/slack/deps: stores implement the ports and know nothing of chat platforms or the server.'],
      ['A store must not import @slack/bolt: stores implement the ports and know nothing of chat platforms or the server.'],
      ['An adapter must not import src/store/sqlite/connection: adapters reach storage only through the ports core declares.'],
      ['An adapter must not import models/index: adapters reach storage only through the ports core declares.'],
    ]);
  }, 60_000);

  it('lets each layer import what it may: core its own folders, a store the ports, an adapter core', () => {
    const got = lintPlanted([
      { file: 'src/core/commands/zz-planted-core.ts', source: "import type { Case } from '../model';\nexport type X = Case;\n" },
      { file: 'src/store/sqlite/zz-planted-ports.ts', source: "import type { CaseStore } from '../../core/ports';\nimport type { InstallationStore } from '../../../adapters/slack/ports';\nexport type X = CaseStore & InstallationStore;\n" },
      { file: 'adapters/slack/listeners/zz-planted-core.ts', source: "import type { CaseStore } from '../../../src/core/ports';\nexport type X = CaseStore;\n" },
    ]);
    expect(got).toEqual([[], [], []]);
  }, 60_000);
});
