/**
 * Public holidays, for working days (the retro prompt goes out on a sprint's last working
 * day). The calendars come from `date-holidays`, a maintained library whose rules and data
 * ship inside the package: a pure computation, no I/O, like date-fns. So core uses it
 * directly, but only here (lint keeps it to this module): a port would add wiring for a
 * function with no side effects, and swapping the library touches this file alone.
 */
import Holidays from 'date-holidays';
import type { HolidayRegion, ScheduleSettings } from './model';

/** The regions a case can take its holidays from, and how people read them. */
export const HOLIDAY_REGIONS: Record<HolidayRegion, { label: string; state: string | null }> = {
  'england-and-wales': { label: 'England and Wales', state: 'ENG' },
  scotland: { label: 'Scotland', state: 'SCT' },
  'northern-ireland': { label: 'Northern Ireland', state: 'NIR' },
  none: { label: 'none', state: null },
};

/** The region a time zone implies when the case names none: the UK's zones only. */
const BY_TIME_ZONE: Record<string, HolidayRegion> = {
  'Europe/London': 'england-and-wales',
  'Europe/Belfast': 'northern-ireland',
};

export function regionFromTimeZone(timeZone: string): HolidayRegion {
  return BY_TIME_ZONE[timeZone] ?? 'none';
}

/** The region whose holidays a case skips: the one it set, or the one its time zone implies. */
export function holidayRegion(c: { timeZone: string; schedule: Pick<ScheduleSettings, 'holidays'> }): HolidayRegion {
  return c.schedule.holidays ?? regionFromTimeZone(c.timeZone);
}

/** A case's working days in words: "Monday to Friday, except the public holidays of England and Wales (from the time zone Europe/London)". */
export function workingDaysText(c: { timeZone: string; schedule: Pick<ScheduleSettings, 'holidays'> }): string {
  const region = holidayRegion(c);
  const from = c.schedule.holidays ? '' : ` (from the time zone ${c.timeZone})`;
  return region === 'none' ? `Monday to Friday, with no public holidays skipped${from}` : `Monday to Friday, except the public holidays of ${HOLIDAY_REGIONS[region].label}${from}`;
}

const calendars = new Map<string, Holidays>();
const years = new Map<string, ReadonlySet<string>>();

/** The public and bank holidays of a region in a year, as local dates (YYYY-MM-DD), substitute days included. */
export function publicHolidays(region: HolidayRegion, year: number): ReadonlySet<string> {
  const state = HOLIDAY_REGIONS[region].state;
  if (state === null) return new Set();
  const key = `${region}|${year}`;
  let days = years.get(key);
  if (days === undefined) {
    let calendar = calendars.get(state);
    if (!calendar) {
      calendar = new Holidays('GB', state);
      calendars.set(state, calendar);
    }
    days = new Set(calendar.getHolidays(year)
      .filter((h) => h.type === 'public' || h.type === 'bank')
      .map((h) => h.date.slice(0, 10)));
    years.set(key, days);
  }
  return days;
}

export function isPublicHoliday(date: string, region: HolidayRegion): boolean {
  return publicHolidays(region, Number(date.slice(0, 4))).has(date);
}
