/**
 * The normal form of Markdown text: \n line ends, no trailing spaces, one blank line at
 * most between blocks, none at either end. What the bot writes for text typed in chat,
 * and what an imported part of a document is compared in (see source-form.ts).
 */

/**
 * A line without the spaces and tabs at its end. By hand, not /[ \t]+$/: that expression
 * tries every space of a long run in turn, and a line of a million spaces and a letter
 * would hold the process for minutes.
 */
export function trimLineEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end -= 1;
  return end === line.length ? line : line.slice(0, end);
}

/** Lines without their ends and trailing spaces (a leading BOM dropped). */
export function splitLines(markdown: string): string[] {
  return markdown.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).map(trimLineEnd);
}

/** Lines without trailing spaces, one blank line at most between blocks, none at either end. */
export function joinLines(lines: readonly string[]): string {
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/** A block of text in normal form, with no line end after it. */
export function normaliseBlock(text: string): string {
  return joinLines(splitLines(text));
}

/** A whole document in normal form: one newline at the end ("" stays ""). */
export function normaliseMarkdown(markdown: string): string {
  const text = normaliseBlock(markdown);
  return text === '' ? '' : `${text}\n`;
}
