/**
 * The parser against real public notes (test/fixtures/corpus, counts checked by
 * hand in its README.md) and the seed notes. Every number below comes from that
 * README or from reading the files, never from the parser's own output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseQuestion } from '../../../src/bank/normalise.ts';
import { parseNotes } from '../../../src/bank/parse.ts';
import type { ParseResult, ParsedQuestion } from '../../../src/bank/types.ts';

const root = join(import.meta.dirname, '../../..');
const cache = new Map<string, { text: string; result: ParseResult }>();
function parse(path: string): { text: string; result: ParseResult; questions: ParsedQuestion[] } {
  let hit = cache.get(path);
  if (!hit) {
    const text = readFileSync(join(root, path), 'utf8');
    hit = { text, result: parseNotes(text, path) };
    cache.set(path, hit);
  }
  return { ...hit, questions: hit.result.questions };
}
const corpus = (name: string) => parse(`test/fixtures/corpus/${name}`);
const at = (qs: ParsedQuestion[], line: number) => {
  const q = qs.find((x) => x.line === line);
  if (!q) throw new Error(`no question at line ${line}`);
  return q;
};
const nonEmpty = (qs: ParsedQuestion[]) => qs.filter((q) => !q.emptyAnswer).length;
const withTopic = (qs: ParsedQuestion[], topic: string) => qs.filter((q) => q.explicitTopics.includes(topic)).length;
const lineText = (text: string, line: number) => text.split('\n')[line - 1] ?? '';

describe('seed notes/sde2-notes.md', () => {
  const { questions, result } = parse('notes/sde2-notes.md');

  it('has exactly 33 questions, each answered, and no problems', () => {
    expect(questions).toHaveLength(33);
    expect(questions.every((q) => !q.emptyAnswer && q.answer.trim() !== '')).toBe(true);
    expect(result.problems).toEqual([]);
  });

  it('does not treat TODO as a question; its content answers the microservices question', () => {
    expect(questions.some((q) => /todo/i.test(q.prompt))).toBe(false);
    const q = at(questions, 1245);
    expect(q.prompt).toBe('How would you design and secure a microservices architecture?');
    expect(q.answer).toContain('ABAC (Attribute-Based Access Control)');
    expect(q.answer).toContain('TLS (Transport Layer Security)');
    expect(q.answer).not.toContain('## TODO');
  });

  it('keeps headings without "?" and code fences with their language', () => {
    expect(at(questions, 180).prompt).toBe('Array vs Slice in Golang');
    const closure = at(questions, 29);
    expect(closure.answer).toContain('```go\nfunc main(){');
    expect(questions[0]?.prompt).toBe('Introduce Yourself.');
    expect(questions[32]?.prompt).toBe('How would you design a system to handle streaming video content?');
  });

  it('gives key points from the sentences of the top-level bullets', () => {
    const q = at(questions, 21);
    // Three bullets of 2, 2 and 3 sentences.
    expect(q.keyPoints).toHaveLength(7);
    expect(q.keyPoints[2]).toBe('GO-Routines have Dynamicall Stack Size, Go Routines are Managed by Go-Runtime.');
    expect(q.keyPoints[4]).toBe('Go Routines communicate using Channels.');
    expect(q.keyPoints[6]).toBe('Communication using Channel is Safer.');
  });
});

describe('h5bp-frontend-js.md (list items, front matter, no answers)', () => {
  const { questions, text } = corpus('h5bp-frontend-js.md');

  it('has 49 top-level list-item questions and no answers', () => {
    expect(questions).toHaveLength(49);
    expect(questions.filter((q) => q.answer !== '')).toHaveLength(0);
    expect(nonEmpty(questions)).toBe(0);
    expect(questions[0]?.prompt).toBe('Explain event delegation.');
    expect(questions[48]?.prompt).toBe('Write an immediately invoked function expression (IIFE)');
  });

  // The README's gold counts questions as the 49 top-level items; the 8 nested ones are follow-ups.
  it('makes the 8 nested items follow-ups of their 6 parents, not questions of their own nor prompt detail', () => {
    const parents = questions.filter((q) => q.followUps.length > 0);
    expect(parents.map((q) => q.line)).toEqual([8, 11, 15, 36, 41, 43]);
    expect(parents.flatMap((q) => q.followUps.map((f) => f.line))).toEqual([9, 12, 16, 37, 38, 39, 42, 44]);
    expect(at(questions, 36).followUps).toHaveLength(3);
    expect(parents.every((q) => q.promptDetail === '')).toBe(true);
    expect(parents.flatMap((q) => q.followUps).every((f) => f.emptyAnswer && f.followUps.length === 0)).toBe(true);
    expect(questions.some((q) => q.line === 9 || q.line === 37)).toBe(false);
  });

  it('keeps the code after "Make this work:" and "What will be returned…" as prompt, not answer', () => {
    expect(at(questions, 62).promptDetail).toBe(lineText(text, 63) + '\n' + lineText(text, 64) + '\n' + lineText(text, 65));
    expect(at(questions, 67).promptDetail.startsWith('```javascript\nconsole.log("hello" || "world")')).toBe(true);
  });

  it('tags every question with the front matter title, and the coding ones with their section', () => {
    expect(questions.every((q) => q.explicitTopics.includes('JavaScript Questions'))).toBe(true);
    expect(withTopic(questions, 'Coding questions')).toBe(4);
  });

  it('keeps the Cyrillic "С" of line 16 as it is', () => {
    const q = at(questions, 15);
    expect(q.followUps[0]?.prompt).toMatch(/^\u0421an you describe/);
    expect(normaliseQuestion('\u0421an you describe')).not.toBe(normaliseQuestion('Can you describe'));
  });
});

describe('tih-facebook-career.md (## topics, ### questions, one H2 question)', () => {
  const { questions } = corpus('tih-facebook-career.md');

  it('has 67 answered questions', () => {
    expect(questions).toHaveLength(67);
    expect(nonEmpty(questions)).toBe(67);
    expect(questions[0]?.prompt).toBe("What's the application process like (for internships)?");
    expect(questions[66]?.prompt).toBe(
      "I want to learn as much as possible from you about topics that might benefit me as I'm graduating next year.",
    );
  });

  it('reads the H2 at line 103 as a question with its own answer, not a topic', () => {
    const q = at(questions, 103);
    expect(q.prompt).toMatch(/^Would love to find out what the interviewers at Facebook/);
    expect(q.answer.startsWith('DSA. DSA. DSA.')).toBe(true);
    expect(at(questions, 99).answer).not.toContain('DSA. DSA. DSA.');
    expect(at(questions, 107).explicitTopics[0]).toBe('Application/Referral');
  });

  it('keeps the 12 H3 questions after the H2 at line 103 as its siblings, not its follow-ups', () => {
    // The H2 is a question written a level too high among H3 questions (README), so H3 is this section's question level.
    expect(at(questions, 103).followUps).toEqual([]);
    expect(questions.filter((q) => q.line >= 107 && q.line <= 154)).toHaveLength(12);
  });

  it('attributes questions to their topics', () => {
    expect(withTopic(questions, 'Application/Referral')).toBe(26);
    expect(withTopic(questions, 'Interviews')).toBe(8);
    expect(withTopic(questions, 'Internship')).toBe(12);
    expect(withTopic(questions, 'FB Culture')).toBe(8);
    expect(withTopic(questions, 'Personal Experience')).toBe(10);
    expect(questions.filter((q) => q.explicitTopics[0] === 'Career')).toHaveLength(3);
    expect(questions.every((q) => ['career', 'facebook', 'meta'].every((t) => q.explicitTopics.some((x) => x.toLowerCase() === t)))).toBe(true);
  });

  it('leaves the disclaimer footer out of the last answer and out of the questions', () => {
    expect(questions[66]?.answer).toBe('DSA. No DSA mastery, no passing of interviews, no Facebook job offer.');
    expect(questions.some((q) => /I am not a recruiter/.test(q.prompt))).toBe(false);
    expect(questions.some((q) => ['Glossary', 'Caveats'].includes(q.prompt))).toBe(false);
  });
});

describe('trimstray-sysadmin.md (<details> questions, placeholders)', () => {
  const { questions } = corpus('trimstray-sysadmin.md');

  it('has 285 questions: 14 list items and 271 <details>', () => {
    expect(questions).toHaveLength(285);
    expect(withTopic(questions, 'Simple Questions')).toBe(14);
    expect(questions.filter((q) => q.line >= 71 && q.line <= 84)).toHaveLength(14);
  });

  it('has 271 non-empty bodies; placeholders (bare or followed only by links) are empty answers', () => {
    expect(questions.filter((q) => q.answer !== '')).toHaveLength(271);
    const bare = questions.filter((q) => q.answer === 'To be completed.');
    expect(bare).toHaveLength(33);
    expect(bare.every((q) => q.emptyAnswer)).toBe(true);
    // 33 bare + 15 placeholder-plus-links + 14 without answers.
    expect(nonEmpty(questions)).toBe(285 - 33 - 15 - 14);
  });

  it('gets chapter counts right', () => {
    expect(withTopic(questions, 'Junior Sysadmin')).toBe(66);
    expect(withTopic(questions, 'Regular Sysadmin')).toBe(95);
    expect(withTopic(questions, 'Senior Sysadmin')).toBe(98);
    expect(withTopic(questions, 'Guru Sysadmin')).toBe(12);
  });

  it('reads first and last questions, stripping <b>, <code> and the *** marker', () => {
    expect(questions[0]?.prompt).toBe('What did you learn this week?');
    expect(questions[0]?.line).toBe(71);
    const firstDetails = questions[14];
    expect(firstDetails?.prompt).toBe('Give some examples of Linux distribution. What is your favorite distro and why?');
    expect(firstDetails?.line).toBe(93);
    const last = questions[284];
    expect(last?.prompt).toBe('How do SO_REUSEADDR and SO_REUSEPORT differ? Explain all socket implementations.');
    // The README cites 5824, the <details> line; the question text is on the <summary> line below it.
    expect(last?.line).toBe(5825);
    expect(last?.emptyAnswer).toBe(true);
  });

  it('joins a summary split over two lines and keeps fenced "### TCP -> UDP" inside its answer', () => {
    expect(at(questions, 4924).prompt).toBe('What is the proper way to test NFS performance? Prepare a short checklist.');
    expect(questions.some((q) => q.prompt === 'TCP -> UDP')).toBe(false);
    expect(questions.some((q) => q.answer.includes('### TCP -> UDP'))).toBe(true);
  });

  it('keeps an answer written straight after the summary (no blank line)', () => {
    const q = questions[14];
    expect(q?.answer.startsWith('- Red Hat Enterprise Linux\n- Fedora')).toBe(true);
    expect(q?.answer).toContain('My favorite Linux distribution:');
    expect(q?.answer.endsWith('(https://www.quora.com/What-is-your-favorite-Linux-distro-and-why)')).toBe(true);
  });
});

describe('30s-interviews.md (### question + "View answer" <details>, TOC, duplicates)', () => {
  const { questions, result } = corpus('30s-interviews.md');

  it('has 103 distinct questions from 124 blocks, all answered, duplicates merged without problems', () => {
    expect(questions).toHaveLength(103);
    expect(nonEmpty(questions)).toBe(103);
    expect(result.problems).toEqual([]);
    const keys = new Set(questions.map((q) => normaliseQuestion(q.prompt)));
    expect(keys.size).toBe(103);
  });

  it('merges the topics of duplicate blocks (124 topic memberships)', () => {
    const perTopic = { JavaScript: 71, React: 23, HTML: 11, CSS: 10, Accessibility: 4, Node: 4, Security: 1 };
    for (const [topic, n] of Object.entries(perTopic)) expect(withTopic(questions, topic), topic).toBe(n);
    const triple = questions.find((q) => q.prompt === 'What is the difference between HTML and React event handling?');
    expect(triple?.explicitTopics).toEqual(['JavaScript', 'React', 'HTML']);
  });

  it('reads first and last body questions, not the TOC', () => {
    expect(questions[0]?.prompt).toBe('What is a stateless component?');
    expect(questions[0]?.line).toBe(233);
    // The last block (line 5139, under Security) repeats a JavaScript question: it is merged into the first one.
    const xss = questions.find((q) => q.prompt === 'What is a cross-site scripting attack (XSS) and how do you prevent it?');
    expect(xss?.explicitTopics).toEqual(['JavaScript', 'Security']);
    expect(questions.every((q) => q.line >= 233 && q.line < 5139)).toBe(true);
    expect(questions.some((q) => ['Foreword', 'View online', 'Contributing', 'License', 'Related projects'].includes(q.prompt))).toBe(false);
  });

  it('treats code between heading and "View answer" as prompt detail, and strips the wrapper and navigation', () => {
    const withCode = questions.filter((q) => q.promptDetail !== '');
    // 13 code-prompt blocks; two of them are duplicates (JavaScript + Node).
    expect(withCode).toHaveLength(11);
    expect(withCode.every((q) => q.promptDetail.startsWith('```'))).toBe(true);
    const typeofQ = at(questions, 490);
    expect(typeofQ.promptDetail).toBe('```js\ntypeof typeof 0\n```');
    expect(typeofQ.answer.startsWith('It evaluates to `"string"`.')).toBe(true);
    for (const q of questions) {
      expect(q.answer).not.toMatch(/<\/?details>|View answer|Back to top/);
    }
  });

  it('keeps the "Good to hear" sub-headings inside the answer and uses its bullets as key points', () => {
    const q = questions[0] as ParsedQuestion;
    expect(q.answer).toContain('#### Good to hear');
    expect(q.keyPoints[0]).toBe('Stateless components are independent of their state.');
  });
});

describe('sudheerj-react.md (N. ### question list items)', () => {
  const { questions } = corpus('sudheerj-react.md');

  it('has 79 answered questions, first and last', () => {
    expect(questions).toHaveLength(79);
    expect(nonEmpty(questions)).toBe(79);
    expect(questions[0]?.prompt).toBe('What is React?');
    expect(questions[78]?.prompt).toBe('How React Router is different from history library?');
    expect(withTopic(questions, 'Core React')).toBe(77);
    expect(withTopic(questions, 'React Router')).toBe(2);
  });

  it('carries escaped answers (Q10, Q21) on to the next question', () => {
    const props = questions.find((q) => q.prompt === 'What are props in React?');
    expect(props?.answer).toContain('using destructing feature from ES6');
    expect(props?.answer).toContain('See Class');
    const controlled = questions.find((q) => q.prompt === 'What are controlled components?');
    expect(controlled?.answer).toContain('Full control over form data.');
  });

  it('is not thrown off by the unbalanced fence in Q72', () => {
    const q72 = questions.find((q) => q.prompt === 'How to import and export components using React and ES6?');
    expect(q72).toBeDefined();
    const after = questions.slice(questions.indexOf(q72 as ParsedQuestion) + 1);
    expect(after).toHaveLength(8);
  });

  it('removes indentation and Back to Top from list-item answers', () => {
    const q2 = questions[1] as ParsedQuestion;
    expect(q2.line).toBe(503);
    expect(q2.answer.startsWith('The history of ReactJS started in 2010')).toBe(true);
    expect(q2.answer).toMatch(/\n\nThe main principle of this extension/);
    for (const q of questions) expect(q.answer).not.toContain('Back to Top');
  });
});

describe('dsi-theory.md (bold-line questions, placeholders)', () => {
  const { questions } = corpus('dsi-theory.md');

  it('has 166 questions, 14 with the "Answer here" placeholder', () => {
    expect(questions).toHaveLength(166);
    const placeholders = questions.filter((q) => q.answer === 'Answer here');
    expect(placeholders.map((q) => q.line + 2)).toEqual([687, 733, 939, 1082, 1273, 1279, 1285, 1302, 1308, 1314, 1320, 1326, 1332, 1338]);
    expect(placeholders.every((q) => q.emptyAnswer)).toBe(true);
    expect(nonEmpty(questions)).toBe(152);
  });

  it('strips difficulty emoji and the zero-width joiner from prompts', () => {
    expect(questions[0]?.prompt).toBe('What is supervised machine learning?');
    expect(questions[0]?.line).toBe(45);
    expect(questions[165]?.prompt).toBe('What are the problems with using trees for solving time series problems?');
    expect(at(questions, 332).prompt).toBe('Precision-recall trade-off');
    expect(at(questions, 370).prompt).toBe('What is the area under the PR curve? Is it a useful metric?');
    expect(at(questions, 1384).prompt).toBe('Possible approaches to solving the cold start problem?');
    expect(questions.some((q) => /[\u200B-\u200D\uFE0F]/.test(q.prompt))).toBe(false);
  });

  it('attributes questions to their topics and keeps the confusion-matrix table', () => {
    const perTopic: Record<string, number> = {
      'Supervised machine learning': 1, 'Linear regression': 13, Validation: 6, Classification: 19, Regularization: 15,
      'Feature selection': 5, 'Decision trees': 6, 'Random forest': 9, 'Gradient boosting': 8, 'Parameter tuning': 2,
      'Neural networks': 9, 'Optimization in neural networks': 12, 'Neural networks for computer vision': 13,
      'Text classification': 14, Clustering: 7, 'Dimensionality reduction': 3, 'Ranking and search': 11,
      'Recommender systems': 6, 'Time series': 7,
    };
    for (const [topic, n] of Object.entries(perTopic)) expect(withTopic(questions, topic), topic).toBe(n);
    expect(at(questions, 301).answer).toContain('\n|Predicted|   Positive (1) | TP           | FP            |\n');
  });
});

describe('follow-ups across the corpus', () => {
  // The README counts no follow-up outside h5bp: sub-headings inside answers (30s, sudheerj) are part of
  // the answers, and no answer bullet elsewhere is a question.
  it.each(['tih-facebook-career.md', 'trimstray-sysadmin.md', '30s-interviews.md', 'sudheerj-react.md', 'dsi-theory.md'])(
    '%s has none',
    (name) => {
      expect(corpus(name).questions.filter((q) => q.followUps.length > 0).map((q) => q.line)).toEqual([]);
    },
  );

  it('the seed notes have none', () => {
    expect(parse('notes/sde2-notes.md').questions.filter((q) => q.followUps.length > 0)).toEqual([]);
  });
});
