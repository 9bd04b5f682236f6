import { expect } from 'vitest';
import { createMemoryAdapter, type Delivered } from '../../src/chat/memory-adapter.ts';
import { describeAdapterContract, type SeenMessage } from './adapter-contract.ts';

const LIMIT = 2000;

const seen = (d: Delivered): SeenMessage => ({
  conversationId: d.conversationId,
  visibility: d.visibility,
  ...(d.recipient !== undefined ? { recipient: d.recipient } : {}),
  parts: d.parts,
  text: d.parts.join('\n'),
  buttons: d.buttons.map((b) => ({ label: b.label, handle: b })),
  messageId: d.ref.messageId,
  handle: d,
});

describeAdapterContract('memory', async (commands) => {
  const adapter = createMemoryAdapter({ workspace: 'W1', channel: 'C1', limit: LIMIT, commands });
  return {
    adapter,
    workspace: 'W1',
    channel: 'C1',
    users: ['alice', 'bob'],
    messageLimit: LIMIT,
    driver: {
      async command(user, command, options) {
        await adapter.command(command, options, { user });
      },
      async press(user, message, label) {
        const d = message.handle as Delivered;
        const b = d.buttons.find((x) => x.label === label);
        if (!b) throw new Error(`no button ${label}`);
        await adapter.press(b.id, b.value, { user, message: d.ref });
      },
      async submitForm(user, form, text) {
        const f = form.handle as { id: string; value: string };
        await adapter.submitForm(f.id, f.value, text, { user });
      },
      async autocomplete(user, command, option, partial) {
        return (await adapter.autocomplete(command, option, partial, { user })).choices ?? [];
      },
    },
    async seenBy(user) {
      return adapter.seenBy(user, adapter.conversationId).map(seen);
    },
    async seenIn(user, conversationId) {
      return adapter.seenBy(user, conversationId).filter((d) => d.conversationId === conversationId).map(seen);
    },
    async imagesSeenBy(user) {
      return adapter.transcript
        .filter((d) => d.message.image && (d.visibility === 'public' || d.recipient === user))
        .map((d) => ({ conversationId: d.conversationId, visibility: d.visibility, name: d.message.image!.name, bytes: d.message.image!.png, alt: d.message.image!.alt }));
    },
    async formsOpenedFor(user) {
      return adapter.forms.filter((f) => f.user === user).map((f) => ({ title: f.form.title, label: f.form.label, handle: f.form }));
    },
    async assertStopped() {
      expect(adapter.running).toBe(false);
      await expect(adapter.command('ping', { word: 'x' })).rejects.toThrow(/not running/);
    },
    async close() {
      await adapter.stop();
    },
  };
});
