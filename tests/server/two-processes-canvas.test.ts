/**
 * Two real `decisions serve` processes on one SQLite file keep one channel canvas (issue 27):
 * changes made through both, at the real clock, reach the canvas once per coalesced change,
 * at most one write every 10 s, and the last change always arrives. The fake Slack Web API
 * answers on loopback. Needs `npm run build` first (npm test does).
 */
import fs from 'node:fs';
import { BIN, freePort } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';
import { ANA, BEN } from '../adapters/slack/helpers';
import { slackEnv, slashCommand, startLocalSlack, startServe } from './helpers/processes';
import type { LocalSlack, ServeProcess } from './helpers/processes';

jest.setTimeout(90_000);

const CHANNEL = 'C0CANVAS';
let dir: string;
let cleanup: () => void;
let slack: LocalSlack;
const started: ServeProcess[] = [];

beforeAll(async () => {
  if (!fs.existsSync(BIN.replace(/bin[/\\]decisions\.js$/, 'dist/src/cli.js'))) throw new Error('dist/ is missing: run `npm run build` before jest.');
  ({ dir, cleanup } = tempDir('decisions-canvas-two-'));
  slack = await startLocalSlack();
  const env = slackEnv(dir, slack.apiUrl);
  const results = await Promise.allSettled([startServe(env, { port: await freePort() }), startServe(env, { port: await freePort() })]);
  for (const r of results) if (r.status === 'fulfilled') started.push(r.value);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
});

afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  await slack?.close();
  cleanup?.();
});

const edits = () => slack.calls.filter((c) => c.path.endsWith('/canvases.edit'));

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('changes through both processes reach the canvas once per coalesced change, and the last one arrives', async () => {
  const [a, b] = started as [ServeProcess, ServeProcess];
  const on = await slashCommand(a, slack, 'canvas on', { user: ANA, channel: CHANNEL });
  expect(on.text).toContain('put the case in this channel\'s canvas');
  const id = slack.channelCanvases.get(CHANNEL) ?? '';
  expect(id).not.toBe('');
  const madeAt = Date.now();

  // A burst through both processes, for about 14 s: two or three coalesced writes.
  const said: string[] = [];
  for (let i = 1; i <= 14; i += 1) {
    const text = `We will try change ${i} through ${i % 2 === 0 ? 'A' : 'B'}`;
    const reply = await slashCommand(i % 2 === 0 ? a : b, slack, text, { user: i % 3 === 0 ? BEN : ANA, channel: CHANNEL });
    expect(reply.text).toContain('recorded');
    said.push(text);
    await new Promise((r) => setTimeout(r, 1000));
  }
  // Quiet: the last change arrives within one gap (10 s) and a poll or two.
  await until(() => said.every((text) => (slack.canvases.get(id) ?? '').includes(text)), 15_000);
  const settled = edits().length;
  await new Promise((r) => setTimeout(r, 3000));
  expect(edits()).toHaveLength(settled);

  // Never two writes of the same case at once, nor the same content twice (one write per coalesced change).
  const bodies = edits().map((c) => c.body);
  expect(new Set(bodies).size).toBe(bodies.length);
  // 14 changes over ~14 s, at most one write every 10 s: two or three writes, not fourteen.
  const span = (Date.now() - madeAt) / 1000;
  expect(bodies.length).toBeGreaterThanOrEqual(1);
  expect(bodies.length).toBeLessThanOrEqual(Math.ceil(span / 10) + 1);
  const times = edits().map((c) => c.at);
  for (let i = 1; i < times.length; i += 1) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(9_500);
  if (process.env.CANVAS_FIGURES) console.log(`canvas writes: ${bodies.length} for ${said.length} changes over ${span.toFixed(1)} s; gaps ${times.slice(1).map((t, i) => ((t - (times[i] ?? 0)) / 1000).toFixed(1)).join(', ')} s`);
  expect(slack.calls.filter((c) => c.path.endsWith('/conversations.canvases.create'))).toHaveLength(1);
});
