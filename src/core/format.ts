import { format } from 'date-fns/format';
import { TZDate } from '@date-fns/tz';
import type { Case, Decision, Evidence, Sprint, SprintLength } from './model';
import { evidenceLabel } from './model';
import { joinNames } from './markdown/escape';
import { IMPORTER } from './import';
import { shorten } from './markdown/inline';
import { sprintHeading } from './sprints';
import { phaseLabeller } from './phases';
import { pointTitle } from './service-standard';
import type { DecisionView, EvidenceView, PointView } from './views';

/** Points with their titles, for every surface. */
export function pointViews(points: readonly number[]): PointView[] {
  return points.map((number) => ({ number, title: pointTitle(number) }));
}

const times = new Map<string, string>();

/** A moment as people in the case read it: "26 Nov 2026, 09:14". */
export function localTime(iso: string, timeZone: string): string {
  const ms = new Date(iso).getTime();
  // Shown to the minute, and zone offsets are whole minutes: one answer per zone and minute,
  // remembered, since working out a zone's offset is the slow part.
  const key = `${timeZone}|${Math.floor(ms / 60_000)}`;
  let text = times.get(key);
  if (text === undefined) {
    text = format(new TZDate(ms, timeZone), 'd MMM yyyy, HH:mm');
    if (times.size >= 20_000) times.clear();
    times.set(key, text);
  }
  return text;
}

/** A date as people read it: "26 Nov 2026". */
export function localDay(date: string): string {
  return format(new Date(`${date}T12:00:00Z`), 'd MMM yyyy');
}

export function lengthText(length: SprintLength): string {
  const unit = length.count === 1 ? length.unit.slice(0, -1) : length.unit;
  return `${length.count} ${unit}`;
}

export function evidenceView(e: Evidence, timeZone: string): EvidenceView {
  const label = evidenceLabel(e);
  return {
    label,
    // A back-reference (no letter of its own) points at evidence shown under an earlier decision.
    title: e.letter === null ? `Evidence ${label} (see above)` : `Evidence ${label}`,
    text: e.text,
    author: e.author,
    when: localTime(e.createdAt, timeZone),
    sourceUrl: e.sourceUrl,
    points: pointViews(e.points),
  };
}

/** A decision's state in a few words, for a line beside its number; null while it is active. */
export function statusLabel(d: Pick<Decision, 'status' | 'statusReason' | 'supersededBy'>): string | null {
  if (d.status === 'proposed') return 'proposed, to be agreed';
  if (d.status === 'rejected') return d.statusReason ? `rejected: ${gist(d.statusReason, 200)}` : 'rejected';
  if (d.status === 'withdrawn') return d.statusReason ? `withdrawn: ${gist(d.statusReason, 200)}` : 'withdrawn';
  if (d.status === 'superseded') return d.supersededBy === null ? 'superseded' : `superseded by Decision ${d.supersededBy}`;
  return null;
}

/**
 * `phaseOf`: each sprint's phase, worked out once by a caller showing many decisions
 * (phaseLabeller); else from `sprints`.
 */
export function decisionView(d: Decision, evidence: Evidence[], sprints: Sprint[], c: Pick<Case, 'timeZone' | 'layout'>, phaseOf: (sprint: number) => string | null = phaseLabeller(sprints)): DecisionView {
  const { timeZone } = c;
  const sprint = sprints.find((s) => s.number === d.sprint) ?? { number: d.sprint, suffix: '' };
  return {
    number: d.number,
    sprint: d.sprint,
    sprintHeading: sprintHeading(sprint, c.layout.sprintForms),
    phase: phaseOf(d.sprint),
    text: d.text,
    status: d.status,
    statusLabel: statusLabel(d),
    statusReason: d.statusReason,
    supersededBy: d.supersededBy,
    deciders: d.deciders,
    decidedBy: d.deciders.length > 0 ? joinNames(d.deciders) : null,
    author: d.author,
    when: localTime(d.createdAt, timeZone),
    imported: d.author.id === IMPORTER.id,
    sourceUrl: d.sourceUrl,
    evidence: evidence.filter((e) => e.decision === d.number).map((e) => evidenceView(e, timeZone)),
    revisions: d.revisions.map((r) => ({ text: r.text, editedBy: r.editedBy, when: localTime(r.editedAt, timeZone) })),
    points: pointViews(d.points),
  };
}

/** Where a decision that came in with an imported case came from, in words (for "Recorded by …"). */
export function importedWords(when: string): string {
  return `Imported with the case on ${when}`;
}

/** The first line of a text, shortened to about `max` characters (see `shorten`), for one-line summaries. */
export function gist(text: string, max = 120): string {
  return shorten(text.split('\n')[0] ?? '', max);
}

/** "1 decision", "3 decisions". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? singular : plural}`;
}

/** Names in a sentence: "a", "a and b", "a, b and c"; past `most`, "a, b and 5 more files". */
export function nameList(names: readonly string[], most = 3): string {
  if (names.length > most) return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more files`;
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;
}
