/** Reading the log: list, show, search, the record form and help. None of them writes. */
import { count, decisionView, gist } from '../format';
import { HELP } from '../help';
import type { Case, Decision, Sprint } from '../model';
import { sprintHeading } from '../sprints';
import { phaseLabeller, withPhase } from '../phases';
import type { FormView, Reply } from '../views';
import { activeDecision, decisionReply, error, isReply, noSuchDecision, type CommandContext, type Handlers, type Kit } from './kit';

/** What a form opened on a decision would do to it, as the typed commands say it. */
const CHANGES = { edit: 'edit it', evidence: 'add evidence to it' } as const;

/** At most this many decisions in one search reply. */
export const SEARCH_LIMIT = 20;

/** The answer to a greeting, or a word that is no command: what the bot does, then the commands. */
export const WELCOME = 'Hello! I keep this channel\'s decisions, the evidence behind them and its business case. To record a decision, write it out in full, such as "We will publish the prototype weekly"; here is what else I do.';

export function readingHandlers(kit: Kit): Pick<Handlers, 'list' | 'show' | 'search' | 'form' | 'help'> {
  return {
    async list(ctx, { scope }) {
      const { draft, window } = await kit.read(ctx);
      const c = draft.case;
      const sprints = draft.sprintList();
      let sprint = scope.kind === 'current' ? window.number : scope.kind === 'sprint' ? scope.sprint : undefined;
      if (scope.kind === 'named') {
        const found = sprintNamed(sprints, c.layout.sprintForms, scope.name);
        if (found === null) {
          const names = sprints.map((s) => sprintHeading(s, c.layout.sprintForms)).slice(-5);
          return error(`There is no sprint called “${gist(scope.name, 60)}” in this case. Its latest sprints: ${names.join(', ')}. Try \`list sprint <N>\` or \`list all\`.`);
        }
        sprint = found;
      }
      if (sprint !== undefined && !draft.sprint(sprint)) {
        const first = sprints[0]?.number ?? 0;
        return error(first === window.number
          ? `There is no Sprint ${sprint} in this case: the only sprint so far is Sprint ${first}.`
          : `There is no Sprint ${sprint} in this case. Sprints here run from ${first} to ${window.number}.`);
      }
      const decisions = draft.decisionList(sprint === undefined ? {} : { sprint });
      const evidence = draft.evidenceList();
      const phaseOf = phaseLabeller(sprints);
      const heading = sprint === undefined ? 'All decisions' : `Decisions in ${withPhase(sprintHeading(draft.sprint(sprint) ?? { number: sprint, suffix: '' }, c.layout.sprintForms), phaseOf(sprint))}`;
      return {
        kind: 'decisions', visibility: 'caller', caseId: c.id, heading,
        summary: `${heading}: ${decisions.length}`,
        decisions: decisions.map((d) => decisionView(d, evidence, sprints, c, phaseOf)),
        emptyText: sprint === undefined ? 'No decisions yet. Record one with `/decision <text>`.' : `No decisions in Sprint ${sprint} yet.`,
        total: decisions.length, next: null,
      };
    },

    async show(ctx, { decision: n, toChange }) {
      const { draft } = await kit.read(ctx);
      const d = toChange === undefined ? draft.decision(n) ?? error(noSuchDecision(draft, n), 'decision') : activeDecision(draft, n, CHANGES[toChange], true);
      if (isReply(d)) return d;
      return decisionReply(draft, d, 'shown', `Decision ${n}: ${gist(d.text)}`, null, null);
    },

    async search(ctx, { words, page }) {
      const { draft } = await kit.read(ctx);
      const c = draft.case;
      const terms = words.toLowerCase().split(/\s+/).filter((w) => w.length > 0);
      const sprints = draft.sprintList();
      const phaseOf = phaseLabeller(sprints);
      const evidence = draft.evidenceList();
      const scored = draft.decisionList().filter((d) => {
        const haystack = [d.text, ...evidence.filter((e) => e.decision === d.number).map((e) => e.text)].join('\n').toLowerCase();
        return terms.every((t) => haystack.includes(t));
      }).sort((a, b) => b.number - a.number);
      const pages = Math.max(1, Math.ceil(scored.length / SEARCH_LIMIT));
      const from = (Math.min(page, pages) - 1) * SEARCH_LIMIT;
      const shown = scored.slice(from, from + SEARCH_LIMIT);
      const paged = scored.length > SEARCH_LIMIT;
      const range = paged ? `; showing ${from + 1} to ${from + shown.length}, newest first` : '';
      const next = from + shown.length < scored.length ? `search ${words} page ${Math.min(page, pages) + 1}` : null;
      return {
        kind: 'decisions', visibility: 'caller', caseId: c.id,
        heading: `Decisions matching "${gist(words, 60)}"`,
        summary: `${count(scored.length, 'decision')} ${scored.length === 1 ? 'matches' : 'match'} "${gist(words, 60)}"${range}.`,
        decisions: shown.map((d) => decisionView(d, evidence, sprints, c, phaseOf)),
        emptyText: `Nothing matches "${gist(words, 60)}".`,
        total: scored.length, next,
      };
    },

    async form(ctx, command) {
      const { draft, window } = await kit.read(ctx);
      const f: FormView = {
        sprints: draft.sprintList().filter((s) => s.number <= window.number).sort((a, b) => b.number - a.number)
          .map((s) => ({ number: s.number, heading: sprintHeading(s, draft.case.layout.sprintForms) })),
        current: window.number, text: command.text ?? '', sourceUrl: command.sourceUrl ?? null,
      };
      return { kind: 'form', visibility: 'caller', caseId: draft.case.id, form: f, summary: 'Record a decision' };
    },

    async help(_ctx, { topic, greeting }): Promise<Reply> {
      if (greeting) return { kind: 'help', visibility: 'caller', topic: null, entries: HELP, summary: WELCOME, greeting: true };
      if (topic === null) return { kind: 'help', visibility: 'caller', topic: null, entries: HELP, summary: 'Commands: ' + HELP.map((h) => h.command).join(', '), greeting: false };
      const entry = HELP.find((h) => h.command === topic || topic.startsWith(`${h.command} `));
      if (!entry) return error(`There is no command "${gist(topic, 40)}". Try \`help\` for the list.`);
      return { kind: 'help', visibility: 'caller', topic: entry.command, entries: [entry], summary: `${entry.usage}: ${entry.summary}`, greeting: false };
    },
  };
}

