/**
 * What scheduled work is due for a case: the weekly digest and the end-of-sprint retro
 * prompt. Pure functions of the case, its sprints and the time; wall-clock times are read
 * in the case's time zone with @date-fns/tz, so 09:00 stays 09:00 across the clock changes.
 *
 * Each piece of work has a period: the ISO week of the digest's slot ("2026-W49") or the
 * sprint ("sprint-3"). The scheduler claims `${caseId}:${kind}:${period}` in the Store, so
 * each is delivered once however many processes tick.
 */
import { getISOWeek } from 'date-fns/getISOWeek';
import { getISOWeekYear } from 'date-fns/getISOWeekYear';
import { parseISO } from 'date-fns/parseISO';
import { TZDate } from '@date-fns/tz';
import type { Case, Sprint, SprintLength } from './model';
import { holidayRegion } from './holidays';
import { lastWorkingDay, localDate, sprintDays, sprintOn } from './sprints';
import type { SprintWindow } from './sprints';

/** After downtime, the latest missed digest is still sent within this many days of its slot (then the next slot takes over). */
export const DIGEST_CATCH_UP_DAYS = 7;
/** A retro prompt is still sent this many days after its sprint's last day. */
export const RETRO_GRACE_DAYS = 2;

/** The stretch of time a digest covers, [since, until), and how people read it. */
export interface DigestWindow {
  since: string;
  until: string;
  /** "23 to 29 Nov 2026" */
  label: string;
}

export type DueItem =
  | { kind: 'digest'; period: string; dueAt: Date; window: DigestWindow }
  /** The weekly publication to GitHub: at the digest's slot, for the same week (the digest then links to it). */
  | { kind: 'publish'; period: string; dueAt: Date; window: DigestWindow }
  | { kind: 'retro'; period: string; dueAt: Date; sprint: number };

export type DueKind = DueItem['kind'];

/** The Store key that makes a piece of work happen once. */
export function claimKey(caseId: string, item: Pick<DueItem, 'kind' | 'period'>): string {
  return `${caseId}:${item.kind}:${item.period}`;
}

// The scheduler asks these questions for every case every minute, and the answers repeat:
// small caches keep a tick over thousands of cases cheap. They hold plain, immutable facts
// (what a wall-clock time in a zone is, what a day's slots are), never anything about a case.
const moments = new Map<string, number>();
const days = new Map<string, string>();
const digestSlots = new Map<string, DigestSlot[]>();
const retroWindows = new Map<string, RetroWindow[]>();

/** Remembers `make()` under `key` in `cache`, which is emptied when it grows large. */
function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size >= 20_000) cache.clear();
    cache.set(key, value);
  }
  return value;
}

interface DigestSlot { date: string; at: number; period: string; window: DigestWindow }
interface RetroWindow { number: number; dueAt: number; until: number }

/** The moment a local date and "HH:MM" happen in a time zone. A time the spring clock change skips moves an hour on. */
export function localMoment(date: string, time: string, timeZone: string): Date {
  return new Date(remember(moments, `${timeZone}|${date}|${time}`, () => {
    const [y, m, d] = date.split('-').map(Number);
    const [hh, mm] = time.split(':').map(Number);
    return new TZDate(y ?? 1970, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0, timeZone).getTime();
  }));
}

/** Today's date (YYYY-MM-DD) in a time zone: sprints.localDate, the sprint calendar's own answer, remembered per minute. */
export function zoneDate(now: Date, timeZone: string): string {
  // Offsets are whole minutes, so the date is the same throughout a UTC minute.
  return remember(days, `${timeZone}|${Math.floor(now.getTime() / 60_000)}`, () => localDate(now, timeZone));
}

