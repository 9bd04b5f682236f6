import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { coreCommands } from '../../../src/core/commands.ts';
import { scheduleSpec } from '../../../src/core/schedule/commands.ts';
import { interviewSpec } from '../../../src/core/interview/spec.ts';
import { daystartSpec } from '../../../src/core/daystart.ts';
import { breakSpec } from '../../../src/core/breaks.ts';
import { settingsSpec } from '../../../src/core/settings.ts';

interface Manifest {
  features: { slash_commands: { command: string; description: string }[]; app_home: { home_tab_enabled: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { socket_mode_enabled: boolean; interactivity: { is_enabled: boolean }; event_subscriptions: { bot_events: string[] } };
}

const manifest = parse(readFileSync(new URL('../../../manifest.yml', import.meta.url), 'utf8')) as Manifest;

describe('manifest.yml', () => {
  const commands = manifest.features.slash_commands.map((c) => c.command);

  it('lists every declared command plus the /prep umbrella, once each', () => {
    for (const spec of [...coreCommands, scheduleSpec, interviewSpec, daystartSpec, breakSpec, settingsSpec]) expect(commands).toContain(`/${spec.name}`);
    expect(commands).toContain('/prep');
    expect(new Set(commands).size).toBe(commands.length);
  });

  it.each([scheduleSpec, interviewSpec])('documents every /$name subcommand in its usage hint', (spec) => {
    const hint = manifest.features.slash_commands.find((c) => c.command === `/${spec.name}`) as { usage_hint?: string } | undefined;
    for (const sub of spec.subcommands ?? []) expect(hint?.usage_hint).toContain(sub.name);
  });

  it('gives every command a description', () => {
    for (const c of manifest.features.slash_commands) expect(c.description.length).toBeGreaterThan(0);
  });

  it('asks for the scopes the adapter calls need', () => {
    const scopes = manifest.oauth_config.scopes.bot;
    // commands: slash commands; chat:write(+public): replies; channels:join: not_in_channel recovery;
    // users:read: admin flags and names; im:write: the app DM for Home-tab answers and private pictures; files:write: the /stats chart.
    for (const s of ['commands', 'chat:write', 'chat:write.public', 'channels:join', 'users:read', 'im:write', 'files:write']) expect(scopes).toContain(s);
  });

  it('enables Socket Mode, interactivity (buttons, modals) and the Home tab event', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain('app_home_opened');
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });
});