/** Decisions to pick from when adding evidence: the current sprint's first, then the rest, newest first. */
export async function pickableDecisions(kit: Kit, ctx: CommandContext): Promise<Array<{ number: number; text: string; sprint: number }>> {
  const { draft, window } = await kit.read(ctx);
  const rank = (d: Decision): number => (d.sprint === window.number ? 0 : 1);
  return draft.decisionList().filter((d) => d.status === 'active' || d.status === 'proposed')
    .sort((a, b) => rank(a) - rank(b) || b.number - a.number)
    .map((d) => ({ number: d.number, text: d.text, sprint: d.sprint }));
}

/** A case's state for the App Home: its current sprint and last decision. */
export async function caseSummary(kit: Kit, c: Case): Promise<{ sprint: string; lastDecision: { number: number; text: string } | null }> {
  const { draft, window } = await kit.read({ place: c.place, actor: { id: '', name: '' } });
  const last = draft.decisionList().at(-1);
  return {
    sprint: withPhase(sprintHeading(draft.sprint(window.number) ?? { number: window.number, suffix: '' }, draft.case.layout.sprintForms), phaseLabeller(draft.sprintList())(window.number)),
    lastDecision: last ? { number: last.number, text: last.text } : null,
  };
}

/** The sprint called `name` in chat ("Iteration 3", "sprint M2-S5", "M2-S5"), or null. */
function sprintNamed(sprints: Sprint[], forms: Case['layout']['sprintForms'], name: string): number | null {
  const wanted = name.trim().toLowerCase().replace(/\s+/g, ' ');
  const bare = wanted.replace(/^sprint /, '');
  for (const s of sprints) {
    const shown = sprintHeading(s, forms).toLowerCase().replace(/\s+/g, ' ');
    if (shown === wanted || shown === `sprint ${bare}` || shown.replace(/^\S+ /, '') === bare) return s.number;
  }
  return null;
}
