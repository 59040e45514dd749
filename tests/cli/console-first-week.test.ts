/** The console, as a person tries it offline (issue 22): the same rules and words as in chat. */
import path from 'node:path';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

it('a sentence starting with a command word gets the record hint, retro says its setting, citations and links read right', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const input = [
      'Search for a supplier through G-Cloud 14',
      'retro',
      'We will use [GOV.UK Notify](https://www.notifications.service.gov.uk) for letters (4b)',
      'lsit',
    ].join('\n');
    const r = await runCli(['console', '--case', 'demo'], { env: { DATA_DIR: path.join(dir, 'data'), USER: 'Ana' }, input });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('That reads as a sentence, so I did not search for it (to search, give a few words: `search paper form`). To record it as a decision, start with `record`.\nDid you mean: record Search for a supplier through G-Cloud 14');
    expect(r.stdout).toContain('The end-of-sprint retro prompt is on here: it posts at 14:00 on the last working day of each sprint, Europe/London time.');
    expect(r.stdout).toContain('Decision 0 (Sprint 0): We will use GOV.UK Notify (https://www.notifications.service.gov.uk) for letters (4b)');
    expect(r.stdout).toContain('A citation points at nothing: this case has no Evidence 4b.');
    expect(r.stdout).toContain('There is no command "lsit".\nDid you mean: list');
    expect(r.stdout).not.toContain('Sorry:');
  } finally {
    cleanup();
  }
});
