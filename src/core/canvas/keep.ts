/**
 * Keeping a case's canvas current, exactly once however many processes run.
 *
 * One step brings one case's canvas up to date: it makes the canvas (the channel's own, or
 * when the channel has a canvas the bot did not make, one apart shared with the channel), or
 * replaces its whole content with the case as it stands. The step is claimed on the version
 * the canvas shows (CanvasStore), so of any number of processes one writes it, and writes
 * it from the case as it is when the claim is won: every change before reaches it. At most
 * one write a case every CANVAS_GAP_MS: a change sooner waits, and the changes made while
 * it waits reach the canvas together. A 429 is waited out here, holding no posting slot
 * (the caller's limiter wraps each platform call), as long as the claim's lease allows.
 *
 * What Slack refuses is said in plain words, recorded on the case (the canvas switched
 * off, `problem` set) and answered by whoever asked, or told to the channel once.
 */
import { BOT_ACTOR } from '../commands/schedules';
import type { Kit } from '../commands/kit';
import { notice } from '../commands/kit';
import { caseDocumentView } from '../document-view';
import type { Case, CaseCanvas, Platform } from '../model';
import { CanvasFailure, type CanvasRefusal, type CanvasStore, type ChannelCanvases } from '../ports';
import { canvasMarkdown } from './markdown';

/** At most one write of a case's canvas in this long. */
export const CANVAS_GAP_MS = 10_000;
/** How long a claim on a canvas's next write is held before another process may take it over. */
export const CANVAS_LEASE_MS = 60_000;
/** A wait for a rate limit must end this long before the lease does. */
const LEASE_MARGIN_MS = 5_000;
/** When Slack could not be reached: try again after this long. */
export const CANVAS_RETRY_MS = 30_000;
/** Another process holds the claim: look again after at most this long. */
const HELD_RECHECK_MS = 5_000;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What core needs to keep canvases: the platform's canvases, the store's bookkeeping, and who this process is. */
export interface CanvasDeps {
  /** The platform's canvases (Slack's), or null where it is not configured in this process. */
  api(platform: Platform): ChannelCanvases | null;
  store: CanvasStore;
  /** Who claims: unique per process. */
  owner: string;
  /** Waits out a rate limit (tests record the waits instead). */
  sleep?: (ms: number) => Promise<void>;
  /** Told of every refusal, wherever it was met (a command or the canvas loop), for /healthz. */
  refused?: (caseId: string, refusal: { code: string; words: string }) => void;
}

export type CanvasOutcome =
  /** Not kept: switched off, not a Slack case, or no such case. */
  | { kind: 'off' }
  /** The canvas shows the case as it stands. */
  | { kind: 'current' }
  /** To be looked at again at `at` (ms): the gap since the last write, another process's claim, or a failure to retry. */
  | { kind: 'later'; at: number; why: 'gap' | 'held' | 'retry'; reason?: string }
  | { kind: 'made'; how: 'channel' | 'adopted' | 'standalone'; canvas: CaseCanvas; caseId: string }
  | { kind: 'written'; version: number }
  /** Slack refused: the canvas is switched off, `words` say why (one line), `code` is Slack's own. */
  | { kind: 'refused'; words: string; reason: CanvasRefusal; code: string };

