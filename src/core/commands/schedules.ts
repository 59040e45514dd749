/**
 * The case's rhythm: the weekly digest and the end-of-sprint retro prompt (when, on or off),
 * its time zone, and the digest and retro prompt themselves as the scheduler posts them.
 */
import { buildDigest, digestSummary } from '../digest';
import { gist } from '../format';
import { WEEKDAY_NAMES } from '../grammar';
import type { Case, CaseFields, CaseSnapshot } from '../model';
import { buildRetroPrompt, retroSummary } from '../retro';
import { isoWeekKey, previewWindow, zoneDate, type DigestWindow } from '../schedule';
import type { PublishedLink } from '../digest-views';
import { digestWhen, publishedLinkFor } from '../publishing/settings';
import type { Reply, ReplyOf } from '../views';
import { HOLIDAY_REGIONS, holidayRegion, workingDaysText } from '../holidays';
import { said } from '../said';
import { error, notice, touch, type CommandContext, type Handlers, type Kit } from './kit';

/** IANA zone names the runtime knows; checked by formatting a date in them. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}

/** The retro prompt's setting in words, for `retro` alone. */
function retroSetting(c: Case): string {
  const when = `at ${c.schedule.retroTime} on the last working day of each sprint, ${c.timeZone} time`;
  return c.schedule.retroOn
    ? `The end-of-sprint retro prompt is on here: it posts ${when}. \`retro off\` switches it off; \`retro 15:30\` sets another time.`
    : `The end-of-sprint retro prompt is off here; \`retro on\` posts it ${when}.`;
}

export function scheduleHandlers(kit: Kit, digestReply: DigestReply): Pick<Handlers, 'digest' | 'digest switch' | 'digest time' | 'retro' | 'retro switch' | 'retro time' | 'timezone' | 'holidays'> {
  /** Changes case settings as one undoable change. */
  function settle(ctx: CommandContext, fields: (c: Case) => CaseFields, describe: string | ((after: Case) => string), touched: string): Promise<Reply> {
    return kit.write(ctx, (draft) => {
      const c = draft.case;
      const after = fields(c);
      const description = typeof describe === 'string' ? describe : describe({ ...c, ...after });
      const before = Object.fromEntries(Object.keys(after).map((k) => [k, c[k as keyof CaseFields]])) as CaseFields;
      draft.setCase(after);
      draft.addChange({ id: kit.deps.newId(), actor: ctx.actor, at: kit.nowIso(), description, undo: [{ op: 'putCase', fields: before }], touches: [touch.caseField(touched)] });
      return notice(said`${ctx.actor} ${description}.`);
    });
  }

  return {
    'digest switch': (ctx, { on }) => settle(ctx, (c) => ({ schedule: { ...c.schedule, digestOn: on } }), `switched the weekly digest ${on ? 'on' : 'off'}`, 'schedule.digest'),
    'digest time': (ctx, { weekday, time }) => settle(ctx, (c) => ({ schedule: { ...c.schedule, digestWeekday: weekday, digestTime: time } }), `set the weekly digest for ${WEEKDAY_NAMES[weekday]} at ${time}`, 'schedule.digest'),
    async retro(ctx) {
      const { draft } = await kit.read(ctx);
      return notice(retroSetting(draft.case), 'caller');
    },
    'retro switch': (ctx, { on }) => settle(ctx, (c) => ({ schedule: { ...c.schedule, retroOn: on } }), `switched the end-of-sprint retro prompt ${on ? 'on' : 'off'}`, 'schedule.retro'),
    'retro time': (ctx, { time }) => settle(ctx, (c) => ({ schedule: { ...c.schedule, retroTime: time } }), `set the retro prompt for ${time} on the last working day of each sprint`, 'schedule.retro'),

    async timezone(ctx, { timeZone }) {
      if (timeZone === null) {
        const { draft } = await kit.read(ctx);
        return notice(`This case runs on ${draft.case.timeZone} time. Working days are ${workingDaysText(draft.case)}.`, 'caller');
      }
      if (!isTimeZone(timeZone)) return error(`"${gist(timeZone, 60)}" is not a time zone name. Use a name such as Europe/London or America/New_York.`);
      return settle(ctx, () => ({ timeZone }), `set the time zone to ${timeZone}`, 'timeZone');
    },

    async holidays(ctx, { region }) {
      if (region === null) {
        const { draft } = await kit.read(ctx);
        return notice(`Working days here are ${workingDaysText(draft.case)}.`, 'caller');
      }
      // The default is no setting at all, as on a case that never had one.
      const withRegion = (c: Case): Case['schedule'] => {
        const { holidays: _old, ...rest } = c.schedule;
        return region === 'default' ? rest : { ...rest, holidays: region };
      };
      return settle(ctx, (c) => ({ schedule: withRegion(c) }), (after) => {
        const now = holidayRegion(after);
        return now === 'none' ? 'set working days to Monday to Friday, with no public holidays skipped' : `set working days to skip the public holidays of ${HOLIDAY_REGIONS[now].label}`;
      }, 'schedule.holidays');
    },

    async digest(ctx) {
      const { draft } = await kit.read(ctx);
      const c = draft.case;
      const published = publishedLinkFor(c, isoWeekKey(zoneDate(kit.now(), c.timeZone)));
      const reply = await digestReply(c, previewWindow(c, kit.now()), { linkUrl: kit.deps.shareUrl?.(c) ?? null, preview: true, published }, draft.snapshot());
      const when = digestWhen(c);
      const status = c.schedule.digestOn ? `The digest posts here on ${when}.` : `The weekly digest is off here; \`digest on\` posts it on ${when}.`;
      return { ...reply, summary: `${reply.summary} ${status}` };
    },
  };
}

