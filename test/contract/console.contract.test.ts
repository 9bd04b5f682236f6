import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import { createConsoleAdapter } from '../../src/adapters/console/index.ts';
import { describeAdapterContract } from './adapter-contract.ts';
import { readConsole } from './console-output.ts';

const LIMIT = 2000;

/** Type a value the way a person would: quoted when it has spaces. */
const typed = (v: string | number | boolean): string => {
  const s = String(v);
  return /\s/.test(s) ? `"${s}"` : s;
};

describeAdapterContract('console', async (commands) => {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.setEncoding('utf8');
  output.on('data', (chunk: string) => (screen += chunk));
  const person = 'alice';
  const imageDir = mkdtempSync(join(tmpdir(), 'prepbot-console-images-'));
  const adapter = createConsoleAdapter({ input, output, person, color: false, commands, limit: LIMIT, imageDir });
  // Output is written synchronously, but PassThrough emits 'data' on a later tick: let it flow first.
  const drain = () => new Promise<void>((r) => setImmediate(r));
  const type = (line: string) => {
    input.write(`${line}\n`);
  };
  return {
    adapter,
    workspace: 'local',
    channel: 'main',
    users: [person],
    messageLimit: LIMIT,
    driver: {
      async command(_user, command, options) {
        type([`/${command}`, ...Object.entries(options).map(([k, v]) => `${k}:${typed(v)}`)].join(' '));
      },
      async press(_user, message, label) {
        const b = message.buttons.find((x) => x.label === label);
        if (!b) throw new Error(`no button ${label} on screen`);
        type(String(b.handle));
      },
      async submitForm(_user, _form, text) {
        for (const line of text.split('\n')) type(line);
        type('.');
      },
      async autocomplete(_user, command, option, partial) {
        return adapter.complete(`/${command} ${option}:${partial}`);
      },
    },
    async seenBy(user) {
      await drain();
      return readConsole(screen, person).messages.filter(
        (m) => m.conversationId === adapter.conversationId && (m.visibility === 'public' || m.recipient === user),
      );
    },
    async seenIn(user, conversationId) {
      await drain();
      return readConsole(screen, person).messages.filter(
        (m) => m.conversationId === conversationId && (m.visibility === 'public' || m.recipient === user),
      );
    },
    async imagesSeenBy(user) {
      await drain();
      return readConsole(screen, person)
        .pictures.filter((pic) => pic.visibility === 'public' || user === person)
        .map((pic) => ({
          conversationId: pic.conversationId,
          visibility: pic.visibility,
          // The console makes the file name unique; the picture's own name ends it.
          name: basename(pic.path).replace(/^[0-9a-f]{8}-\d+-/, ''),
          bytes: readFileSync(pic.path),
          ...(pic.alt !== undefined ? { alt: pic.alt } : {}),
        }));
    },
    async formsOpenedFor() {
      await drain();
      return readConsole(screen, person).forms;
    },
    async assertStopped() {
      await adapter.done;
      expect(adapter.running).toBe(false);
      expect(input.listenerCount('data')).toBe(0);
      expect(input.listenerCount('end')).toBe(0);
    },
    async close() {
      await adapter.stop();
      input.end();
      rmSync(imageDir, { recursive: true, force: true });
    },
  };
});
