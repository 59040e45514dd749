/**
 * YAML front matter (`---` / `title: …` / `---` before the first line of Markdown), as
 * design-history pages, Jekyll and Hugo sites write it. It is kept as written; only its
 * top-level `title` means anything to the case: the case's title when the page has no
 * `#` heading, written back there when the title is changed in chat. Nothing else in it is
 * read, so no YAML parser is needed (and no YAML feature can reach the case).
 */

/** The front matter at the start of `lines` (already split, BOM dropped): its YAML lines and the index after the closing line. */
export function readFrontMatter(lines: readonly string[]): { yaml: string[]; end: number } | null {
  if (lines[0] !== '---') return null;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '---' || lines[i] === '...') return { yaml: lines.slice(1, i), end: i + 1 };
  }
  return null;
}

const TITLE = /^title:[ \t]*(.*)$/;

/** The value of a top-level `title:` line, unquoted; null when there is none (or it is empty, or a block). */
export function frontMatterTitle(yaml: string): string | null {
  for (const line of yaml.split('\n')) {
    const m = TITLE.exec(line);
    if (m) return scalar(m[1] ?? '');
  }
  return null;
}

function scalar(raw: string): string | null {
  const text = raw.trim();
  if (text.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\.)*)"\s*(?:#.*)?$/.exec(text);
    if (!m) return null;
    return (m[1] ?? '').replace(/\\(.)/g, (_all, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  }
  if (text.startsWith("'")) {
    const m = /^'((?:[^']|'')*)'\s*(?:#.*)?$/.exec(text);
    return m ? (m[1] ?? '').replace(/''/g, "'") : null;
  }
  // A block scalar (| or >) or a flow collection is not a title this reads.
  if (text === '' || /^[|>[{]/.test(text)) return null;
  const plain = text.replace(/\s+#.*$/, '').trim();
  return plain === '' ? null : plain;
}

/** `text` as a YAML scalar that `frontMatterTitle` reads back as `text`. */
function quoted(text: string): string {
  const one = text.replace(/[\r\n]+/g, ' ');
  if (/^[A-Za-z0-9(][^:#"'\\]*$/.test(one) && one === one.trim() && !/[\s]$/.test(one)) return one;
  return `"${one.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The YAML with its `title:` line saying `title` (unchanged when it already does). */
export function withFrontMatterTitle(yaml: string, title: string): string {
  if (frontMatterTitle(yaml) === title) return yaml;
  const lines = yaml.split('\n');
  const at = lines.findIndex((l) => TITLE.test(l));
  const line = `title: ${quoted(title)}`;
  if (at < 0) return [line, ...lines.filter((l) => l !== '')].join('\n');
  lines[at] = line;
  return lines.join('\n');
}
