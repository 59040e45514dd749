/**
 * The console: a terminal chat with the same grammar, for trying the bot offline.
 * Each line is a command, exactly as after `/decision` in Slack.
 */
import os from 'node:os';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { CaseService } from '../../src/core/service';
import type { Actor, Place } from '../../src/core/model';
import { renderText } from './render';

/** The person at the terminal, by their login name (replies say "ana undid: …", never "you undid"). */
export const CONSOLE_ACTOR: Actor = { id: 'console', name: loginName() };

function loginName(): string {
  try {
    return process.env.USER || os.userInfo().username || 'Console user';
  } catch {
    // No user database entry (some containers).
    return 'Console user';
  }
}

export function consolePlace(name: string): Place {
  return { platform: 'console', workspace: 'local', channel: name };
}

export async function runConsole(deps: { service: CaseService; caseName: string; input: Readable; output: Writable; actor?: Actor; prompt?: boolean }): Promise<void> {
  const { service, input, output } = deps;
  const place = consolePlace(deps.caseName);
  const actor = deps.actor ?? CONSOLE_ACTOR;
  const interactive = deps.prompt ?? false;
  const rl = readline.createInterface({ input, output: interactive ? output : undefined, terminal: interactive });
  const say = (text: string) => output.write(`${text}\n`);
  say(`Case "${deps.caseName}". Type a decision, or a command such as \`help\`, \`list\`, \`evidence 0 …\`, \`undo\`. Ctrl-D to leave.`);
  if (interactive) rl.setPrompt('decision> ');
  if (interactive) rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === 'exit' || text === 'quit') break;
    if (text !== '') {
      try {
        say(renderText(await service.run({ place, actor }, text)));
      } catch (err) {
        say(`Sorry, that failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (interactive) rl.prompt();
  }
  rl.close();
}
