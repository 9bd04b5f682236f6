import { describe, expect, it } from 'vitest';
import { createHarness, plain, QUESTIONS, type Person } from './harness.ts';

const alice: Person = { id: 'U1', name: 'Alice' };
const SHARDING = QUESTIONS.find((q) => q.prompt === 'Explain sharding')!;

describe('/ask and questions without a reference answer', () => {
  it('answered:false asks one, says so, and reveals that the notes have no answer', async () => {
    const h = await createHarness();
    const ask = await h.command(alice, 'ask', { topic: 'databases', answered: false });
    const shown = plain(ask.replies[0]!.message);
    expect(shown).toContain('Explain sharding');
    expect(shown).toContain('No reference answer in the notes');
    const attemptId = ask.replies[0]!.message.actions!.find((a) => a.id === 'answer')!.value;
    const result = await h.submit(alice, attemptId, 'Split rows across databases by a key.');
    const reveal = plain(result.replies.find((r) => r.visibility === 'private')!.message);
    expect(reveal).toContain('None in the notes yet');
    expect(result.replies.find((r) => r.visibility === 'private')!.message.actions!.map((a) => a.label)).toContain('Good');
  });

  it('a topic with nothing else offers its unanswered questions', async () => {
    const h = await createHarness({ questions: [QUESTIONS[0]!, SHARDING] });
    const ask = await h.command(alice, 'ask', { topic: 'databases' });
    expect(plain(ask.replies[0]!.message)).toContain('Explain sharding');
  });

  it('a topic with answered questions keeps them to itself unless asked', async () => {
    const h = await createHarness();
    const first = await h.practise(alice, 'something', 'databases');
    expect(first.prompt).toContain('B-tree');
    // The one answered question was just asked: it says so rather than falling back.
    const again = await h.command(alice, 'ask', { topic: 'databases' });
    expect(plain(again.replies[0]!.message)).toContain('You just had the only question on Databases');
  });

  it('answered:false on a topic where everything has an answer says so', async () => {
    const h = await createHarness();
    const ask = await h.command(alice, 'ask', { topic: 'concurrency', answered: false });
    expect(plain(ask.replies[0]!.message)).toContain('has a reference answer');
  });
});
