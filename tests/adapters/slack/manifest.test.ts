/** manifest.yml matches what the adapter listens for: commands, shortcuts, events, scopes, one URL. */
import fs from 'node:fs';
import path from 'node:path';
import { BOT_SCOPES, PATHS } from '../../../adapters/slack';
import { COMMANDS } from '../../../adapters/slack/listeners/commands';
import { SHORTCUTS } from '../../../adapters/slack/listeners/shortcuts';

// js-yaml ships without types here; a test-only reader for our own file.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require('js-yaml') as { load(text: string): unknown };

interface Manifest {
  features: {
    app_home: { home_tab_enabled: boolean };
    slash_commands: { command: string; url: string }[];
    shortcuts: { callback_id: string; type: string; name: string }[];
  };
  oauth_config: { redirect_urls: string[]; scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

const text = fs.readFileSync(path.join(__dirname, '../../../manifest.yml'), 'utf8');
const manifest = yaml.load(text) as Manifest;

it('has both commands, sent to /slack/events', () => {
  expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual([COMMANDS.decision, COMMANDS.evidence].sort());
  for (const c of manifest.features.slash_commands) expect(c.url.endsWith(PATHS.events)).toBe(true);
});

it('has both message shortcuts with the callback ids the adapter listens for', () => {
  expect(manifest.features.shortcuts.map((s) => [s.type, s.callback_id, s.name])).toEqual([
    ['message', SHORTCUTS.recordDecision, 'Record as decision'],
    ['message', SHORTCUTS.addEvidence, 'Add as evidence'],
  ]);
});

it('has the Home tab, interactivity and the events used, all at /slack/events', () => {
  expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  expect(manifest.settings.interactivity.is_enabled).toBe(true);
  expect(manifest.settings.interactivity.request_url.endsWith(PATHS.events)).toBe(true);
  expect(manifest.settings.event_subscriptions.request_url.endsWith(PATHS.events)).toBe(true);
  expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_home_opened', 'app_uninstalled', 'tokens_revoked']);
});

it('asks for the same minimum bot scopes as the OAuth install', () => {
  expect(manifest.oauth_config.scopes.bot).toEqual(BOT_SCOPES);
  expect(manifest.oauth_config.redirect_urls.every((u) => u.endsWith(PATHS.redirect))).toBe(true);
});

it('says how to switch Socket Mode on', () => {
  expect(manifest.settings.socket_mode_enabled).toBe(false);
  expect(text).toMatch(/#.*socket_mode_enabled: true/);
  expect(text).toMatch(/#.*SLACK_APP_TOKEN/);
});
