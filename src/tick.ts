/**
 * `decisions tick [--now <ISO time>]`: one scheduler tick, for operators, cron and tests.
 * Mounts the surfaces only to post (no HTTP port, no Socket Mode), sends what is due at
 * `now`, prints one line per piece of work it sent, failed or skipped, then a summary.
 */
import type { Writable } from 'node:stream';
import type { Config } from './config';
import { createLogger } from './logger';
import { startApp } from './app';
import { describePlace } from './scheduler';
import type { TickItem } from './scheduler';

export function tickLine(item: TickItem): string | null {
  const what = `${item.kind} ${item.period}`;
  const where = describePlace(item.place);
  switch (item.outcome) {
    case 'sent': return item.kind === 'publish' ? `published ${item.period} for ${where}${item.detail ? `: ${item.detail}` : ''}` : `sent ${what} to ${where}`;
    case 'gone': return `gone ${what} to ${where}: ${item.reason ?? 'the bot was removed'}; switched off its digest and retro prompt`;
    case 'failed': return `failed ${what} to ${where} (attempt ${item.attempt ?? 1}; retried after the lease): ${item.reason ?? 'unknown error'}`;
    case 'gave up': return `gave up ${what} to ${where} after ${item.attempt ?? 1} attempts: ${item.reason ?? 'unknown error'}`;
    case 'no surface': return `skipped ${what} for ${where}: ${item.reason ?? 'no surface'}`;
    case 'taken': return null;
  }
}

export function tickSummary(now: Date, items: TickItem[]): string {
  const count = (o: TickItem['outcome']) => items.filter((i) => i.outcome === o).length;
  const parts = [`${count('sent')} sent`];
  for (const [o, words] of [['gone', 'switched off (bot removed)'], ['failed', 'failed'], ['gave up', 'given up'], ['no surface', 'skipped (platform not configured)'], ['taken', 'already sent or being sent elsewhere']] as const) {
    if (count(o) > 0) parts.push(`${count(o)} ${words}`);
  }
  return `tick at ${now.toISOString()}: ${parts.join(', ')}`;
}

export async function runTick(config: Config, now: Date, out: Writable = process.stdout): Promise<TickItem[]> {
  // Logs go to stderr: stdout is the report. Unless LOG_LEVEL asks for more, only warnings
  // and errors: the report already says each post once.
  const logger = createLogger(process.env.LOG_LEVEL ? config.logLevel : 'warn', process.stderr);
  const app = await startApp(config, logger, { clock: { now: () => now }, receive: false, scheduler: false });
  try {
    const items = await app.scheduler.tick(now);
    for (const item of items) {
      const line = tickLine(item);
      if (line) out.write(`${line}\n`);
    }
    out.write(`${tickSummary(now, items)}\n`);
    return items;
  } finally {
    await app.stop();
  }
}
