/**
 * `npm run bench:grading`: how well the key-point matcher agrees with a human
 * interviewer on the hand-labelled pairs in test/fixtures/grading/labelled.json
 * (goal: precision and recall ≥ 0.85 each). Prints the figures, every pair it got
 * wrong, and two RESULT lines over all pairs. The held-out pairs (never used to tune the
 * matcher) are also shown on their own: the fairer estimate. Not a test: test/unit/grading/quality.test.ts keeps
 * the figures from falling.
 */
import { join } from 'node:path';
import { loadTopicCatalog } from '../src/bank/topics.ts';
import { keyPointGrader } from '../src/core/grading.ts';
import { evaluate, loadLabelled } from './grading-eval.ts';

const GOAL = 0.85;
const catalog = loadTopicCatalog(join(import.meta.dirname, '../notes/topics.yml'));
const pairs = loadLabelled();
const e = await evaluate(keyPointGrader(catalog), pairs);

const fmt = (v: number) => v.toFixed(3);
console.log(`labelled pairs: ${pairs.length} (${pairs.filter((p) => p.covered).length} covered, ${pairs.filter((p) => !p.covered).length} not)`);
console.log(`true positives ${e.truePositives}, false positives ${e.falsePositives}, false negatives ${e.falseNegatives}, true negatives ${e.trueNegatives}`);
console.log(`precision ${fmt(e.precision)}  recall ${fmt(e.recall)}  F1 ${fmt(e.f1)}`);
for (const set of ['tuning', 'held-out'] as const) {
  const part = await evaluate(keyPointGrader(catalog), pairs.filter((p) => p.set === set));
  console.log(`  ${set} (${part.pairs.length} pairs): precision ${fmt(part.precision)}  recall ${fmt(part.recall)}  F1 ${fmt(part.f1)}`);
}

const wrong = e.pairs.filter((p) => p.predicted !== p.covered);
console.log(`\nmisclassified (${wrong.length}):`);
for (const p of wrong) {
  const said = p.predicted ? 'said covered, is not' : 'said missed, is covered';
  console.log(`- [${p.kind}, ${p.set}] ${said}`);
  console.log(`    key point: ${p.keyPoint}`);
  console.log(`    answer:    ${p.answer}`);
  console.log(`    matched:   ${p.matched.join(', ') || '(nothing)'}`);
}

console.log('');
console.log(`RESULT grading-precision ${fmt(e.precision)} goal ${GOAL} ${e.precision >= GOAL ? 'ok' : 'miss'}`);
console.log(`RESULT grading-recall ${fmt(e.recall)} goal ${GOAL} ${e.recall >= GOAL ? 'ok' : 'miss'}`);
