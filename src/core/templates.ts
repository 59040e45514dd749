import type { Section, TemplateName } from './model';

/** A template section: its heading level and text, and the question it answers. */
export interface TemplateSection {
  level: number;
  heading: string;
  /** The question the section answers, shown when it is still "To be written". */
  prompt: string;
}

export interface Template {
  name: TemplateName;
  label: string;
  sections: TemplateSection[];
  /** Heading of the part that holds the sprints and their decisions. */
  decisionsHeading: string;
}

export const TO_BE_WRITTEN = 'To be written.';

/** The prototype case template (after GDS's "template for prototyping a case for change"). */
const prototype: Template = {
  name: 'prototype',
  label: 'Prototype business case',
  decisionsHeading: 'Key decisions that shaped this',
  sections: [
    { level: 2, heading: 'Strategic Case', prompt: 'Why does this work matter? Write this first: the Economic Case builds on it.' },
    { level: 3, heading: 'Strategic Context', prompt: 'Why are we conducting this project, and how does it align to wider government objectives?' },
    { level: 3, heading: 'Strategic Objectives', prompt: 'What are the key challenges we are trying to overcome?' },
    { level: 3, heading: 'Critical Success Factors', prompt: 'What will we need to observe to say these challenges have been addressed, and what does success depend on?' },
    { level: 3, heading: 'Benefits', prompt: 'If we address these challenges, what costs could we avoid or what benefits could we unlock?' },
    { level: 2, heading: 'Economic Case', prompt: 'Which options are there, and which gives the best value?' },
    { level: 3, heading: 'Options', prompt: 'Given the challenges and benefits, what are the possible options, and which benefits would each unlock?' },
  ],
};

/** HM Treasury Green Book five-case model. */
const fiveCase: Template = {
  name: 'five-case',
  label: 'Green Book five-case model',
  decisionsHeading: 'Key decisions that shaped this',
  sections: [
    { level: 2, heading: 'Strategic Case', prompt: 'Is there a compelling case for change?' },
    { level: 3, heading: 'Strategic Context', prompt: 'What is the policy and organisational context, and why act now?' },
    { level: 3, heading: 'Case for Change', prompt: 'What are the current arrangements, the business needs and the problems to solve?' },
    { level: 3, heading: 'SMART Objectives', prompt: 'What specific, measurable, achievable, realistic and time-bound objectives will this meet?' },
    { level: 2, heading: 'Economic Case', prompt: 'Which option optimises public value?' },
    { level: 3, heading: 'Long List of Options', prompt: 'What is the full range of options, and how were they filtered?' },
    { level: 3, heading: 'Short List Appraisal', prompt: 'What are the costs, benefits and risks of each shortlisted option?' },
    { level: 3, heading: 'Preferred Option', prompt: 'Which option offers the best value for money, and why?' },
    { level: 2, heading: 'Commercial Case', prompt: 'Can the preferred option be procured and delivered as a commercially viable deal?' },
    { level: 2, heading: 'Financial Case', prompt: 'Is the preferred option affordable, and how will it be funded?' },
    { level: 2, heading: 'Management Case', prompt: 'How will the preferred option be delivered, governed and evaluated?' },
  ],
};

export const TEMPLATES: Record<TemplateName, Template> = { prototype, 'five-case': fiveCase };

/** A template's sections as a new case starts them: leaves read "To be written.", parents are empty. */
export function templateSections(name: TemplateName): Section[] {
  const sections = TEMPLATES[name].sections;
  return sections.map((s, i) => {
    const next = sections[i + 1];
    const hasChildren = next !== undefined && next.level > s.level;
    return { level: s.level, heading: s.heading, body: hasChildren ? '' : TO_BE_WRITTEN };
  });
}

/** The template's question for a section heading, matched without regard to case. */
export function sectionPrompt(name: TemplateName, heading: string): string | null {
  const key = heading.trim().toLowerCase();
  for (const t of [TEMPLATES[name], prototype, fiveCase]) {
    const found = t.sections.find((s) => s.heading.toLowerCase() === key);
    if (found) return found.prompt;
  }
  return null;
}

/** True when a section body still needs writing. */
/** Sections that hold text: all but a heading with no text of its own followed by its subsections. */
export function writableSections<S extends Pick<Section, 'level' | 'body'>>(sections: readonly S[]): S[] {
  return sections.filter((s, i) => {
    const next = sections[i + 1];
    return !(next !== undefined && next.level > s.level && s.body.trim() === '');
  });
}

export function isEmptySection(body: string): boolean {
  const text = body.trim();
  return text === '' || /^to be written\b/i.test(text);
}
