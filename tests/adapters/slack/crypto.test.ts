/** Tokens at rest: AES-256-GCM, bound to the workspace they belong to. */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DecryptError, decrypt, encrypt } from '../../../adapters/slack/crypto';
import { createInstallationStore } from '../../../adapters/slack/installation-store';
import { openSqliteStore } from '../../../src/store/sqlite';
import type { Installation } from '@slack/bolt';
import { fakeClock } from '../../helpers/fake-clock';
import { tempDir } from '../../helpers/temp-dir';

const key = randomBytes(32);

describe('encrypt / decrypt', () => {
  it('round-trips, with a fresh IV each time', () => {
    const a = encrypt('xoxb-secret', key, 'T1');
    const b = encrypt('xoxb-secret', key, 'T1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('xoxb-secret');
    expect(decrypt(a, key, 'T1')).toBe('xoxb-secret');
  });

  it('refuses the wrong key, another workspace, or a changed value', () => {
    const text = encrypt('xoxb-secret', key, 'T1');
    expect(() => decrypt(text, randomBytes(32), 'T1')).toThrow(DecryptError);
    expect(() => decrypt(text, key, 'T2')).toThrow(DecryptError);
    const parts = text.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(() => decrypt([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'), key, 'T1')).toThrow(DecryptError);
    expect(() => decrypt('plain text', key, 'T1')).toThrow(DecryptError);
  });
});

describe('the installation store', () => {
  const install = (team: string, token: string, enterprise?: string): Installation => ({
    team: { id: team, name: team }, enterprise: enterprise ? { id: enterprise, name: enterprise } : undefined,
    user: { id: 'U1', token: undefined, scopes: undefined }, bot: { id: 'B1', userId: 'U0BOT', token, scopes: ['chat:write'] },
    isEnterpriseInstall: false, authVersion: 'v2', tokenType: 'bot', appId: 'A1',
  });

  it('stores installations encrypted, finds them by team, and deletes exactly the one asked for', async () => {
    const t = tempDir();
    const store = openSqliteStore(path.join(t.dir, 'd.sqlite'));
    try {
      const installs = createInstallationStore({ store, key, clock: fakeClock('2026-11-26T10:00:00Z') });
      await installs.storeInstallation(install('T1', 'xoxb-team-one', 'E1'));
      await installs.storeInstallation(install('T2', 'xoxb-team-two'));
      expect((await store.getInstallation('T1'))?.data).not.toContain('xoxb-team-one');
      expect(await installs.botToken('T1')).toBe('xoxb-team-one');
      expect((await installs.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-team-two');
      await expect(installs.fetchInstallation({ teamId: 'T9', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow('not installed');
      await installs.deleteInstallation({ teamId: 'T1', enterpriseId: 'E1', isEnterpriseInstall: false });
      expect(await installs.botToken('T1')).toBeNull();
      expect(await installs.botToken('T2')).toBe('xoxb-team-two');
    } finally {
      await store.close();
      t.cleanup();
    }
  });

  it('will not read a row copied from another workspace', async () => {
    const t = tempDir();
    const store = openSqliteStore(path.join(t.dir, 'd.sqlite'));
    try {
      const installs = createInstallationStore({ store, key, clock: fakeClock('2026-11-26T10:00:00Z') });
      await installs.storeInstallation(install('T1', 'xoxb-team-one'));
      const row = await store.getInstallation('T1');
      await store.saveInstallation({ key: 'T2', data: row?.data ?? '', updatedAt: '2026-11-26T10:00:00Z' });
      await expect(installs.botToken('T2')).rejects.toThrow(DecryptError);
    } finally {
      await store.close();
      t.cleanup();
    }
  });
});
