// Child process for tests/store/sqlite.test.ts: records COUNT decisions into one case of
// the SQLite file through the compiled store (run `npm run build` first).
// Usage: node record-many.js FILE CASE_ID COUNT TAG
// Protocol: once the store is open it prints "ready\n" on stderr and waits for a line on
// stdin, so the parent can start every child at the same moment; when done it prints
// the numbers it was given, as JSON, on stdout.
'use strict';
const path = require('node:path');
const { openSqliteStore } = require(path.join(__dirname, '..', '..', '..', 'dist', 'src', 'store', 'sqlite.js'));

function waitForGo() {
  return new Promise((resolve, reject) => {
    process.stdin.once('data', () => resolve());
    process.stdin.once('error', reject);
  });
}

async function main() {
  const [file, caseId, countText, tag] = process.argv.slice(2);
  const count = Number(countText);
  const store = openSqliteStore(file);
  const numbers = [];
  try {
    process.stderr.write('ready\n');
    await waitForGo();
    process.stdin.pause();
    for (let i = 0; i < count; i += 1) {
      const now = new Date().toISOString();
      const author = { id: tag, name: tag };
      const decision = await store.recordDecision(
        caseId,
        { sprint: 1, text: `${tag} ${i}`, author, at: now, sourceUrl: null },
        { id: `${tag}-change-${i}`, caseId, actor: author, at: now, description: `recorded ${tag} ${i}` },
      );
      numbers.push(decision.number);
      // Let go of the write lock for a moment so the other process gets turns and the
      // two really interleave (a tight loop retakes the lock before the other wakes).
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
    }
  } finally {
    await store.close();
  }
  process.stdout.write(JSON.stringify(numbers));
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
