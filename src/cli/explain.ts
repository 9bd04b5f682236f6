import { parseNotes } from '../bank/parse.ts';
import { readNotes } from '../bank/read-notes.ts';
import type { ParsedQuestion } from '../bank/types.ts';
import { UserError, type CliIo } from './context.ts';

/** `FILE:LINE` → file and line; a path that merely contains a colon stays whole when no line follows. */
export function parseExplainTarget(target: string): { path: string; line?: number } {
  const m = /^(.*):(\d+)$/.exec(target);
  if (!m || m[1] === '') return { path: target };
  return { path: m[1]!, line: Number(m[2]) };
}

const span = (s: { from: number; to: number } | null): string =>
  s === null ? 'none' : s.from === s.to ? `line ${s.from}` : `lines ${s.from}–${s.to}`;

/** The last line a question covers: its answer's end, else its stem's, else its own line. */
function lastLine(q: ParsedQuestion): number {
  const e = q.explain;
  return Math.max(q.line, e?.answer?.to ?? 0, e?.stem?.to ?? 0, ...q.followUps.map(lastLine));
}

function describe(q: ParsedQuestion, depth: number): string[] {
  const pad = '  '.repeat(depth);
  const e = q.explain;
  const head = `${pad}${depth > 0 ? '↳ ' : ''}${q.file}:${q.line}  ${q.prompt}`;
  const lines = [head, `${pad}  rule: ${e?.rule ?? 'heading'}${depth > 0 ? ' (follow-up: asked after its question)' : ''}`];
  if (q.title !== undefined) lines.push(`${pad}  title: ${q.title} (the heading; the paragraph under it is the prompt)`);
  lines.push(`${pad}  stem (shown when asking): ${span(e?.stem ?? null)}`);
  lines.push(`${pad}  answer: ${span(e?.answer ?? null)}${q.emptyAnswer ? ' (no reference answer: asked only with answered:false, in interviews, or when a topic has nothing else)' : ''}`);
  for (const f of q.followUps) lines.push(...describe(f, depth + 1));
  return lines;
}

/**
 * `prepbot import --explain FILE[:LINE]`: how the parser read a notes file, for a note
 * owner whose question came out wrong. Reads and parses only; the database is untouched.
 */
export async function explainNotes(target: string, where: { notes: string }, io: CliIo): Promise<void> {
  const { path, line } = parseExplainTarget(target);
  const read = await readNotes([path], { root: where.notes, cwd: io.cwd });
  const notes = read.files[0];
  if (!notes) {
    const why = read.problems[0];
    throw new UserError(`cannot explain ${path}: ${why ? why.message : 'not a Markdown file'}; pass a notes file, e.g. --explain notes/go.md:40`);
  }
  const result = parseNotes(notes.text, notes.file);
  let questions = result.questions;
  if (line !== undefined) {
    // The question whose text spans the line, else the nearest one above it.
    const covering = questions.filter((q) => q.line <= line && line <= lastLine(q));
    const above = questions.filter((q) => q.line <= line).slice(-1);
    questions = covering.length > 0 ? covering.slice(-1) : above;
    if (questions.length === 0) {
      io.out(`No question at or above ${notes.file}:${line}; the first one is at line ${result.questions[0]?.line ?? '(none found)'}.\n`);
      return;
    }
  }
  const out: string[] = [];
  for (const q of questions) out.push(...describe(q, 0), '');
  const problems = line === undefined ? result.problems : result.problems.filter((p) => Math.abs(p.line - line) <= 200);
  if (problems.length > 0) out.push('Warnings:', ...problems.map((p) => `  ! ${p.file}:${p.line}: ${p.message}`), '');
  if (line === undefined) out.push(`${result.questions.length} question${result.questions.length === 1 ? '' : 's'} in ${notes.file}. Nothing was imported.`);
  io.out(`${out.join('\n')}\n`);
}