/** `snapshot`: the case as the caller already read it; read from the store when absent. */
export type DigestReply = (c: Case, window: DigestWindow, options: { linkUrl: string | null; preview: boolean; published?: PublishedLink | null }, snapshot?: CaseSnapshot) => Promise<ReplyOf<'digest'>>;

/** The digest of a case over a window: scheduled (visibility channel) or a preview for the caller. */
export function digestReplyFor(kit: Kit): DigestReply {
  return async (c, window, options, given) => {
    const snap = given ?? await kit.deps.store.snapshot(c.id);
    const changes = await kit.deps.store.listChanges(c.id, window.since, window.until);
    // Links to a phase's assessment pack go with the link to the case page, never without it.
    const assessmentUrl = options.linkUrl ? (phase: string) => kit.deps.assessmentUrl?.(c, phase, 'page') ?? null : null;
    const digest = buildDigest(snap ?? { case: c, sprints: [], decisions: [], evidence: [] }, changes, window, { ...options, assessmentUrl });
    return { kind: 'digest', visibility: options.preview ? 'caller' : 'channel', caseId: c.id, digest, summary: digestSummary(digest) };
  };
}

/** The retro prompt for one sprint of a case. */
export function retroReplyFor(kit: Kit) {
  return async (c: Case, sprint: number): Promise<ReplyOf<'retro'>> => {
    const snap = await kit.deps.store.snapshot(c.id);
    const retro = buildRetroPrompt(snap ?? { case: c, sprints: [], decisions: [], evidence: [] }, sprint);
    return { kind: 'retro', visibility: 'channel', caseId: c.id, retro, summary: retroSummary(retro) };
  };
}

/** Who the bot is in a case's history when it changes something itself. */
export const BOT_ACTOR = { id: 'decisions-bot', name: 'Decisions' } as const;

/**
 * Switches a case's digest and retro prompt off because its channel is gone or the bot was
 * removed from it: a change like any other, so it shows in history and can be switched back on.
 */
export async function stopPosting(kit: Kit, c: Case, reason: string): Promise<Reply> {
  return kit.write({ place: c.place, actor: BOT_ACTOR }, (draft) => {
    const before = draft.case.schedule;
    if (!before.digestOn && !before.retroOn) return notice('Posting is already off here.', 'caller');
    draft.setCase({ schedule: { ...before, digestOn: false, retroOn: false } });
    draft.addChange({
      id: kit.deps.newId(), actor: BOT_ACTOR, at: kit.nowIso(), description: `stopped posting here (${reason})`,
      undo: [{ op: 'putCase', fields: { schedule: before } }], touches: [touch.caseField('schedule')],
    });
    return notice(`Posting stopped: ${reason}.`, 'caller');
  });
}
