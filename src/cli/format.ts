import type { ImportItem, ImportProblem, ImportReport, StoredQuestion } from '../store/types.ts';

/** `file:line`, or just the file/folder when the problem is about it as a whole. */
export function where(p: { file: string; line: number }): string {
  return p.line > 0 ? `${p.file}:${p.line}` : p.file;
}

function oneLine(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Long lists are cut so a 10,000-question first import stays readable; --json has everything. */
function section(title: string, mark: string, rows: string[], limit: number): string[] {
  if (rows.length === 0) return [];
  const shown = rows.slice(0, limit).map((r) => `  ${mark} ${r}`);
  if (rows.length > limit) shown.push(`  … and ${rows.length - limit} more (use --json for all)`);
  return ['', `${title}:`, ...shown];
}

const items = (list: ImportItem[]) =>
  list.map((i) => `${where(i)}  ${oneLine(i.prompt, 80)}${i.followUpOf ? `  (follow-up of ${i.followUpOf})` : ''}`);
const problems = (list: ImportProblem[]) => list.map((p) => `${where(p)}: ${p.message}`);

export function formatImport(report: ImportReport, context: { paths: string[]; db: string }): string {
  const nothing = report.added.length + report.changed.length + report.unchanged === 0;
  const head = report.dryRun
    ? `Dry run of ${context.paths.join(', ')} (nothing written to ${context.db}):`
    : nothing
      ? `Nothing imported from ${context.paths.join(', ')}; ${context.db} was left unchanged:`
      : `Imported ${context.paths.join(', ')} into ${context.db}:`;
  const counts = [
    `${report.added.length} added`,
    `${report.changed.length} changed`,
    `${report.removed.length} removed`,
    `${report.unchanged} unchanged`,
    `${report.emptyAnswer.length} with an empty answer`,
    ...((report.rekeyed ?? []).length > 0 ? [`${report.rekeyed.length} re-keyed (ids kept)`] : []),
    `${report.skipped.length} skipped`,
    plural(report.warnings.length, 'warning'),
  ].join(', ');
  const lines = [
    head,
    `  ${counts}`,
    ...section('Added', '+', items(report.added), 10),
    ...section('Changed', '~', items(report.changed), 10),
    ...section('Removed (retired; progress kept)', '-', items(report.removed), 10),
    ...section(
      'Re-keyed (read differently now, e.g. a stem apart from its answer; matched by content, old id and progress kept)',
      '=',
      items(report.rekeyed ?? []),
      10,
    ),
    ...section('Empty answers (kept; asked with /ask answered:false, in interviews, or when a topic has nothing else)', '?', items(report.emptyAnswer), 10),
    ...section('Skipped', '!', problems(report.skipped), 50),
    ...section('Warnings', '!', problems(report.warnings), 50),
  ];
  return `${lines.join('\n')}\n`;
}

/** One line per question; a follow-up is indented under its question with ↳ (lists are in note order, so it follows it). */
export function formatQuestionLine(q: StoredQuestion): string {
  const flags = [q.parentId ? `follow-up of ${q.parentId}` : '', q.retired ? 'retired' : '', q.emptyAnswer ? 'no answer yet' : ''].filter(Boolean);
  const topics = q.topics.length > 0 && !q.parentId ? `  [${q.topics.join(', ')}]` : '';
  const note = flags.length > 0 ? `  (${flags.join(', ')})` : '';
  return `${q.parentId ? '  ↳ ' : ''}${q.id}  ${oneLine(q.prompt)}${topics}${note}`;
}

export function formatQuestion(q: StoredQuestion, followUps: readonly StoredQuestion[] = []): string {
  const meta = [`id ${q.id}`, where(q), q.topics.length > 0 ? `topics: ${q.topics.join(', ')}` : 'no topic'];
  if (q.parentId) meta.push(`follow-up of ${q.parentId} (asked after it, never on its own)`);
  if (q.retired) meta.push('retired (no longer in the notes)');
  const parts = [q.prompt, meta.join('  ·  ')];
  if (q.promptDetail.trim()) parts.push('', q.promptDetail.trim());
  parts.push('', q.emptyAnswer
      ? ['(no reference answer in the notes yet: asked only with /ask answered:false, in interviews, or when a topic has nothing else)', q.answer.trim()].filter(Boolean).join('\n\n')
      : q.answer.trim());
  if (q.keyPoints.length > 0) parts.push('', 'Key points:', ...q.keyPoints.map((k) => `  - ${oneLine(k, 120)}`));
  if (followUps.length > 0) {
    parts.push(
      '',
      `Follow-ups (asked after this question; \`prepbot bank show ID\` shows one):`,
      ...followUps.map((f) => `  ↳ ${f.id}  ${oneLine(f.prompt)}${f.emptyAnswer ? '  (no answer yet)' : ''}`),
    );
  }
  return `${parts.join('\n')}\n`;
}
