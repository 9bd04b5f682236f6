import { describe, expect, it } from 'vitest';
import {
  cleanPrompt,
  cleanTopic,
  isContinuationHeading,
  isPlaceholderText,
  looksLikeQuestion,
  normaliseQuestion,
} from '../../../src/bank/normalise.ts';

describe('normaliseQuestion', () => {
  it('lower-cases, collapses whitespace and drops trailing punctuation', () => {
    expect(normaliseQuestion('  What   is a   Goroutine?  ')).toBe('what is a goroutine');
    expect(normaliseQuestion('Explain event delegation.')).toBe('explain event delegation');
  });

  it('strips numbering prefixes', () => {
    for (const raw of ['12. What is a mutex?', 'Q12: What is a mutex?', 'Question 3. What is a mutex?', '7) What is a mutex?']) {
      expect(normaliseQuestion(raw), raw).toBe('what is a mutex');
    }
    expect(normaliseQuestion('3.5 million users: how?')).toBe('3.5 million users: how');
  });

  it('strips Markdown and HTML', () => {
    expect(normaliseQuestion('What does <code>grep</code> do?')).toBe('what does grep do');
    expect(normaliseQuestion('What is **`this`** in [JS](https://x.dev)?')).toBe('what is this in js');
    expect(normaliseQuestion('### What is a heap?')).toBe('what is a heap');
  });

  it('strips zero-width characters and trailing difficulty markers', () => {
    expect(normaliseQuestion('Precision-recall trade-off \u200D⭐️')).toBe('precision-recall trade-off');
    expect(normaliseQuestion('What is AUC? \u200D⭐️I')).toBe('what is auc');
    expect(normaliseQuestion('Cold start? \u200D⭐️🚀')).toBe('cold start');
    expect(normaliseQuestion('How do sockets differ? ***')).toBe('how do sockets differ');
    expect(normaliseQuestion('What\u200B is\uFEFF DNS?')).toBe('what is dns');
  });

  it('folds compatibility forms (NFKC) but keeps look-alike letters from other scripts', () => {
    expect(normaliseQuestion('Ｗhat is ＤＮＳ？')).toBe('what is dns');
    const cyrillic = normaliseQuestion('\u0421an you describe it?');
    expect(cyrillic).toBe('\u0441an you describe it');
    expect(cyrillic).not.toBe(normaliseQuestion('Can you describe it?'));
  });
});

describe('cleanPrompt', () => {
  it('keeps case and punctuation but drops numbering, shortcodes and markers', () => {
    expect(cleanPrompt('12.  What is  a mutex?')).toBe('What is a mutex?');
    expect(cleanPrompt(':star: Why Go? 👶')).toBe('Why Go?');
    expect(cleanPrompt('Explain all socket implementations. ***')).toBe('Explain all socket implementations.');
  });
});

describe('looksLikeQuestion', () => {
  it('accepts questions and imperative prompts', () => {
    for (const t of ['What is X', 'Array vs slice?', 'Explain event delegation.', 'Write an IIFE', 'Would love to know more!', '<b>Describe your homelab.</b>']) {
      expect(looksLikeQuestion(t), t).toBe(true);
    }
  });
  it('rejects section titles and labels', () => {
    for (const t of ['Foreword', 'Table of Contents', 'View answer', 'Glossary', 'APAC - Asia Pacific Region', '']) {
      expect(looksLikeQuestion(t), t).toBe(false);
    }
  });
});

describe('markers', () => {
  it('recognises continuation headings', () => {
    for (const t of ['TODO', 'To do', 'TBD', 'Continued', 'todo:']) expect(isContinuationHeading(t), t).toBe(true);
    expect(isContinuationHeading('TODO list app design')).toBe(false);
  });
  it('recognises placeholder answers', () => {
    for (const t of ['To be completed.', 'Answer here', 'TODO', 'TBD', 'coming soon']) expect(isPlaceholderText(t), t).toBe(true);
    expect(isPlaceholderText('To be completed, run the migration first.')).toBe(false);
  });
  it('cleans topic headings', () => {
    expect(cleanTopic('System Questions (37)')).toBe('System Questions');
    expect(cleanTopic(':diamond_shape_with_a_dot_inside: <a name="junior">Junior Sysadmin</a>')).toBe('Junior Sysadmin');
  });
});
