// Child process: another program holding SQLite's write lock on FILE for MS milliseconds,
// as a backup tool or a second bot process stuck in a transaction would.
// Usage: node hold-lock.js FILE MS
// Protocol: prints "held\n" once it holds the lock and "released\n" when it lets go.
'use strict';
const Database = require('better-sqlite3');

const [file, msText] = process.argv.slice(2);
const db = new Database(file);
db.pragma('busy_timeout = 5000');
db.exec('BEGIN IMMEDIATE');
process.stdout.write('held\n');
setTimeout(() => {
  db.exec('COMMIT');
  db.close();
  process.stdout.write('released\n');
}, Number(msText));