/** A local date as a UTC midnight, for calendar arithmetic (no time zone involved). */
function calendar(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

/** Day of the week of a local date, 0 = Sunday. */
function weekdayOf(date: string): number {
  return calendar(date).getUTCDay();
}

/** A local date plus whole days (the same answer as sprints.plusDays, faster). */
function addDays(date: string, days: number): string {
  const d = calendar(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ISO week of a local date: "2026-W49". */
export function isoWeekKey(date: string): string {
  // date-fns reads the plain date in the process's zone; a calendar date has no zone, so any will do.
  const day = parseISO(date);
  return `${getISOWeekYear(day)}-W${String(getISOWeek(day)).padStart(2, '0')}`;
}

/** Two local dates as people read a range: "23 to 29 Nov 2026", "30 Nov to 6 Dec 2026", "28 Dec 2026 to 3 Jan 2027". */
export function dayRange(from: string, to: string): string {
  const [ay, am, ad] = from.split('-').map(Number);
  const [by, bm, bd] = to.split('-').map(Number);
  const day = (y?: number, m?: number, d?: number) => `${d} ${MONTHS[(m ?? 1) - 1]} ${y}`;
  if (from === to) return day(by, bm, bd);
  if (ay !== by) return `${day(ay, am, ad)} to ${day(by, bm, bd)}`;
  if (am !== bm) return `${ad} ${MONTHS[(am ?? 1) - 1]} to ${day(by, bm, bd)}`;
  return `${ad} to ${day(by, bm, bd)}`;
}

/** The local date of the most recent digest slot at or before `now`, and the moment it happened. */
export function lastDigestSlot(c: Pick<Case, 'schedule' | 'timeZone'>, now: Date): { date: string; at: Date } {
  const { digestWeekday, digestTime } = c.schedule;
  const today = zoneDate(now, c.timeZone);
  const weekday = weekdayOf(today);
  let date = addDays(today, -((weekday - digestWeekday + 7) % 7));
  let at = localMoment(date, digestTime, c.timeZone);
  if (at.getTime() > now.getTime()) {
    date = addDays(date, -7);
    at = localMoment(date, digestTime, c.timeZone);
  }
  return { date, at };
}

/** The week a digest posted at the slot on `date` covers: the seven days before it, slot to slot. */
export function digestWindowBefore(c: Pick<Case, 'schedule' | 'timeZone'>, date: string): DigestWindow {
  const since = localMoment(addDays(date, -7), c.schedule.digestTime, c.timeZone);
  const until = localMoment(date, c.schedule.digestTime, c.timeZone);
  return { since: since.toISOString(), until: until.toISOString(), label: dayRange(addDays(date, -7), addDays(date, -1)) };
}

/** What `digest` previews: everything since the last digest's slot, up to now. */
export function previewWindow(c: Pick<Case, 'schedule' | 'timeZone'>, now: Date): DigestWindow {
  const slot = lastDigestSlot(c, now);
  return { since: slot.at.toISOString(), until: now.toISOString(), label: `${dayRange(slot.date, zoneDate(now, c.timeZone))}, so far` };
}

/**
 * The sprint a date falls in and the one before it, when the calendar knows them: the
 * previous sprint runs from its recorded start (or one sprint length earlier) to the day
 * before the current one started, so a sprint ended early by `sprint start` still counts.
 * Nothing when no sprint has a start date (the calendar is not anchored yet).
 */
export function recentSprints(sprints: Sprint[], length: SprintLength, today: string): SprintWindow[] {
  const dated = sprints.filter((s) => s.startsOn !== null).sort((a, b) => b.number - a.number);
  const anchor = dated[0];
  if (!anchor) return [];
  const current = sprintOn(sprints, length, today);
  const out: SprintWindow[] = [current];
  const previous = current.number - 1;
  if (previous >= 0) {
    const stored = sprints.find((s) => s.number === previous)?.startsOn ?? null;
    const startsOn = stored ?? (anchor.number <= previous ? addDays(current.startsOn, -sprintDays(length)) : null);
    const endsOn = addDays(current.startsOn, -1);
    if (startsOn !== null && startsOn <= endsOn) out.push({ number: previous, startsOn, endsOn });
  }
  return out;
}

/** When a sprint's retro prompt is due, and until when it is still worth sending. */
export function retroTimes(c: Pick<Case, 'schedule' | 'timeZone'>, window: SprintWindow): { dueAt: Date; until: Date } {
  const dueAt = localMoment(lastWorkingDay(window, holidayRegion(c)), c.schedule.retroTime, c.timeZone);
  const until = localMoment(addDays(window.endsOn, 1 + RETRO_GRACE_DAYS), '00:00', c.timeZone);
  return { dueAt, until };
}

/**
 * The work due for a case at `now`:
 * - the digest: the most recent weekly slot (weekday and HH:MM local) at or before now, so
 *   after any downtime there is one catch-up digest for the missed week, never one per
 *   missed tick, and a slot older than DIGEST_CATCH_UP_DAYS is never sent;
 * - the retro prompt: HH:MM local on the last working day of a sprint (Monday to Friday, not
 *   a public holiday of the case's region: holidays.ts),
 *   until the end of the sprint's last day plus RETRO_GRACE_DAYS.
 * - the publication to GitHub, for a case connected to a repository: at the digest's slot
 *   (whether the digest is on or not), first, so the digest that follows can link to it;
 *   nothing from before the case was connected.
 * Nothing is due from before the case existed (a case made on a Wednesday waits for the next
 * Monday), and nothing that is switched off.
 */
export function dueWork(c: Case, sprints: Sprint[], now: Date): DueItem[] {
  const items: DueItem[] = [];
  const created = Date.parse(c.createdAt);
  const t = now.getTime();
  const tz = c.timeZone;
  const today = zoneDate(now, tz);
  if (c.schedule.digestOn || c.publication) {
    // This week's slot and last week's, worked out once a day per setting.
    const { digestWeekday, digestTime } = c.schedule;
    const slots = remember(digestSlots, `${tz}|${digestWeekday}|${digestTime}|${today}`, () => {
      const date = addDays(today, -((weekdayOf(today) - digestWeekday + 7) % 7));
      return [date, addDays(date, -7)].map((d) => ({
        date: d, at: localMoment(d, digestTime, tz).getTime(), period: isoWeekKey(d), window: digestWindowBefore(c, d),
      }));
    });
    const slot = slots.find((x) => x.at <= t);
    if (slot && t - slot.at < DIGEST_CATCH_UP_DAYS * 86_400_000 && slot.at >= created) {
      if (c.publication && slot.at >= Date.parse(c.publication.connectedAt)) {
        items.push({ kind: 'publish', period: slot.period, dueAt: new Date(slot.at), window: { ...slot.window } });
      }
      if (c.schedule.digestOn) items.push({ kind: 'digest', period: slot.period, dueAt: new Date(slot.at), window: { ...slot.window } });
    }
  }
  if (c.schedule.retroOn) {
    // The current sprint and the one before: its grace days run into the next sprint.
    const calendar = sprints.filter((s) => s.startsOn !== null).map((s) => `${s.number}:${s.startsOn}`).join(',');
    const key = `${tz}|${holidayRegion(c)}|${c.schedule.retroTime}|${c.sprintLength.count}${c.sprintLength.unit}|${today}|${calendar}`;
    const windows = remember(retroWindows, key, () => recentSprints(sprints, c.sprintLength, today)
      .sort((a, b) => a.number - b.number)
      .map((w) => {
        const { dueAt, until } = retroTimes(c, w);
        return { number: w.number, dueAt: dueAt.getTime(), until: until.getTime() };
      }));
    for (const w of windows) {
      if (w.dueAt <= t && t < w.until && w.dueAt >= created) {
        items.push({ kind: 'retro', period: `sprint-${w.number}`, dueAt: new Date(w.dueAt), sprint: w.number });
      }
    }
  }
  return items;
}


/**
 * The first moment strictly after `after` at which a piece of work falls due for the case
 * (its next digest slot or retro prompt), or null when nothing is switched on or the case
 * has no channel to post in. What the scheduler's index is kept by: a tick reads only the
 * cases whose moment has come.
 */
export function nextDueAfter(c: Case, sprints: Sprint[], after: Date): Date | null {
  if (c.place.platform === 'console') return null;
  const t = Math.max(after.getTime(), Date.parse(c.createdAt) - 1);
  const moment = new Date(t);
  const tz = c.timeZone;
  let next = Infinity;
  // The digest's slot is also the publication's.
  if (c.schedule.digestOn || c.publication) {
    const { date } = lastDigestSlot(c, moment);
    // The slot after the last one; a slot the spring clock change moves lands later, never earlier.
    for (const d of [date, addDays(date, 7), addDays(date, 14)]) {
      const at = localMoment(d, c.schedule.digestTime, tz).getTime();
      if (at > t) { next = Math.min(next, at); break; }
    }
  }
  if (c.schedule.retroOn && sprints.some((s) => s.startsOn !== null)) {
    let window = sprintOn(sprints, c.sprintLength, zoneDate(moment, tz));
    for (let k = 0; k < 3; k += 1) {
      const at = retroTimes(c, window).dueAt.getTime();
      if (at > t) { next = Math.min(next, at); break; }
      window = sprintOn(sprints, c.sprintLength, addDays(window.endsOn, 1));
    }
  }
  return Number.isFinite(next) ? new Date(next) : null;
}

/**
 * When the scheduler must next look at the case, as a command leaves it at `now`: the
 * earliest piece of work still due (a slot missed but within its catch-up time, which the
 * tick finds posted or not through its claim), else the next one to come.
 */
export function nextDueAt(c: Case, sprints: Sprint[], now: Date): Date | null {
  if (c.place.platform === 'console') return null;
  const due = dueWork(c, sprints, now);
  if (due.length > 0) return new Date(Math.min(...due.map((d) => d.dueAt.getTime())));
  return nextDueAfter(c, sprints, now);
}
