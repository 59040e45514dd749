// Child process for tests/store/sqlite-processes.test.ts: adds COUNT decisions to one case
// of a SQLite file the way core does, read-decide-commit, retrying when another writer
// committed first. Goes through the compiled store, so run `npm run build` first.
// Usage: node commit-worker.js FILE CHANNEL COUNT TAG
// Protocol: once the store is open it prints "ready\n" on stderr and waits for a line on
// stdin, so the parent can start every child at the same moment; when done it prints
// {"numbers": [...], "retries": n} as JSON on stdout.
'use strict';
const path = require('node:path');

const compiled = path.join(__dirname, '..', '..', '..', 'dist', 'src', 'store', 'sqlite', 'index.js');
const { openSqliteStore } = require(compiled);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function waitForGo() {
  return new Promise((resolve, reject) => {
    process.stdin.once('data', () => resolve());
    process.stdin.once('error', reject);
  });
}

async function main() {
  const [file, channel, countText, tag] = process.argv.slice(2);
  const count = Number(countText);
  const place = { platform: 'slack', workspace: 'T1', channel };
  const author = { id: tag, name: tag };
  const store = openSqliteStore(file);
  const numbers = [];
  let retries = 0;
  try {
    process.stderr.write('ready\n');
    await waitForGo();
    process.stdin.pause();
    for (let i = 0; i < count; i += 1) {
      for (let attempt = 0; ; attempt += 1) {
        if (attempt > 2000) throw new Error(`${tag} gave up on its decision ${i} after ${attempt} attempts`);
        const snap = await store.loadCase(place);
        if (!snap) throw new Error(`no case at ${channel}`);
        const next = snap.decisions.reduce((max, d) => Math.max(max, d.number), -1) + 1;
        const now = new Date().toISOString();
        const version = snap.case.version + 1;
        // Hold the decision for a moment, as core does while it works out a reply, so the
        // other process gets to read the same version and one of the two commits loses.
        await sleep(Math.random() * 2);
        const committed = await store.commit({
          case: { ...snap.case, version, updatedAt: now },
          expectedVersion: snap.case.version,
          putSprints: [],
          deleteSprints: [],
          putDecisions: [{
            number: next, sprint: 1, text: `${tag} ${i}`, author, createdAt: now, updatedAt: now, status: 'active',
            statusReason: null, supersededBy: null, sourceUrl: null, revisions: [],
          }],
          deleteDecisions: [],
          putEvidence: [],
          deleteEvidence: [],
          addChanges: [{
            id: `${tag}-change-${i}`, caseId: snap.case.id, actor: author, at: now, version,
            touches: [`decision.${next}`], description: `recorded Decision ${next}`,
            undo: [{ op: 'deleteDecision', number: next }],
          }],
          undone: [],
        });
        if (committed) {
          numbers.push(next);
          break;
        }
        // Lost: someone else committed first. Read again, after a moment's jitter.
        retries += 1;
        await sleep(Math.random() * 2);
      }
      // A pause between commands, as between chat messages. Without it the process that
      // committed last re-reads first and keeps winning, and the two never interleave.
      await sleep(2 + Math.random() * 4);
    }
  } finally {
    await store.close();
  }
  process.stdout.write(JSON.stringify({ numbers, retries }));
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
