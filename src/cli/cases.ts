/**
 * `decisions cases`: every case in the store, each with the place `--into` and `--from`
 * take (or `--case <name>` for a console case), its title and how many decisions it holds,
 * so nobody has to find a channel's ids elsewhere.
 */
import type { Writable } from 'node:stream';
import { placeName } from '../core/commands/import-case';
import { count } from '../core/format';
import type { Case } from '../core/model';
import type { CaseStore } from '../core/ports';

/** How a case is named on the command line: `slack:T…/C…`, `teams:…/…`, or `--case demo`. */
export function commandLinePlace(c: Pick<Case, 'place'>): string {
  return c.place.platform === 'console' ? `--case ${c.place.channel}` : placeName(c.place);
}

/** Text from a document or a chat, made safe for a terminal: no control characters, one line, short. */
function terminalText(text: string, max = 100): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  const chars = [...flat];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : flat;
}

/** One line a case, places aligned; what to do with them underneath. */
export async function listCases(store: CaseStore, out: Writable): Promise<void> {
  const cases = await store.listCases();
  if (cases.length === 0) {
    out.write('No cases yet. Import one with: decisions import <file> --into slack:<team id>/<channel id> (or --case <name>)\n');
    return;
  }
  const rows: Array<{ place: string; decisions: string; title: string }> = [];
  for (const c of cases) {
    const snap = await store.snapshot(c.id);
    rows.push({ place: commandLinePlace(c), decisions: count(snap?.decisions.length ?? 0, 'decision'), title: terminalText(c.title ?? 'Business case') });
  }
  const placeWidth = Math.max(...rows.map((r) => r.place.length));
  const countWidth = Math.max(...rows.map((r) => r.decisions.length));
  out.write(`${count(cases.length, 'case')}:\n`);
  for (const r of rows) out.write(`  ${r.place.padEnd(placeWidth)}  ${r.decisions.padEnd(countWidth)}  ${r.title}\n`);
  out.write('Give a place to import --into or export --from; a console case with --case <name>.\n');
}
