// Child process for tests/store/sqlite-processes.test.ts: opens each of FILES (new,
// empty paths) at a set instant shared with the other children, so several processes
// create and migrate each file at the same moment, as two `serve` started together do.
// Usage: node open-worker.js AT STEP_MS FILE...
// Prints one line per file on stdout: "ok" or the error's message.
'use strict';
const path = require('node:path');

const compiled = path.join(__dirname, '..', '..', '..', 'dist', 'src', 'store', 'sqlite', 'index.js');
const { openSqliteStore } = require(compiled);

async function main() {
  const [atText, stepText, ...files] = process.argv.slice(2);
  const at = Number(atText);
  const step = Number(stepText);
  for (const [i, file] of files.entries()) {
    while (Date.now() < at + i * step) {
      // spin: a timer would wake each child at a different moment
    }
    try {
      const store = openSqliteStore(file);
      await store.close();
      process.stdout.write('ok\n');
    } catch (err) {
      process.stdout.write(`${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
