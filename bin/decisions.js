#!/usr/bin/env node
// The compiled CLI. `npm install`/`npm ci` build dist/ once, through the prepare script, so
// `npm start` starts from the build. After the TypeScript changes (a developer's edit, a
// pull), the build is brought up to date first: a few milliseconds of file dates to check.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist', 'src', 'cli.js');

function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    let entries;
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const dir of ['src', 'adapters', 'models']) walk(path.join(root, dir));
  return newest;
}

function built() {
  try { return fs.statSync(entry).mtimeMs; } catch { return 0; }
}

if (built() < newestSource()) {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (fs.existsSync(tsc)) {
    process.stderr.write('Building dist/ (the TypeScript changed since the last build)…\n');
    const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  } else if (built() === 0) {
    process.stderr.write('dist/ is missing and TypeScript is not installed: run `npm install` first.\n');
    process.exit(1);
  }
}

require(entry).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : String(err)); process.exitCode = 1; },
);
