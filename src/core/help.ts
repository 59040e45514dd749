import type { HelpEntry } from './views';

/** Help for every command, in the words after `/decision` (or after the @mention in Teams). */
export const HELP: HelpEntry[] = [
  { command: 'record', usage: 'record <text> [by @name]', summary: 'Record a decision in the current sprint; `by @name` says who took it, if not you. The word `record` may be left out unless the decision starts with a command word. With no text, opens a form.', examples: ['We will put definitions inline', 'record List the options in a table by @ana'] },
  { command: 'propose', usage: 'propose <text>', summary: 'Record a decision that is only proposed, to be agreed: `accept` or `reject` settles it.', examples: ['propose We will drop the paper form'] },
  { command: 'accept', usage: 'accept <N> [by @name]', summary: 'Accept proposed decision N: it becomes a decision taken, by the people named.', examples: ['accept 8', 'accept 8 by @ana and @ben'] },
  { command: 'reject', usage: 'reject <N> [reason]', summary: 'Reject proposed decision N, with an optional reason.', examples: ['reject 8 Too costly for this phase'] },
  { command: 'evidence', usage: 'evidence <N> <text>', summary: 'Add evidence to decision N: a finding, a quote, a figure or a link.', examples: ['evidence 8 Readers stumbled on three undefined terms in testing'] },
  { command: 'list', usage: 'list [sprint <N> | <sprint name> | all]', summary: 'List the decisions of this sprint, of sprint N (or a sprint by the name your document gives it, such as Iteration 3), or all of them.', examples: ['list', 'list sprint 2', 'list Iteration 3', 'list all'] },
  { command: 'show', usage: 'show <N>', summary: 'Show decision N with its evidence and history.', examples: ['show 8'] },
  { command: 'search', usage: 'search <words> [page <N>]', summary: 'Find decisions and evidence that mention the words, twenty at a time.', examples: ['search paper form', 'search paper form page 2'] },
  { command: 'edit', usage: 'edit <N> <text>', summary: 'Reword decision N; the old wording is kept in its history.', examples: ['edit 8 We will put definitions inline and in a glossary'] },
  { command: 'withdraw', usage: 'withdraw <N> [reason]', summary: 'Withdraw decision N, with an optional reason.', examples: ['withdraw 8 Testing showed the glossary was enough'] },
  { command: 'supersede', usage: 'supersede <N> with <M>', summary: 'Mark decision N as replaced by decision M.', examples: ['supersede 3 with 9'] },
  { command: 'undo', usage: 'undo', summary: 'Undo your own last change, within 15 minutes.', examples: ['undo'] },
  { command: 'sprint', usage: 'sprint | sprint start [name] | sprint length <N> days|weeks', summary: 'Show the current sprint, start the next one now, or set the sprint length.', examples: ['sprint', 'sprint start Private beta', 'sprint length 2 weeks'] },
  { command: 'case', usage: 'case | case <section> [markdown] | case title <text> | case template prototype|five-case', summary: 'See the business case sections, read or write one, rename the case or change its template.', examples: ['case', 'case Benefits Fewer calls to the contact centre (8a)', 'case title Apply for a fishing licence', 'case template five-case'] },
  { command: 'digest', usage: 'digest | digest on|off | digest <weekday> <HH:MM>', summary: 'Preview the weekly digest (only you see it), switch it on or off, or set when it posts.', examples: ['digest', 'digest monday 09:00', 'digest off'] },
  { command: 'retro', usage: 'retro | retro on|off | retro <HH:MM>', summary: 'See when the end-of-sprint retro prompt posts, switch it on or off, or set its time on the last working day.', examples: ['retro', 'retro 14:00', 'retro off'] },
  { command: 'timezone', usage: 'timezone [IANA name]', summary: 'Show or set the time zone for sprints and schedules.', examples: ['timezone', 'timezone Europe/London'] },
  { command: 'holidays', usage: 'holidays [england and wales | scotland | northern ireland | none | default]', summary: 'Show or set whose public holidays are not working days (the retro prompt goes out on the last working day of each sprint). By default, the time zone\'s: Europe/London is England and Wales.', examples: ['holidays', 'holidays scotland', 'holidays default'] },
  { command: 'share', usage: 'share | share revoke', summary: 'Get a link to read the whole case, or cancel every earlier link.', examples: ['share', 'share revoke'] },
  { command: 'export', usage: 'export', summary: 'Get the whole business case as a Markdown file.', examples: ['export'] },
  { command: 'import', usage: 'import', summary: 'Bring in an existing business case from its Markdown file (or two: the case and its key decisions). In Slack it opens a form and shows what would be imported before anything changes; elsewhere it says how to use the command line.', examples: ['import'] },
  { command: 'publish', usage: 'publish | publish github <owner>/<repo> [path] [branch] | publish now | publish mode pr|commit | publish off', summary: 'Publish the case to your GitHub repository each week after the digest, as a pull request (or straight to the branch with `mode commit`), and take edits made there back in. With no words, shows where it goes and the last publication.', examples: ['publish github acme/business-case docs/business-case.md', 'publish now', 'publish mode commit', 'publish off'] },
  { command: 'help', usage: 'help [command]', summary: 'This help, or more on one command.', examples: ['help', 'help evidence'] },
];
