// One module each: the package's index loads all of date-fns (some 300 modules).
import { addDays } from 'date-fns/addDays';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { format } from 'date-fns/format';
import { isWeekend } from 'date-fns/isWeekend';
import { parseISO } from 'date-fns/parseISO';
import { subDays } from 'date-fns/subDays';
import { TZDate } from '@date-fns/tz';
import { isPublicHoliday } from './holidays';
import type { DocumentLayout, HolidayRegion, Sprint, SprintLength } from './model';

/** Days in one sprint. */
export function sprintDays(length: SprintLength): number {
  return length.unit === 'weeks' ? length.count * 7 : length.count;
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function localDate(now: Date, timeZone: string): string {
  return format(new TZDate(now.getTime(), timeZone), 'yyyy-MM-dd');
}

/** A calendar date plus whole days, as YYYY-MM-DD (no time zone involved: dates are local already). */
export function plusDays(date: string, days: number): string {
  return format(addDays(parseISO(date), days), 'yyyy-MM-dd');
}

export function daysBetween(from: string, to: string): number {
  return differenceInCalendarDays(parseISO(to), parseISO(from));
}

export interface SprintWindow {
  number: number;
  /** First day, YYYY-MM-DD in the case's time zone. */
  startsOn: string;
  /** Last day, inclusive. */
  endsOn: string;
}

/**
 * The sprint a date falls in. The calendar runs from the latest sprint with a known start
 * (a `sprint start` or the first sprint), one sprint every `length`; sprints without dates
 * (imported ones) count as already over.
 */
export function sprintOn(sprints: Sprint[], length: SprintLength, today: string): SprintWindow {
  const days = sprintDays(length);
  const dated = sprints.filter((s) => s.startsOn !== null).sort((a, b) => b.number - a.number);
  const anchor = dated[0];
  const highest = sprints.reduce((m, s) => Math.max(m, s.number), -1);
  if (anchor === undefined || anchor.startsOn === null) {
    // Nothing dated: the highest known sprint (or Sprint 0) starts today.
    return { number: Math.max(highest, 0), startsOn: today, endsOn: plusDays(today, days - 1) };
  }
  const elapsed = Math.max(0, daysBetween(anchor.startsOn, today));
  const k = Math.floor(elapsed / days);
  const startsOn = plusDays(anchor.startsOn, k * days);
  return { number: anchor.number + k, startsOn, endsOn: plusDays(startsOn, days - 1) };
}

/** The dated sprint rows needed so that every sprint from the case's first up to `window.number` exists. */
export function missingSprints(sprints: Sprint[], length: SprintLength, window: SprintWindow): Sprint[] {
  const have = new Set(sprints.map((s) => s.number));
  const days = sprintDays(length);
  const out: Sprint[] = [];
  // From the case's first sprint: a log that starts at "Iteration 3" gains no empty Sprints 0 to 2.
  const first = sprints.reduce((m, s) => Math.min(m, s.number), window.number);
  for (let n = Math.max(0, first); n <= window.number; n++) {
    if (have.has(n)) continue;
    const startsOn = plusDays(window.startsOn, (n - window.number) * days);
    // Earlier sprints the calendar never saw (before the first known one) stay undated.
    const known = sprints.some((s) => s.number < n);
    out.push({ number: n, suffix: '', intro: '', startsOn: known || n === window.number ? startsOn : null });
  }
  return out;
}

/** Whether a local date is a working day: Monday to Friday, and not a public holiday of the region. */
export function isWorkingDay(date: string, region: HolidayRegion): boolean {
  return !isWeekend(parseISO(date)) && !isPublicHoliday(date, region);
}

/** The last working day of a sprint; its first day when it has none. */
export function lastWorkingDay(window: SprintWindow, region: HolidayRegion): string {
  let day = parseISO(window.endsOn);
  const first = parseISO(window.startsOn);
  while (!isWorkingDay(format(day, 'yyyy-MM-dd'), region) && day > first) day = subDays(day, 1);
  return format(day, 'yyyy-MM-dd');
}

/**
 * How a sprint is named in chat: "Sprint 3" or "Sprint 3: Beta", or the name its document
 * gave it ("Sprint M2-S5", "Iteration 3", "Imported"; `forms` is the case's layout.sprintForms).
 */
export function sprintHeading(sprint: Pick<Sprint, 'number' | 'suffix'>, forms: DocumentLayout['sprintForms']): string {
  return forms?.[String(sprint.number)]?.name ?? `Sprint ${sprint.number}${sprint.suffix}`;
}
