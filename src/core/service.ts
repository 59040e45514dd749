/**
 * The case service: every surface (Slack, Teams, console, CLI) runs commands through here
 * and gets view models back. Each command family's rules live in one small file under
 * `commands/`; this file only wires them into one typed map (so the compiler finds a
 * missing handler) and is the one place that turns store failures into replies, for typed
 * commands, buttons, forms and message actions alike.
 */
import { parseCommand, type Command } from './grammar';
import { RepositoryError, StoreConflict, StoreUnavailable } from './ports';
import type { Case } from './model';
import type { DigestWindow } from './schedule';
import { publishingHandlers } from './commands/publishing';
import { weeklyPublication } from './publishing/weekly';
import type { Reply } from './views';
import { amendHandlers } from './commands/amend';
import { caseDocumentHandlers } from './commands/case-document';
import { importHandlers } from './commands/import-case';
import { createKit, error, type CommandContext, type CommandName, type Handler, type Handlers, type ServiceDeps } from './commands/kit';
import { caseSummary, pickableDecisions, readingHandlers } from './commands/reading';
import { recordHandlers } from './commands/record';
import { digestReplyFor, retroReplyFor, scheduleHandlers, stopPosting } from './commands/schedules';
import { sharingHandlers } from './commands/sharing';
import { sprintHandlers } from './commands/sprints';
import { undoHandlers } from './commands/undo';
import { tagHandlers } from './commands/tags';
import { phaseHandlers } from './commands/phases';
import { assessmentHandlers } from './commands/assessment';
import { canvasHandlers } from './commands/canvas';
import type { CanvasOutcome } from './canvas/keep';

export type { Clock, CommandContext, ServiceDeps } from './commands/kit';
export { sharingOff, slug } from './commands/sharing';

export type CaseService = ReturnType<typeof createCaseService>;

export function createCaseService(deps: ServiceDeps) {
  const kit = createKit(deps);
  const digestReply = digestReplyFor(kit);
  const { keeper: canvasKeeper, ...canvas } = canvasHandlers(kit);
  const handlers: Handlers = {
    ...canvas,
    ...recordHandlers(kit),
    ...amendHandlers(kit),
    ...undoHandlers(kit),
    ...readingHandlers(kit),
    ...sprintHandlers(kit),
    ...caseDocumentHandlers(kit),
    ...scheduleHandlers(kit, digestReply),
    ...sharingHandlers(kit),
    ...importHandlers(kit),
    ...publishingHandlers(kit, digestReply),
    ...tagHandlers(kit),
    ...phaseHandlers(kit),
    ...assessmentHandlers(kit),
  };

  /** Runs one command. Never throws for what a person can be told: failures come back as replies. */
  async function runCommand(ctx: CommandContext, command: Command): Promise<Reply> {
    const handler = handlers[command.name] as Handler<CommandName>;
    try {
      return await handler(ctx, command as never);
    } catch (err) {
      if (err instanceof StoreConflict || err instanceof StoreUnavailable || err instanceof RepositoryError) return error(err.message);
      throw err;
    }
  }

  /** Runs the words a person typed. */
  async function run(ctx: CommandContext, text: string): Promise<Reply> {
    const parsed = parseCommand(text);
    if (parsed.name === 'error') return error(parsed.message, null, parsed.suggestion);
    return runCommand(ctx, parsed);
  }

  return {
    run,
    runCommand,
    pickableDecisions: (ctx: CommandContext) => pickableDecisions(kit, ctx),
    /** For adapters that show a case's state (App Home): its current sprint and last decision. */
    summary: (c: Case) => caseSummary(kit, c),
    digestReply: (c: Case, window: Parameters<typeof digestReply>[1], options: Parameters<typeof digestReply>[2]) => digestReply(c, window, options),
    retroReply: retroReplyFor(kit),
    caseLink: (c: Case): string | null => (deps.shareUrl ? deps.shareUrl(c) : null),
    /** Switches off a case's scheduled posts (its channel is gone), as the bot's own change. */
    stopPosting: (c: Case, reason: string) => stopPosting(kit, c, reason),
    /** Brings a case's canvas up to date, when it is kept in one and it is this process's turn (the canvas keeper runs it). */
    syncCanvas: async (caseId: string): Promise<CanvasOutcome> => (canvasKeeper ? canvasKeeper.sync(caseId) : { kind: 'off' }),
    /** Whether this process can publish to GitHub (it has credentials). */
    canPublish: (): boolean => deps.repositories !== undefined,
    /** The weekly publication of a case to GitHub, right after its digest (the scheduler claims it once). */
    publishWeekly: (c: Case, due: { period: string; window: DigestWindow }) => weeklyPublication(kit, digestReply, c, due),
  };
}
