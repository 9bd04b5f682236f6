/**
 * Precision and recall of a Grader on the hand-labelled pairs in
 * test/fixtures/grading/labelled.json. Shared by `npm run bench:grading` and the
 * unit test that keeps the figures from falling, so both measure the same thing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Grader } from '../src/core/grading.ts';

export interface LabelledPair {
  topic: string;
  kind: string;
  keyPoint: string;
  answer: string;
  covered: boolean;
  /** 'tuning': the matcher was improved against these; 'held-out': written afterwards, never used to tune it. */
  set: 'tuning' | 'held-out';
}

export interface Judged extends LabelledPair {
  predicted: boolean;
  matched: string[];
}

export interface Evaluation {
  pairs: Judged[];
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
  f1: number;
}

export const LABELLED_PATH = join(import.meta.dirname, '../test/fixtures/grading/labelled.json');

export function loadLabelled(path = LABELLED_PATH): LabelledPair[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { pairs: LabelledPair[] }).pairs;
}

/** Each pair is graded alone: its key point is the whole checklist, as a grader sees one point at a time. */
export async function evaluate(grader: Grader, pairs: readonly LabelledPair[]): Promise<Evaluation> {
  const judged: Judged[] = [];
  for (const pair of pairs) {
    const grade = await grader.grade(pair.answer, [pair.keyPoint]);
    const point = grade.points[0];
    judged.push({ ...pair, predicted: point?.covered ?? false, matched: point?.matched ?? [] });
  }
  const count = (predicted: boolean, covered: boolean) =>
    judged.filter((j) => j.predicted === predicted && j.covered === covered).length;
  const tp = count(true, true);
  const fp = count(true, false);
  const fn = count(false, true);
  const tn = count(false, false);
  // With nothing predicted covered there is no wrong "covered" either: precision 1, recall says the rest.
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { pairs: judged, truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn, precision, recall, f1 };
}
