/**
 * The Teams app package: teams/manifest.json against the official JSON schema (the
 * copy bundled in @microsoft/app-manifest, loaded from disk, no network), and the
 * zip `npm run teams:package` writes.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { RECORD_COMMAND_ID } from '../../../adapters/teams/handlers/message-action';
import { HELP } from '../../../src/core/help';
import { tempDir } from '../../helpers/temp-dir';
import { loadNative, nock } from '../../helpers/native';

// Its strip-bom dependency is an ES module: loaded by Node, not Jest.
const { AppManifestUtils } = loadNative<typeof import('@microsoft/app-manifest')>('@microsoft/app-manifest');

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'teams/manifest.json'), 'utf8')) as {
  $schema: string; manifestVersion: string;
  icons: { color: string; outline: string };
  bots: { botId: string; scopes: string[]; commandLists: { commands: { title: string }[] }[] }[];
  composeExtensions: { botId: string; commands: { id: string; type: string; context: string[]; fetchTask: boolean }[] }[];
  configurableTabs: { configurationUrl: string; canUpdateConfiguration: boolean; scopes: string[]; context: string[] }[];
};

function pngInfo(buf: Buffer): { width: number; height: number; colourType: number } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(buf.toString('ascii', 12, 16)).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), colourType: buf[25] ?? -1 };
}

async function schemaErrors(m: unknown): Promise<string[]> {
  const suffix = manifest.$schema.replace('https://developer.microsoft.com/', '');
  const bundled = path.join(path.dirname(require.resolve('@microsoft/app-manifest')), suffix);
  // The package would fetch a schema it does not bundle: insist on the bundled copy.
  expect(fs.existsSync(bundled)).toBe(true);
  const schema = await AppManifestUtils.fetchSchema(manifest.$schema);
  return AppManifestUtils.validateAgainstSchema(m as Parameters<typeof AppManifestUtils.validateAgainstSchema>[0], schema);
}

// The schema must come from the package's files: no network at all.
beforeAll(() => nock.disableNetConnect());

describe('teams/manifest.json', () => {
  it('is a current manifest version that passes the official schema', async () => {
    expect(Number(manifest.manifestVersion)).toBeGreaterThanOrEqual(1.2);
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
    expect(await schemaErrors(manifest)).toEqual([]);
  });

  it('declares a configurable channel tab whose page is on a valid domain', () => {
    const tab = manifest.configurableTabs[0];
    expect(manifest.configurableTabs).toHaveLength(1);
    expect(tab?.scopes).toContain('team');
    expect(tab?.context).toContain('channelTab');
    const host = new URL(tab?.configurationUrl ?? '').host;
    expect((manifest as unknown as { validDomains: string[] }).validDomains).toContain(host);
    expect(new URL(tab?.configurationUrl ?? '').pathname).toBe('/teams/tab/config');
  });

  it('fails the schema when a tab is wrong (the check is real)', async () => {
    const broken = { ...manifest, configurableTabs: [{ configurationUrl: 'https://decisions.example.org/teams/tab/config', scopes: ['everywhere'] }] };
    expect((await schemaErrors(broken)).length).toBeGreaterThan(0);
  });

  it('fails the schema when something is wrong (the check is real)', async () => {
    const broken = { ...manifest, id: 'not-a-guid', accentColor: 'blue' };
    expect((await schemaErrors(broken)).length).toBeGreaterThan(0);
  });

  it('has the bot in every scope, command lists from the grammar, and the message action', () => {
    const bot = manifest.bots[0];
    expect(bot?.scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
    const titles = bot?.commandLists.flatMap((l) => l.commands.map((c) => c.title)) ?? [];
    expect(titles.length).toBeGreaterThan(5);
    for (const title of titles) expect(HELP.map((h) => h.command)).toContain(title);
    const action = manifest.composeExtensions[0]?.commands[0];
    expect(action).toMatchObject({ id: RECORD_COMMAND_ID, type: 'action', context: ['message'], fetchTask: true });
    expect(manifest.composeExtensions[0]?.botId).toBe(bot?.botId);
  });

  it('has a 192x192 colour icon and a 32x32 white-on-transparent outline icon', () => {
    const colour = fs.readFileSync(path.join(root, 'teams', manifest.icons.color));
    expect(pngInfo(colour)).toMatchObject({ width: 192, height: 192 });
    const outline = fs.readFileSync(path.join(root, 'teams', manifest.icons.outline));
    expect(pngInfo(outline)).toEqual({ width: 32, height: 32, colourType: 6 });
  });
});

describe('npm run teams:package', () => {
  it('writes a zip with the manifest (bot id from MicrosoftAppId) and both icons', async () => {
    const t = tempDir('decisions-teams-package-');
    try {
      const out = path.join(t.dir, 'app.zip');
      const appId = '8f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
      const env: NodeJS.ProcessEnv = { ...process.env, MicrosoftAppId: appId, PUBLIC_URL: 'https://decisions.example.gov.uk' };
      execFileSync('npm', ['run', '--silent', 'teams:package', '--', '--out', out], { cwd: root, env, stdio: 'pipe' });
      const zip = new AdmZip(out);
      expect(zip.getEntries().map((e) => e.entryName).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
      const packed = JSON.parse(zip.readAsText('manifest.json')) as typeof manifest & { validDomains: string[] };
      expect(packed.bots[0]?.botId).toBe(appId);
      expect(packed.composeExtensions[0]?.botId).toBe(appId);
      expect(packed.validDomains).toEqual(['decisions.example.gov.uk']);
      // The channel tab, its configuration page at the bot's own address (inside validDomains).
      expect(packed.configurableTabs).toEqual([expect.objectContaining({ configurationUrl: 'https://decisions.example.gov.uk/teams/tab/config', canUpdateConfiguration: true })]);
      expect(packed.configurableTabs[0]?.scopes).toContain('team');
      expect(packed.configurableTabs[0]?.context).toContain('channelTab');
      expect(await schemaErrors(packed)).toEqual([]);
      expect(pngInfo(zip.readFile('color.png') as Buffer)).toMatchObject({ width: 192, height: 192 });
      expect(pngInfo(zip.readFile('outline.png') as Buffer)).toMatchObject({ width: 32, height: 32 });
    } finally {
      t.cleanup();
    }
  });

  it('refuses a MicrosoftAppId that is not a GUID', () => {
    const t = tempDir('decisions-teams-package-');
    try {
      expect(() => execFileSync('npm', ['run', '--silent', 'teams:package', '--', '--out', path.join(t.dir, 'x.zip')], {
        cwd: root, env: { ...process.env, MicrosoftAppId: 'my-bot' }, stdio: 'pipe',
      })).toThrow(/GUID/);
      expect(fs.existsSync(path.join(t.dir, 'x.zip'))).toBe(false);
    } finally {
      t.cleanup();
    }
  });
});
