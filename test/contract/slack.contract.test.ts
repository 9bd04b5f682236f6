import { parseConversationId } from '../../src/chat/port.ts';
import { expect } from 'vitest';
import { createSlackAdapter } from '../../src/adapters/slack/index.ts';
import type { OptionValue } from '../../src/chat/port.ts';
import { FakeSlack, startFakeSlack, type FakeView, type SurfaceMessage } from '../fakes/slack/index.ts';
import { describeAdapterContract, type AdapterHarness, type SeenMessage } from './adapter-contract.ts';

const CHANNEL = 'C0GENERAL';

type Section = { type: string; text?: { text: string } };

function seen(m: SurfaceMessage, team: string): SeenMessage {
  const sections = (m.blocks as Section[]).filter((b) => b.type === 'section' && b.text).map((b) => b.text!.text);
  const parts = sections.length > 0 ? sections : [m.text];
  const isPublic = m.kind === 'message' || m.responseType === 'in_channel';
  return {
    conversationId: `slack:${team}:${m.channel}`,
    visibility: isPublic ? 'public' : 'private',
    ...(isPublic ? {} : { recipient: m.to }),
    parts,
    text: parts.join('\n'),
    buttons: FakeSlack.buttons(m.blocks).map((b) => ({ label: b.label, handle: b })),
    messageId: m.ts,
    handle: m,
  };
}

/** `word:hello count:3`, quoting values with spaces, as a person would type it after the command. */
function typed(options: Record<string, OptionValue>): string {
  return Object.entries(options)
    .map(([k, v]) => (/\s/.test(String(v)) ? `${k}:"${String(v)}"` : `${k}:${String(v)}`))
    .join(' ');
}

for (const mode of ['socket', 'http'] as const) {
  describeAdapterContract(
    `slack (${mode} mode)`,
    async (commands): Promise<AdapterHarness> => {
      const fake = await startFakeSlack();
      const adapter = createSlackAdapter({
        botToken: fake.botToken,
        appToken: fake.appToken,
        signingSecret: fake.signingSecret,
        mode,
        port: 0,
        host: '127.0.0.1',
        apiUrl: fake.apiUrl,
        commands,
        logger: { debug() {}, info() {}, warn() {}, error() {} },
        // SDK default keepalive: a short one drops the socket on any event-loop stall and loses envelopes.
      });
      const origStart = adapter.start.bind(adapter);
      let port: number | undefined;
      // HTTP mode: point the fake's driver at the receiver once it listens.
      adapter.start = async (handler) => {
        await origStart(handler);
        port = adapter.httpPort();
        if (mode === 'http') fake.transport = { kind: 'http', url: `http://127.0.0.1:${port}/slack/events` };
      };
      return {
        adapter,
        workspace: fake.team.id,
        channel: CHANNEL,
        users: ['U0ALICE', 'U0BOB'],
        messageLimit: 3000,
        driver: {
          async command(user, command, options) {
            await fake.slash(user, CHANNEL, `/${command} ${typed(options)}`);
          },
          async press(user, message, label) {
            await fake.click(user, message.handle as SurfaceMessage, { label });
          },
          async submitForm(user, form, text) {
            await fake.submitView(user, form.handle as FakeView, text);
          },
          // Never called: the suite runs with { autocomplete: false } (Slack slash commands are free text).
          async autocomplete() {
            throw new Error('Slack slash commands have no autocomplete');
          },
        },
        async seenBy(user) {
          return fake
            .visibleTo(user)
            .filter((m) => m.channel === CHANNEL)
            .map((m) => seen(m, fake.team.id));
        },
        async seenIn(user, conversationId) {
          const [target = '', threadTs] = parseConversationId(conversationId).channel.split(':');
          // chat.postMessage to a user id posts into the app's DM with them.
          const channel = target.startsWith('U') ? fake.appDm(target).id : target;
          return fake
            .visibleTo(user)
            .filter((m) => m.channel === channel && (threadTs === undefined || m.threadTs === threadTs))
            .map((m) => seen(m, fake.team.id));
        },
        async imagesSeenBy(user) {
          // A private picture is shared in the person's DM with the app; a public one in the channel.
          return fake.visibleTo(user).flatMap((m) =>
            (m.files ?? []).map((f) => ({
              conversationId: `slack:${fake.team.id}:${m.channel}`,
              visibility: fake.channels.get(m.channel)?.kind === 'im' || m.kind !== 'message' ? ('private' as const) : ('public' as const),
              name: f.name,
              bytes: f.bytes ?? new Uint8Array(),
              ...(f.altText !== undefined ? { alt: f.altText } : {}),
            })),
          );
        },
        async formsOpenedFor(user) {
          return [...fake.views.values()]
            .filter((v) => v.user === user)
            .map((v) => {
              const input = ((v.view.blocks as { type: string; label?: { text: string } }[]) ?? []).find((b) => b.type === 'input');
              return { title: (v.view.title as { text: string }).text, label: input?.label?.text ?? '', handle: v };
            });
        },
        async assertStopped() {
          await fake.waitFor(() => fake.openSockets === 0);
          // HTTP mode: nothing listens on the receiver's port any more.
          if (mode === 'http') await expect(fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '' })).rejects.toThrow();
        },
        async close() {
          await adapter.stop();
          await fake.close();
        },
      };
    },
    { autocomplete: false },
  );
}
