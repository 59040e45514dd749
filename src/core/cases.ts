import type { Case, Place, ScheduleSettings, TemplateName } from './model';
import { templateSections, TEMPLATES } from './templates';

export const DEFAULT_TIME_ZONE = 'Europe/London';

export const DEFAULT_SCHEDULE: ScheduleSettings = {
  digestOn: true,
  digestWeekday: 1,
  digestTime: '09:00',
  retroOn: true,
  retroTime: '14:00',
};

/** A new, empty case from a template, in the layout of the default template. */
export function newCase(input: { id: string; place: Place; now: string; template?: TemplateName; title?: string | null }): Case {
  const template = input.template ?? 'prototype';
  const sections = templateSections(template);
  return {
    id: input.id,
    place: input.place,
    title: input.title === undefined ? 'Business case' : input.title,
    template,
    timeZone: DEFAULT_TIME_ZONE,
    sprintLength: { count: 2, unit: 'weeks' },
    layout: {
      preamble: '',
      sections,
      decisionsAt: sections.length,
      decisionsHeading: { level: 2, text: TEMPLATES[template].decisionsHeading, intro: '' },
      sprintLevel: 3,
      decisionStyle: 'inline',
    },
    schedule: { ...DEFAULT_SCHEDULE },
    shareVersion: 1,
    publication: null,
    version: 0,
    createdAt: input.now,
    updatedAt: input.now,
  };
}
