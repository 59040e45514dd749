// `npm run teams:package [-- --out file.zip]`: writes the Teams app package, a zip of
// teams/manifest.json, teams/color.png and teams/outline.png, ready to upload in Teams
// (Apps > Manage your apps > Upload an app) or the Developer Portal.
//
// From the environment: MicrosoftAppId becomes the bot's id (the committed manifest
// holds a placeholder), and an https PUBLIC_URL becomes the developer website, the valid
// domain and the channel tab's configuration page (<PUBLIC_URL>/teams/tab/config).
// The manifest is checked against its official JSON schema (bundled in
// the @microsoft/app-manifest package, no network) and the icons' sizes are checked.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import { crc32, deflateRawSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const teamsDir = join(root, 'teams');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(message) {
  process.stderr.write(`teams:package: ${message}\n`);
  process.exit(1);
}

function outPath(argv) {
  const i = argv.findIndex((a) => a === '--out' || a.startsWith('--out='));
  if (i < 0) return join(teamsDir, 'decisions-teams-app.zip');
  const value = argv[i].startsWith('--out=') ? argv[i].slice('--out='.length) : argv[i + 1];
  if (!value) fail('--out needs a file name.');
  return resolve(value);
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(buf) {
  if (buf.length < 24 || buf.readUInt32BE(0) !== 0x89504e47 || buf.toString('ascii', 12, 16) !== 'IHDR') return null;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** A zip archive (deflated entries, no directories) of { name, data } files. */
export function zip(files) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  // 1 Jan 2020, 00:00 in DOS format: fixed, so the same inputs give the same bytes.
  const dosTime = 0;
  const dosDate = ((2020 - 1980) << 9) | (1 << 5) | 1;
  for (const { name, data } of files) {
    const nameBuf = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    central.writeUInt16LE(20, 6); // needed
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, packed);
    centrals.push(central, nameBuf);
    offset += local.length + nameBuf.length + packed.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** The manifest with this deployment's bot id and web address. */
export function configure(manifest, env) {
  const m = JSON.parse(JSON.stringify(manifest));
  const appId = (env.MicrosoftAppId ?? '').trim();
  if (appId !== '') {
    if (!GUID.test(appId)) fail(`MicrosoftAppId must be a GUID (got "${appId.slice(0, 40)}").`);
    for (const bot of m.bots ?? []) bot.botId = appId;
    for (const ext of m.composeExtensions ?? []) ext.botId = appId;
  }
  const publicUrl = (env.PUBLIC_URL ?? '').trim();
  if (publicUrl.startsWith('https://')) {
    const url = new URL(publicUrl);
    m.developer.websiteUrl = url.href;
    m.validDomains = [url.host];
    // The channel tab's configuration page is served by the bot, at its public address.
    const base = url.href.replace(/\/+$/, '');
    for (const tab of m.configurableTabs ?? []) tab.configurationUrl = `${base}/teams/tab/config`;
  }
  return m;
}

async function validate(manifest) {
  let AppManifestUtils;
  try {
    const require = createRequire(import.meta.url);
    ({ AppManifestUtils } = require('@microsoft/app-manifest'));
  } catch {
    process.stderr.write('teams:package: @microsoft/app-manifest is not installed (a dev dependency), so the schema check is skipped.\n');
    return;
  }
  const errors = await AppManifestUtils.validateAgainstSchema(manifest);
  if (errors.length > 0) fail(`the manifest does not match its schema:\n  ${errors.join('\n  ')}`);
}

async function main() {
  const out = outPath(process.argv.slice(2));
  const manifest = configure(JSON.parse(readFileSync(join(teamsDir, 'manifest.json'), 'utf8')), process.env);
  if (manifest.bots?.[0]?.botId === '00000000-0000-0000-0000-000000000000') {
    process.stderr.write('teams:package: MicrosoftAppId is not set, so the package keeps the placeholder bot id: set it to your Azure Bot\'s app id before uploading.\n');
  }
  await validate(manifest);
  const icons = { [manifest.icons.color]: 192, [manifest.icons.outline]: 32 };
  const files = [{ name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') }];
  for (const [name, size] of Object.entries(icons)) {
    const data = readFileSync(join(teamsDir, name));
    const got = pngSize(data);
    if (!got || got.width !== size || got.height !== size) fail(`${name} must be a ${size}x${size} PNG.`);
    files.push({ name, data });
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, zip(files));
  process.stdout.write(`Wrote ${out} (${files.map((f) => f.name).join(', ')})\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
}
