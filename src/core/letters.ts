/** Evidence letters: a, b, … z, aa, ab, … (bijective base 26). */
export function letterFor(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(97 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** The index of a letter: a = 0, z = 25, aa = 26. */
export function indexOfLetter(letter: string): number {
  let n = 0;
  for (const ch of letter) n = n * 26 + (ch.charCodeAt(0) - 96);
  return n - 1;
}

/** The next free letter after those already used. */
export function nextLetter(used: Iterable<string | null>): string {
  let max = -1;
  for (const l of used) if (l !== null) max = Math.max(max, indexOfLetter(l));
  return letterFor(max + 1);
}
