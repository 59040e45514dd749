/**
 * User text in Teams cards, cut so a card stays under Teams' message size limit. (It goes
 * into TextRuns, which Teams shows as written: see elements.ts.)
 */
import { shorten } from '../../../src/core/markdown/inline';

/** A text shortened to about `max` characters: at a word boundary, never inside a link (core's `shorten`). */
export function cut(text: string, max: number): string {
  return shorten(text, max);
}

/** The first line of a text, cut: for choice titles and one-line lists. */
export function firstLine(text: string, max = 120): string {
  return cut(text.split('\n')[0] ?? '', max);
}

/** Teams refuses messages over about 28 KB; cards are kept under this many bytes of JSON. */
export const CARD_LIMIT_BYTES = 28 * 1024;

/** Room left under the limit for the activity around the card (ids, conversation, summary). */
export const CARD_BUDGET_BYTES = CARD_LIMIT_BYTES - 2 * 1024;

export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * The most of `items` (in order) that fit: `build(shown, omitted)` makes the card from
 * the first items and says how many were left out. Binary search on the count.
 */
export function fitItems<T, C>(items: T[], build: (shown: T[], omitted: number) => C, budget = CARD_BUDGET_BYTES): C {
  const all = build(items, 0);
  if (jsonBytes(all) <= budget) return all;
  let lo = 0;
  let hi = items.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (jsonBytes(build(items.slice(0, mid), items.length - mid)) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return build(items.slice(0, lo), items.length - lo);
}
