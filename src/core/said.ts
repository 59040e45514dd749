/**
 * Replies that name people. A summary is plain words with each person's display name in
 * it; it also says where each name stands, so a surface can show that person its own way
 * (Slack as a mention, which it draws with their current name) and every reply names
 * people one way on that surface.
 */
import type { Actor } from './model';

/** A person named in a text, and where their name stands in it. */
export interface NamedPerson {
  actor: Actor;
  /** Index in the text (UTF-16 units) where `actor.name` starts. */
  at: number;
}

export interface Said {
  text: string;
  people: NamedPerson[];
}

const isActor = (v: unknown): v is Actor => typeof v === 'object' && v !== null && typeof (v as Actor).name === 'string' && typeof (v as Actor).id === 'string';

/** A text with people in it: said`${actor} renamed the case: ${title}`. */
export function said(strings: TemplateStringsArray, ...values: Array<string | number | Actor>): Said {
  let text = strings[0] ?? '';
  const people: NamedPerson[] = [];
  values.forEach((v, i) => {
    if (isActor(v)) {
      people.push({ actor: v, at: text.length });
      text += v.name;
    } else {
      text += String(v);
    }
    text += strings[i + 1] ?? '';
  });
  return { text, people };
}

/** A said text, or plain words (no people in them). */
export type Words = string | Said;

export function wordsOf(w: Words): Said {
  return typeof w === 'string' ? { text: w, people: [] } : w;
}

/** Two said texts as one. */
export function join(a: Words, b: Words): Said {
  const x = wordsOf(a);
  const y = wordsOf(b);
  return { text: x.text + y.text, people: [...x.people, ...y.people.map((p) => ({ ...p, at: p.at + x.text.length }))] };
}