/** What each refusal means, in one line for chat and /healthz. */
export function refusalWords(reason: CanvasRefusal, code: string): string {
  switch (reason) {
    case 'plan':
      return `This workspace's Slack plan has no channel canvases (${code}), so the case is not in a canvas. \`/decision share\` gives a link to it instead.`;
    case 'disabled':
      return `Canvases are switched off in this workspace (${code}), so the case is not in a canvas. Once an admin switches them on, type \`/decision canvas on\`.`;
    case 'not found':
      return `Someone deleted the canvas the case was kept in (${code}), so I have stopped keeping it. \`/decision canvas on\` makes a new one.`;
    case 'not in channel':
      return `I am not a member of this channel (${code}), so I cannot keep the case in its canvas. Add me with \`/invite @Decisions\`, then type \`/decision canvas on\`.`;
    case 'missing scope':
      return `Decisions does not have Slack's permission to write canvases (${code}: canvases:write). Ask an admin to reinstall the app from its page, then type \`/decision canvas on\`.`;
    case 'restricted':
      return `Slack would not let me make or change a canvas here (${code}): a workspace admin may limit who can. Once they allow it, type \`/decision canvas on\`.`;
    case 'not installed':
      return `Decisions is no longer installed in this workspace (${code}), so the case is not kept in a canvas.`;
    case 'too big':
      return `Slack refused the case as too big for a canvas (${code}), so I have stopped keeping it. \`/decision share\` gives a link to the whole case.`;
    case 'other':
      return `Slack refused to keep the case in a canvas (${code}), so I have stopped. Type \`/decision canvas on\` to try again.`;
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function createCanvasKeeper(kit: Kit, deps: CanvasDeps) {
  const { store } = deps;
  const sleep = deps.sleep ?? realSleep;
  const now = (): number => kit.now().getTime();

  /** Records what the bot found out about the canvas, as the bot (no change in history). The version that write committed, or null. */
  async function record(c: Case, fields: Partial<CaseCanvas>): Promise<{ read: number | null; committed: boolean }> {
    let read: number | null = null;
    const reply = await kit.write({ place: c.place, actor: BOT_ACTOR }, (draft) => {
      read = draft.readVersion;
      const canvas = draft.case.canvas ?? { on: false, id: null, kind: 'channel', url: null, problem: null };
      draft.setCase({ canvas: { ...canvas, ...fields } });
      return notice('Recorded the canvas.', 'caller');
    });
    return { read, committed: reply.kind !== 'error' };
  }

  async function refuse(c: Case, failure: { reason: CanvasRefusal; code: string }): Promise<CanvasOutcome> {
    const words = refusalWords(failure.reason, failure.code);
    // A canvas someone deleted is forgotten: `canvas on` makes a new one.
    await record(c, { on: false, problem: words, ...(failure.reason === 'not found' ? { id: null, url: null } : {}) });
    deps.refused?.(c.id, { code: failure.code, words });
    return { kind: 'refused', words, reason: failure.reason, code: failure.code };
  }

  /** Makes the canvas: the channel's own; one the bot made before; or one apart, shared with the channel. */
  async function make(api: ChannelCanvases, c: Case, title: string, markdown: string): Promise<{ how: 'channel' | 'adopted' | 'standalone'; fields: Partial<CaseCanvas> }> {
    const made = await api.createChannelCanvas(c.place, title, markdown);
    if ('created' in made) return { how: 'channel', fields: { id: made.created, kind: 'channel', url: null } };
    if (made.exists.ours && made.exists.id !== null) {
      await api.replace(c.place, made.exists.id, markdown);
      return { how: 'adopted', fields: { id: made.exists.id, kind: 'channel', url: null } };
    }
    // The channel's canvas is someone else's: never written over.
    const own = await api.createStandalone(c.place, title, markdown);
    // Kept at once, so a failure sharing it never makes a second one.
    await record(c, { id: own.id, kind: 'standalone', url: own.url });
    await api.shareWithChannel(c.place, own.id);
    return { how: 'standalone', fields: { id: own.id, kind: 'standalone', url: own.url } };
  }

  /** One attempt under the claim: made or written, or what stopped it (a rate limit comes back to wait out). */
  async function attempt(api: ChannelCanvases, caseId: string): Promise<CanvasOutcome | { kind: 'slow down'; ms: number }> {
    const snapshot = await kit.deps.store.snapshot(caseId);
    const c = snapshot?.case;
    if (!snapshot || !c?.canvas?.on) {
      await store.releaseCanvas(caseId, deps.owner, null);
      if (c) await store.settleCanvas(caseId, c.version);
      return { kind: 'off' };
    }
    const canvas = c.canvas;
    const doc = canvasMarkdown(caseDocumentView(snapshot), { page: kit.deps.shareUrl?.(c) ?? null });
    try {
      if (canvas.id !== null) {
        await api.replace(c.place, canvas.id, doc.markdown);
        await store.releaseCanvas(caseId, deps.owner, { version: c.version, at: iso(now()) });
        return { kind: 'written', version: c.version };
      }
      const { how, fields } = await make(api, c, doc.title, doc.markdown);
      const { read, committed } = await record(c, { ...fields, problem: null });
      // The write that kept the id changed nothing the canvas shows: when nobody wrote in
      // between, the canvas shows that version too.
      const shown = committed && read === c.version ? c.version + 1 : c.version;
      await store.releaseCanvas(caseId, deps.owner, { version: shown, at: iso(now()) });
      return { kind: 'made', how, canvas: { ...canvas, ...fields, problem: null }, caseId };
    } catch (err) {
      if (!(err instanceof CanvasFailure)) throw err;
      const f = err.failure;
      if (f.kind === 'rate limited') return { kind: 'slow down', ms: f.retryAfterMs };
      await store.releaseCanvas(caseId, deps.owner, null);
      if (f.kind === 'unavailable') return { kind: 'later', at: now() + CANVAS_RETRY_MS, why: 'retry', reason: f.detail };
      return refuse(c, f);
    }
  }

  /**
   * Brings the case's canvas up to date, if it is kept and it is this process's turn. Never
   * throws for what Slack says; a failure of the store is thrown, and the claim let go.
   */
  async function sync(caseId: string, options: { waitOutRateLimits?: boolean } = {}): Promise<CanvasOutcome> {
    // A command never waits for Slack to take more: the canvas loop does, holding no request.
    const wait = options.waitOutRateLimits ?? true;
    const progress = await store.canvasProgress(caseId);
    const c = progress ? await kit.deps.store.getCase(caseId) : null;
    if (!progress || !c) return { kind: 'off' };
    const api = deps.api(c.place.platform);
    if (!c.canvas?.on || !api) {
      // Not kept, or not here: a process with the platform looks at it.
      if (!c.canvas?.on) await store.settleCanvas(caseId, c.version);
      return { kind: 'off' };
    }
    if (c.canvas.id !== null && progress.shownVersion >= c.version) {
      await store.settleCanvas(caseId, c.version);
      return { kind: 'current' };
    }
    const at = now();
    if (c.canvas.id !== null && progress.writtenAt !== null) {
      const next = Date.parse(progress.writtenAt) + CANVAS_GAP_MS;
      if (next > at) return { kind: 'later', at: next, why: 'gap' };
    }
    const leaseEnds = at + CANVAS_LEASE_MS;
    if (!await store.claimCanvas(caseId, progress.shownVersion, deps.owner, iso(at), iso(leaseEnds))) {
      const held = progress.heldUntil === null ? at + HELD_RECHECK_MS : Math.min(Date.parse(progress.heldUntil), at + HELD_RECHECK_MS);
      return { kind: 'later', at: Math.max(held, at + 100), why: 'held' };
    }
    try {
      for (;;) {
        const result = await attempt(api, caseId);
        if (result.kind !== 'slow down') return result;
        // "Slow down" is no failure: waited out while the claim lasts, then the case as it is then.
        if (!wait || now() + result.ms + LEASE_MARGIN_MS >= leaseEnds) {
          await store.releaseCanvas(caseId, deps.owner, null);
          return { kind: 'later', at: now() + result.ms, why: 'retry', reason: `rate limited for ${Math.ceil(result.ms / 1000)} s` };
        }
        await sleep(result.ms);
      }
    } catch (err) {
      await store.releaseCanvas(caseId, deps.owner, null).catch(() => undefined);
      throw err;
    }
  }

  return { sync };
}

export type CanvasKeeper = ReturnType<typeof createCanvasKeeper>;
