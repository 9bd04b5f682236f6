import { describe, expect, it } from 'vitest';
import { PhraseIndex } from '../../../src/bank/phrases.ts';
import { foldSpelling, phraseStems, tokenize } from '../../../src/bank/text.ts';

const stems = (s: string) => tokenize(s).map((t) => t.stem);

describe('tokenize', () => {
  it('lowercases, splits on punctuation and Markdown, and stems', () => {
    expect(tokenize('**Channels** `sync.WaitGroup`')).toEqual([
      { word: 'channels', stem: 'channel' },
      { word: 'sync', stem: 'sync' },
      { word: 'waitgroup', stem: 'waitgroup' },
    ]);
  });

  it('treats control characters, bidi marks and escapes as separators', () => {
    expect(stems('mutex\u0000lock\u001b[31m\u202echannel')).toEqual(stems('mutex lock 31m channel'));
  });

  it('drops URLs and absurdly long words', () => {
    expect(stems('see https://github.com/user-attachments/assets/f0286ec3 mutex')).toEqual(['see', 'mutex']);
    expect(stems(`${'x'.repeat(500)} mutex`)).toEqual(['mutex']);
  });

  it('folds full-width and accented forms through NFKC', () => {
    expect(stems('ＭＵＴＥＸ')).toEqual(['mutex']);
  });

  it('joins British and American spellings', () => {
    expect(foldSpelling('synchronisation')).toBe('synchronization');
    expect(foldSpelling('behaviour')).toBe('behavior');
    expect(phraseStems('Synchronise')).toEqual(phraseStems('synchronize'));
    expect(phraseStems('normalisation')).toEqual(phraseStems('normalization'));
  });
});

describe('PhraseIndex', () => {
  const index = new PhraseIndex<string>();
  index.add('queue', 'ds');
  index.add('message queue', 'arch');
  index.add('go routine', 'go');
  index.add('concurrency', 'conc');

  const found = (text: string) => index.scan(stems(text)).flatMap((m) => m.values);

  it('prefers the longest phrase', () => {
    expect(found('a message queue and a queue')).toEqual(['arch', 'ds']);
  });

  it('matches a multi-word phrase written as one word or hyphenated', () => {
    expect(found('GoRoutines')).toEqual(['go']);
    expect(found('go-routines and go routine')).toEqual(['go', 'go']);
  });

  it('tolerates one dropped or doubled letter in long words only', () => {
    expect(found('Concurency')).toEqual(['conc']);
    expect(found('concurrrency')).toEqual(['conc']);
    expect(found('queu')).toEqual([]);
  });

  it('reports where each match is', () => {
    expect(index.scan(stems('the message queue'))).toEqual([{ start: 1, length: 2, values: ['arch'] }]);
  });
});
