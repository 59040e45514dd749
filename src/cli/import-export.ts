/**
 * `decisions import` and `decisions export` over any place: a console case, a Slack
 * channel or a Teams conversation. Import runs the same command as Slack's import form,
 * through the case service: it shows what the files hold, replaces an existing case only
 * with --replace, and commits only on the case version it looked at, so a serve process
 * on the same store sees the imported case at once and its people see who imported it.
 */
import type { Writable } from 'node:stream';
import { placeName, safeFileName } from '../core/commands/import-case';
import { count } from '../core/format';
import type { ImportFile } from '../core/import';
import { renderCaseFiles } from '../core/markdown';
import { adrPhaseNotes } from '../core/markdown/adr-phases';
import type { Actor, CaseSnapshot, Place } from '../core/model';
import type { CaseStore } from '../core/ports';
import type { CaseService } from '../core/service';
import type { Reply } from '../core/views';
import { slug } from '../core/service';
import { writeCaseFiles } from './case-files';
import { Refused, UsageError } from './errors';

export interface ImportRequest {
  files: ImportFile[];
  place: Place;
  actor: Actor;
  replace: boolean;
  strict: boolean;
}

function where(place: Place): string {
  return place.platform === 'console' ? `case "${place.channel}"` : placeName(place);
}

/** Imports the files into the place; prints the import report, and each warning on stderr. Returns the announcement for the place. */
export async function importInto(service: CaseService, request: ImportRequest, out: { stdout: Writable; stderr: Writable }): Promise<Reply> {
  const ctx = { place: request.place, actor: request.actor };
  const command = { name: 'import' as const, files: request.files, strict: request.strict, fromCommandLine: true };
  const looked = await service.runCommand(ctx, { ...command, confirm: null });
  if (looked.kind === 'error') throw new Refused(looked.message);
  if (looked.kind !== 'import' || looked.import.preview === null) throw new Error(`import answered ${looked.kind}`);
  const { current, preview, version } = looked.import;
  if (current && !request.replace) {
    const existing = request.place.platform === 'console' ? `There is already a case called "${request.place.channel}"` : `${placeName(request.place)} already has a case`;
    throw new Refused(`${existing} (${count(current.decisions, 'decision')}); nothing imported. Add --replace to replace it.`);
  }
  const done = await service.runCommand(ctx, { ...command, confirm: { version } });
  if (done.kind === 'error') throw new Refused(done.message);
  if (done.kind === 'import') throw new Refused(`The case in ${where(request.place)} changed while importing; nothing imported. Run the command again.`);
  out.stdout.write(`${preview.report.join('\n')}\n`);
  for (const w of preview.warnings) out.stderr.write(`Warning: ${w}\n`);
  return done;
}

/** The place's case as it stands; UsageError in one line when the place has none. */
export async function caseAt(store: CaseStore, place: Place): Promise<CaseSnapshot> {
  const c = await store.findCase(place);
  const snap = c ? await store.snapshot(c.id) : null;
  if (snap) return snap;
  throw new UsageError(place.platform === 'console'
    ? `There is no case "${place.channel}". Import one with: decisions import <file> --case ${place.channel}`
    : `There is no case in ${placeName(place)}. Import one with: decisions import <file> --into ${placeName(place)}`);
}

/** Writes the case as its file(s) into `dir`, under their own names (`export --out-dir`); says each file written, and what a folder of ADRs cannot hold. */
export function exportToDir(snap: CaseSnapshot, dir: string, options: { force: boolean; protect: readonly string[] }, log: Writable): void {
  const { place } = snap.case;
  const fallback = safeFileName(`${place.platform === 'console' ? place.channel : slug(snap.case.title ?? 'business-case')}.md`);
  for (const file of writeCaseFiles(dir, renderCaseFiles(snap, fallback), options)) log.write(`Wrote ${file}\n`);
  for (const note of adrPhaseNotes(snap)) log.write(`Note: ${note}\n`);
}
