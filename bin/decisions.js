#!/usr/bin/env node
// The compiled CLI. `npm install`/`npm ci` build dist/ through the prepare script.
require('../dist/src/cli.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : String(err)); process.exitCode = 1; },
);
