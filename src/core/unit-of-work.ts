/**
 * How every command changes a case, in one place: read the case at one version, decide in
 * core, commit only if that version is still current. On a conflict the command runs again
 * on fresh state, a few times with jitter; a refusal decided on fresh state (the decision
 * was withdrawn a moment ago) is answered as it stands. "Done" is said only for what was
 * committed. Reads load the same way and never commit.
 */
import { newCase } from './cases';
import { CaseDraft } from './case-draft';
import type { Place } from './model';
import type { CaseStore } from './ports';
import type { Reply } from './views';

/** How many times a command is tried against a case that others keep changing. */
export const WRITE_ATTEMPTS = 8;

export const BUSY_MESSAGE = 'So many changes reached this case at the same moment that yours could not be saved. Nothing changed; please try again.';

export interface UnitOfWorkDeps {
  store: CaseStore;
  now: () => Date;
  newId: () => string;
  /** Waits before another attempt; randomised so racing processes spread out. */
  pause?: (attempt: number) => Promise<void>;
}

/**
 * Thrown by a decision that read something newer than its draft (a change committed after
 * the case was loaded): the command runs again on fresh state, as on a lost commit.
 */
export class StaleRead extends Error {
  constructor() {
    super('The case changed while this command was reading it.');
    this.name = 'StaleRead';
  }
}

const jitter = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 3 * 2 ** attempt)));

/** The case of a place as it stands, or a new empty one held in memory only. */
export async function loadDraft(deps: UnitOfWorkDeps, place: Place): Promise<CaseDraft> {
  const found = await deps.store.loadCase(place);
  if (found) return new CaseDraft(found, true);
  const made = newCase({ id: deps.newId(), place, now: deps.now().toISOString() });
  return new CaseDraft({ case: made, sprints: [], decisions: [], evidence: [] }, false);
}

/**
 * Runs `decide` on the case of `place` and commits what it changed. `decide` must not
 * write anywhere itself: it may run several times. An error reply commits nothing.
 */
export async function runWrite(
  deps: UnitOfWorkDeps,
  place: Place,
  decide: (draft: CaseDraft) => Reply | Promise<Reply>,
): Promise<Reply> {
  const pause = deps.pause ?? jitter;
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt += 1) {
    const draft = await loadDraft(deps, place);
    let reply: Reply;
    try {
      reply = await decide(draft);
    } catch (err) {
      if (!(err instanceof StaleRead)) throw err;
      await pause(attempt);
      continue;
    }
    if (reply.kind === 'error') return reply;
    const write = draft.toWrite(deps.now().toISOString());
    if (write === null || await deps.store.commit(write)) return reply;
    await pause(attempt);
  }
  return { kind: 'error', visibility: 'caller', summary: BUSY_MESSAGE, message: BUSY_MESSAGE, suggestion: null, field: null };
}
