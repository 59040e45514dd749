/**
 * Slack's canvases as the Web API keeps them, on the nock-stubbed Slack host: one channel
 * canvas a channel (a second conversations.canvases.create is `channel_canvas_already_exists`),
 * standalone canvases, read access shared with channels, and canvases.edit `replace` with no
 * section replacing the whole content (an unknown or deleted canvas is `canvas_not_found`).
 * `refuse` makes the next calls of a method fail with a code, or 429 with Retry-After.
 */
import { nock, replyWith } from '../../helpers/native';
import { parseCallBody, SLACK_ORIGIN } from './helpers';
import type { Call, FakeSlack } from './helpers';

export interface FakeCanvas {
  id: string;
  channel: string | null;
  title: string;
  markdown: string;
  shared: Array<{ channel: string; access: string }>;
}

type Refusal = { error: string; times: number } | { status429: number; times: number };

export class FakeCanvases {
  readonly canvases = new Map<string, FakeCanvas>();
  /** Channel → its channel canvas id. */
  readonly channelCanvas = new Map<string, string>();
  private readonly refusals = new Map<string, Refusal>();
  private next = 1;

  constructor(private readonly slack: FakeSlack) {
    this.route('conversations.canvases.create', (call) => this.answer(call, () => {
      const channel = String(call.body.channel_id ?? '');
      if (!channel) return { ok: false, error: 'invalid_arguments' };
      if (this.channelCanvas.has(channel)) return { ok: false, error: 'channel_canvas_already_exists' };
      const id = this.make(channel, call);
      this.channelCanvas.set(channel, id);
      return { ok: true, canvas_id: id };
    }));
    this.route('canvases.create', (call) => this.answer(call, () => ({ ok: true, canvas_id: this.make(null, call) })));
    this.route('files.info', (call) => this.answer(call, () => {
      const c = this.canvases.get(String(call.body.file ?? ''));
      return c ? { ok: true, file: { id: c.id, title: c.title, filetype: 'quip', permalink: `https://example.slack.com/docs/T0TEAMA/${c.id}` } } : { ok: false, error: 'file_not_found' };
    }));
    this.route('canvases.access.set', (call) => this.answer(call, () => {
      const c = this.canvases.get(String(call.body.canvas_id ?? ''));
      if (!c) return { ok: false, error: 'canvas_not_found' };
      const channels = call.body.channel_ids as string[] | undefined;
      if (!Array.isArray(channels) || channels.length === 0) return { ok: false, error: 'invalid_parameters' };
      for (const channel of channels) c.shared.push({ channel, access: String(call.body.access_level) });
      return { ok: true };
    }));
    this.route('canvases.edit', (call) => this.answer(call, () => {
      const c = this.canvases.get(String(call.body.canvas_id ?? ''));
      if (!c) return { ok: false, error: 'canvas_not_found' };
      const changes = call.body.changes as Array<{ operation: string; section_id?: string; document_content?: { type: string; markdown: string } }>;
      // "Only one operation per API call is currently supported."
      if (!Array.isArray(changes) || changes.length !== 1) return { ok: false, error: 'invalid_arguments' };
      const [change] = changes;
      if (change?.operation !== 'replace' || change.section_id !== undefined || change.document_content?.type !== 'markdown') return { ok: false, error: 'invalid_arguments' };
      if (Buffer.byteLength(change.document_content.markdown) > 1_048_576) return { ok: false, error: 'canvas_too_large' };
      c.markdown = change.document_content.markdown;
      return { ok: true };
    }));
  }

  /** The next `times` calls of `method` fail with Slack's `error`. */
  refuse(method: string, error: string, times = 1): void {
    this.refusals.set(method, { error, times });
  }

  /** The next `times` calls of `method` are answered 429 with Retry-After `seconds`. */
  rateLimit(method: string, seconds: number, times = 1): void {
    this.refusals.set(method, { status429: seconds, times });
  }

  /** A person deletes the canvas. */
  delete(id: string): void {
    this.canvases.delete(id);
    for (const [channel, cid] of this.channelCanvas) if (cid === id) this.channelCanvas.delete(channel);
  }

  /** A person made the channel's canvas, before the bot came. */
  personMadeChannelCanvas(channel: string): string {
    const id = `F0PERSON${this.next++}`;
    this.canvases.set(id, { id, channel, title: 'Team notes', markdown: 'Our own notes', shared: [] });
    this.channelCanvas.set(channel, id);
    return id;
  }

  private make(channel: string | null, call: Call): string {
    const id = `F0CANVAS${this.next++}`;
    const content = call.body.document_content as { type?: string; markdown?: string } | undefined;
    this.canvases.set(id, { id, channel, title: String(call.body.title ?? ''), markdown: content?.markdown ?? '', shared: [] });
    return id;
  }

  /** Stubs `POST /api/<method>` for good, recording each call as FakeSlack does. */
  private route(method: string, handle: (call: Call) => [number, Record<string, unknown>, Record<string, string>]): void {
    nock(SLACK_ORIGIN).persist().post(`/api/${method}`).reply(replyWith((request) => {
      const auth = request.header('authorization');
      const call: Call = { method, body: parseCallBody(request.text, request.header('content-type')), token: auth ? auth.replace(/^Bearer /, '') : null, raw: request.text };
      this.slack.calls.push(call);
      return handle(call);
    }));
  }

  private answer(call: Call, ok: () => Record<string, unknown>): [number, Record<string, unknown>, Record<string, string>] {
    const r = this.refusals.get(call.method);
    if (r) {
      r.times -= 1;
      if (r.times <= 0) this.refusals.delete(call.method);
      if ('error' in r) return [200, { ok: false, error: r.error }, {}];
      return [429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(r.status429) }];
    }
    return [200, ok(), {}];
  }
}
