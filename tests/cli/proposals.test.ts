/**
 * A case document whose decisions are proposed, rejected or name who took them, through the
 * command line and the console: the import reads them, the console shows and settles them,
 * and the export writes them back as a person wrote them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

let dir: string;
let cleanup: () => void;
let env: Record<string, string>;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  env = { DATA_DIR: path.join(dir, 'data'), USER: 'Ana' };
});
afterEach(() => cleanup());

const DOCUMENT = [
  '# Apply for a fishing licence',
  '',
  '## Key decisions that shaped this',
  '',
  '### Sprint 0',
  '',
  'Decision 0: We will test in private beta first',
  '',
  '_Decided by Priya Shah and Tom_',
  '',
  'Evidence 0a: Two of five teams asked for it',
  '',
  'Decision 1: We will drop the paper form',
  '',
  '_Proposed_',
  '',
  'Decision 2: We will build an app',
  '',
  '_Decided by the service owner_',
  '',
  '_Rejected: Nobody asked for one_',
  '',
].join('\n');

it('imports, shows, settles and exports proposals and who decided', async () => {
  const file = path.join(dir, 'case.md');
  fs.writeFileSync(file, DOCUMENT);
  const imported = await runCli(['import', file, '--case', 'demo', '--strict'], { env });
  expect(imported.code).toBe(0);
  expect((await runCli(['export', '--case', 'demo'], { env })).stdout).toBe(DOCUMENT);

  const shown = await runCli(['console', '--case', 'demo'], { env, input: 'list all\nshow 0' });
  expect(shown.stdout).toContain('Decision 1 (Sprint 0) [proposed, to be agreed]: We will drop the paper form');
  expect(shown.stdout).toContain('Decision 2 (Sprint 0) [rejected: Nobody asked for one]: We will build an app');
  expect(shown.stdout).toContain('  Decided by Priya Shah and Tom');

  const settled = await runCli(['console', '--case', 'demo'], { env, input: 'accept 1 by @Priya Shah' });
  expect(settled.stdout).toContain('Decision 1 accepted by Ana, decided by Priya Shah');
  const exported = (await runCli(['export', '--case', 'demo'], { env })).stdout;
  expect(exported).toContain('Decision 1: We will drop the paper form\n\n_Decided by Priya Shah_\n\nDecision 2');
  // Everything else as it was.
  expect(exported.replace('_Decided by Priya Shah_', '_Proposed_')).toBe(DOCUMENT);
});

it('says where a line naming who decided is out of place, and keeps it as text', async () => {
  const file = path.join(dir, 'case.md');
  fs.writeFileSync(file, DOCUMENT.replace('_Decided by the service owner_\n\n_Rejected: Nobody asked for one_', '_Rejected: Nobody asked for one_\n\n_Decided by the service owner_'));
  const strict = await runCli(['import', file, '--case', 'demo', '--strict'], { env });
  expect(strict.code).toBe(1);
  expect(strict.stderr).toMatch(/^Line 21: Who decided Decision 2 must come before its status\./);
  const kept = await runCli(['import', file, '--case', 'demo'], { env });
  expect(kept.code).toBe(0);
  expect(kept.stderr).toContain('Warning: Line 21: Who decided Decision 2 must come before its status; kept as text of Decision 2.');
});
