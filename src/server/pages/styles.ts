/**
 * The case page's stylesheet, served at /assets/case.css. Plain and accessible, in the
 * spirit of GOV.UK Frontend (colours with at least 4.5:1 contrast, a yellow focus state,
 * underlined links) but with system fonts and no GOV.UK branding. No inline styles
 * anywhere: the page's policy only allows this file.
 */
export const CASE_CSS_PATH = '/assets/case.css';

export const CASE_CSS = `
:root {
  --text: #0b0c0c;
  --secondary-text: #484949;
  --link: #1d70b8;
  --link-hover: #003078;
  --link-visited: #4c2c92;
  --focus: #ffdd00;
  --border: #b1b4b6;
  --light: #f3f2f1;
  --target: #fff7bf;
}
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  background: #fff;
  color: var(--text);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", sans-serif;
  font-size: 1rem;
  line-height: 1.5;
}
@media (min-width: 40.0625em) { body { font-size: 1.1875rem; line-height: 1.45; } }

.width { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
@media (min-width: 40.0625em) { .width { padding: 0 2rem; } }

/* Links and focus */
a { color: var(--link); text-decoration: underline; text-decoration-thickness: max(1px, .0625rem); text-underline-offset: .15em; }
a:visited { color: var(--link-visited); }
a:hover { color: var(--link-hover); text-decoration-thickness: max(3px, .1875rem); }
a:focus-visible {
  outline: 3px solid transparent;
  color: var(--text);
  background-color: var(--focus);
  box-shadow: 0 -2px var(--focus), 0 4px var(--text);
  text-decoration: none;
}
:focus-visible { outline: 3px solid var(--text); outline-offset: 2px; }

.skip-link {
  position: absolute; left: -9999px; top: 0;
  padding: .5rem 1rem; background: var(--focus); color: var(--text);
}
.skip-link:focus, .skip-link:focus-visible { left: 0; z-index: 10; color: var(--text); }

.visually-hidden {
  position: absolute !important; width: 1px !important; height: 1px !important;
  margin: 0 !important; padding: 0 !important; overflow: hidden !important;
  clip: rect(0 0 0 0) !important; clip-path: inset(50%) !important; border: 0 !important; white-space: nowrap !important;
}

/* Page header and footer, without any branding */
.page-header { border-bottom: 10px solid var(--link); background: var(--text); color: #fff; }
.page-header p { margin: 0; padding: .75rem 0; font-weight: 700; font-size: 1.125rem; }
.page-footer { margin-top: 3rem; padding: 1.5rem 0 2rem; border-top: 1px solid var(--border); background: var(--light); }
.page-footer p { margin: 0 0 .5rem; max-width: 40em; }

main { display: block; padding: 1.5rem 0 1rem; }
@media (min-width: 40.0625em) { main { padding-top: 2.5rem; } }

/* Type */
h1, h2, h3, h4, h5, h6 { margin: 2rem 0 1rem; line-height: 1.2; font-weight: 700; }
h1 { margin-top: 0; font-size: 2rem; max-width: 32ch; }
h2 { font-size: 1.5rem; }
h3 { font-size: 1.25rem; }
h4, h5, h6 { font-size: 1.0625rem; }
@media (min-width: 40.0625em) {
  h1 { font-size: 3rem; line-height: 1.05; }
  h2 { font-size: 2.25rem; }
  h3 { font-size: 1.5rem; }
  h4, h5, h6 { font-size: 1.1875rem; }
}
p, ul, ol, blockquote, pre, table { margin: 0 0 1rem; }
.prose { max-width: 40em; }
.prose ul, .prose ol { padding-left: 1.25em; }
.prose li { margin-bottom: .35rem; }
.prose blockquote { padding: .5rem 0 .5rem 1rem; border-left: 5px solid var(--border); }
.prose code { font-family: ui-monospace, "DejaVu Sans Mono", Consolas, monospace; font-size: .9em; background: var(--light); padding: 0 .2em; }
.prose pre { overflow-x: auto; padding: .75rem 1rem; background: var(--light); border: 1px solid var(--border); }
.prose pre code { padding: 0; background: none; }
.prose table { border-collapse: collapse; }
.prose th, .prose td { border-bottom: 1px solid var(--border); padding: .4rem 1rem .4rem 0; text-align: left; vertical-align: top; }
.to-be-written { color: var(--secondary-text); font-style: italic; }
.part-intro, .sprint-intro { max-width: 40em; }

/* Contents list */
.contents { margin: 2rem 0 2.5rem; padding: 1rem 1.25rem .5rem; border-left: 5px solid var(--link); background: var(--light); max-width: 40em; }
.contents h2 { margin: 0 0 .75rem; font-size: 1.25rem; }
.contents ol { margin: 0 0 .5rem; padding-left: 1.25em; }
.contents ol ol { margin: .35rem 0 .25rem; }
.contents li { margin-bottom: .35rem; }

/* Citations */
.citation { white-space: nowrap; }
.citation-missing {
  background: #fbe4e0; color: #6b1a0d; padding: 0 .15em;
  text-decoration: underline wavy #d4351c; text-decoration-thickness: 1px; text-underline-offset: .2em;
}

/* Decisions and evidence */
.sprint-heading { padding-top: 1rem; border-top: 2px solid var(--text); }
.empty-note { color: var(--secondary-text); }
.decision { margin: 0 0 2rem; padding: .25rem 0 .25rem 1.25rem; border-left: 5px solid var(--link); max-width: 44em; scroll-margin-top: 1rem; }
.decision--withdrawn, .decision--superseded, .decision--rejected { border-left-style: dashed; border-left-color: var(--secondary-text); }
.decision--proposed { border-left-style: dotted; }
.decision-title { margin: 0 0 .75rem; }
.tag {
  display: inline-block; margin-left: .5rem; padding: .1rem .5rem; vertical-align: middle;
  font-size: .875rem; font-weight: 700; letter-spacing: .02em; text-transform: uppercase;
}
.tag--withdrawn { background: #e8e8e8; color: #282d30; }
.tag--superseded { background: #fcd6c3; color: #6e3619; }
.tag--proposed { background: #d2e2f1; color: #0b0c0c; }
.tag--rejected { background: #e8e8e8; color: #282d30; }
.tag--phase { background: #e8f1f8; color: #0b0c0c; text-transform: none; }
.status { font-weight: 700; }
.meta { color: var(--secondary-text); font-size: .9375rem; margin-bottom: .75rem; }
.meta a { color: var(--link); }
.meta a:focus-visible { color: var(--text); }

.evidence-list { list-style: none; margin: 1rem 0 0; padding: 0; }
.evidence { margin: 0 0 .75rem; padding: .5rem .75rem; border-left: 3px solid var(--border); background: #fafafa; scroll-margin-top: 1rem; }
.evidence-label { margin: 0 0 .25rem; font-weight: 700; }
.evidence .prose > :last-child, .decision .prose > :last-child { margin-bottom: .5rem; }
.evidence--ref .evidence-label { font-weight: 400; }

/* The decision or evidence a citation led to */
.decision:target, .evidence:target { background: var(--target); border-left-color: var(--text); }
.decision:target { padding-right: .75rem; }

/* Revision history */
.history { margin: .5rem 0 1rem; }
.history summary { display: inline-block; color: var(--link); cursor: pointer; text-decoration: underline; text-underline-offset: .15em; }
.history summary::before { content: "\\25B6\\FE0E"; display: inline-block; margin-right: .35rem; font-size: .75em; text-decoration: none; }
.history[open] summary::before { content: "\\25BC\\FE0E"; }
.history summary::-webkit-details-marker { display: none; }
.history summary:hover { color: var(--link-hover); }
.history summary:focus-visible { outline: 3px solid transparent; color: var(--text); background: var(--focus); box-shadow: 0 -2px var(--focus), 0 4px var(--text); text-decoration: none; }
.revisions { margin: .75rem 0 0; padding: 0 0 0 1rem; border-left: 5px solid var(--border); list-style: none; }
.revisions li { margin-bottom: .75rem; }

/* Phases and Service Standard points */
.phase-start { display: inline-block; margin: 0 0 1rem; padding: .15rem .6rem; border-left: 5px solid var(--text); background: var(--light); font-weight: 700; }
.points-block { display: flex; flex-wrap: wrap; align-items: baseline; gap: .35rem .6rem; margin: 0 0 .75rem; }
.points-title { margin: 0; font-size: .875rem; font-weight: 700; }
.points { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .35rem; }
.points li { margin: 0; padding: .05rem .5rem; border: 1px solid var(--secondary-text); font-size: .875rem; }
.evidence .points-block { margin-top: .25rem; }

/* The case over time */
.timeline { margin: 1rem 0 2.5rem; max-width: 60rem; }
.timeline-figure { margin: 0 0 1rem; }
.timeline-svg { display: block; width: 100%; height: auto; max-height: 24rem; }
.timeline-svg text { font-family: inherit; font-size: 12px; fill: #0b0c0c; }
.timeline-svg .tl-phase { font-weight: 700; font-size: 13px; }
.tl-band--discovery { fill: #f3f2f1; }
.tl-band--alpha { fill: #e8f1f8; }
.tl-band--beta { fill: #e7f4ec; }
.tl-band--live { fill: #fcefe5; }
.tl-active { fill: #1d70b8; }
.tl-superseded { fill: #a34b0f; }
.tl-withdrawn { fill: #505a5f; }
.tl-hatch-line { stroke: #ffffff; stroke-width: 2; }
.tl-dot { fill: #ffffff; }
.tl-proposed { fill: #ffffff; stroke: #1d70b8; stroke-width: 1.5; stroke-dasharray: 3 2; }
.tl-evidence { fill: #00703c; }
.tl-dim { opacity: .35; }
.tl-axis { stroke: #0b0c0c; stroke-width: 1; }
.tl-start { stroke: #0b0c0c; stroke-width: 1.5; stroke-dasharray: 4 3; }
.timeline-legend { list-style: none; margin: .5rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; font-size: .9375rem; }
.timeline-legend li { display: flex; align-items: center; gap: .4rem; }
.swatch { display: inline-block; width: 1rem; height: 1rem; border: 1px solid #0b0c0c; flex: none; }
.swatch--active { background: #1d70b8; }
.swatch--superseded { background: repeating-linear-gradient(45deg, #a34b0f 0 3px, #ffffff 3px 5px); }
.swatch--withdrawn { background: radial-gradient(circle, #ffffff 25%, #505a5f 30%); background-size: 5px 5px; }
.swatch--proposed { background: #ffffff; border: 2px dashed #1d70b8; }
.swatch--evidence { background: #00703c; }
.swatch--band { background: #e8f1f8; }
.timeline-table summary { cursor: pointer; color: var(--link); text-decoration: underline; text-underline-offset: .15em; }
.timeline-table summary:focus-visible { outline: 3px solid transparent; color: var(--text); background: var(--focus); box-shadow: 0 -2px var(--focus), 0 4px var(--text); text-decoration: none; }
.table-scroll { overflow-x: auto; max-width: 100%; margin-top: .75rem; }
.table-scroll:focus-visible { outline: 3px solid var(--text); outline-offset: 2px; }
.timeline-data { border-collapse: collapse; font-size: .9375rem; }
.timeline-data caption { text-align: left; font-weight: 700; margin-bottom: .5rem; }
.timeline-data th, .timeline-data td { border-bottom: 1px solid var(--border); padding: .35rem .75rem .35rem 0; text-align: left; vertical-align: top; }
.timeline-data .num { text-align: right; }

/* The assessment pack */
.lead { font-size: 1.1875rem; max-width: 40em; }
@media (min-width: 40.0625em) { .lead { font-size: 1.5rem; } }
.point { margin-top: 2.5rem; padding-top: 1rem; border-top: 2px solid var(--text); }
.point--uncovered .point-status { color: #6b1a0d; }
.point-status { font-weight: 700; }
.gap-list li { margin-bottom: .35rem; }
.decision-facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0 0 .75rem; }
.decision-facts dt { font-weight: 700; }
.decision-facts dd { margin: 0; }

@media print {
  .timeline-svg { max-height: none; }
  .table-scroll { overflow: visible; }
  .point { break-before: auto; }
  :root { --link: #0b0c0c; --link-visited: #0b0c0c; }
  body { font-size: 11pt; line-height: 1.4; }
  .skip-link, .page-header, .page-footer { display: none; }
  main { padding: 0; }
  .width { max-width: none; padding: 0; }
  h1 { font-size: 22pt; }
  h2 { font-size: 16pt; }
  h3 { font-size: 13pt; }
  h4, h5, h6 { font-size: 11pt; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
  .decision, .evidence { break-inside: avoid; page-break-inside: avoid; }
  .decision:target, .evidence:target { background: none; }
  .contents { background: none; border-left-width: 2px; }
  .prose a[href^="http"]::after, .meta a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .9em; word-break: break-all; }
  .history summary::before { content: none; }
  .history summary { color: var(--text); text-decoration: none; font-weight: 700; }
  details::details-content { content-visibility: visible; display: block; }
  .citation-missing { background: none; }
  .meta { font-size: 10pt; }
}
`;
