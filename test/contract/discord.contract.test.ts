import { parseConversationId } from '../../src/chat/port.ts';
/** The shared ChatAdapter contract, run against the Discord adapter (real discord.js) and the fake Discord. */
import { createDiscordAdapter, registerDiscordCommands } from '../../src/adapters/discord/index.ts';
import { startFakeDiscord, pingsAnyone, type FakeMessage } from '../fakes/discord/index.ts';
import { describeAdapterContract, type AdapterHarness, type SeenMessage } from './adapter-contract.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describeAdapterContract('discord', async (commands): Promise<AdapterHarness> => {
  const fake = await startFakeDiscord();
  await registerDiscordCommands({ token: fake.token, applicationId: fake.applicationId, guildId: fake.guild.id, commands, restApi: fake.restUrl });
  const adapter = createDiscordAdapter({
    token: fake.token,
    applicationId: fake.applicationId,
    devGuildId: fake.guild.id,
    commands,
    restApi: fake.restUrl,
    logger: quiet,
  });
  const channel = fake.channels.general.id;
  const seen = (m: FakeMessage): SeenMessage => ({
    conversationId: `discord:${fake.guild.id}:${m.channelId}`,
    visibility: m.ephemeralTo ? 'private' : 'public',
    ...(m.ephemeralTo ? { recipient: m.ephemeralTo } : {}),
    // Discord splits by sending several messages, so each message is one part.
    parts: [m.content],
    text: m.content,
    buttons: fake.buttonsOn(m).map((b) => ({ label: b.label ?? '', handle: b.custom_id })),
    messageId: m.id,
    allowsPings: pingsAnyone(m.pings) || JSON.stringify(m.allowedMentions) !== JSON.stringify({ parse: [] }),
    handle: m,
  });
  return {
    adapter,
    workspace: fake.guild.id,
    channel,
    users: [fake.users.alice.id, fake.users.bob.id],
    actorId: (user) => `discord:user:${user}`,
    messageLimit: 2000,
    driver: {
      async command(user, command, options) {
        await fake.slash(command, options as Record<string, string | number | boolean>, { user });
      },
      async press(user, message, label) {
        const button = message.buttons.find((b) => b.label === label);
        if (!button) throw new Error(`no button ${label}`);
        await fake.click(button.handle as string, (message.handle as FakeMessage).id, { user });
      },
      async submitForm(user, form, text) {
        const modal = form.handle as any;
        const input = modal.components.find((c: any) => c.type === 18)?.component ?? modal.components[0].components[0];
        await fake.submitModal(modal.custom_id, { [input.custom_id]: text }, { user });
      },
      async autocomplete(user, command, option, partial) {
        const i = await fake.autocomplete(command, { [option]: partial }, option, { user });
        const done = await fake.waitForResponse(i.id);
        return (done.choices ?? []).map((c) => ({ name: c.name, value: String(c.value) }));
      },
    },
    async seenBy(user) {
      // Follow-ups after the handler returned (finishing acks) are part of what users see.
      await adapter.idle();
      return fake.messagesVisibleTo(user, { channelId: channel }).map(seen);
    },
    async seenIn(user, conversationId) {
      await adapter.idle();
      return fake.messagesVisibleTo(user, { channelId: parseConversationId(conversationId).channel }).map(seen);
    },
    async imagesSeenBy(user) {
      await adapter.idle();
      return fake.messagesVisibleTo(user).flatMap((m) =>
        m.attachments.map((a) => ({
          conversationId: `discord:${m.guildId ?? '@dm'}:${m.channelId}`,
          visibility: m.ephemeralTo || !m.guildId ? ('private' as const) : ('public' as const),
          name: a.filename,
          bytes: a.bytes,
          ...(a.description !== undefined ? { alt: a.description } : {}),
        })),
      );
    },
    async formsOpenedFor(user) {
      return fake.modalsShownTo(user).map((modal: any) => {
        const display = modal.components.find((c: any) => c.type === 10)?.content;
        const label = modal.components.find((c: any) => c.type === 18)?.label ?? '';
        return { title: modal.title, label: display ?? label, handle: modal };
      });
    },
    async assertStopped() {
      await fake.waitUntil(() => !fake.connected);
      if (adapter.client !== null) throw new Error('the adapter still holds a discord.js client');
    },
    async close() {
      await adapter.stop();
      await fake.close();
    },
  };
});
