import { questionId } from '../bank/ids.ts';
import type { QuestionRow } from './bank-rows.ts';
import type { ImportItem, ImportPlan, ImportQuestion, ImportReport } from './types.ts';

/**
 * What an import does to the bank, decided from what is stored, without touching a
 * database: which stored question each incoming one is (stable ids, renames,
 * re-keyed identities, follow-ups under their parent's final id), what retires, and
 * the report. Both stores run it inside their import transaction on rows they read
 * there, then carry out the writes in order, each in its own dialect; so SQLite and
 * PostgreSQL cannot drift apart on the rules.
 */

/** One write, in the order the store must run them (topics, then parents before their follow-ups, then retirements, then the run). */
export type BankWrite =
  /** Upsert a catalog topic's name. */
  | { kind: 'topic'; id: string; name: string }
  /** A linked topic the catalog does not name: insert with its id as name unless it exists. */
  | { kind: 'topic-if-missing'; id: string }
  | { kind: 'insert'; row: NewQuestion }
  /** Content changed, or a retired question came back (clears retired_at). */
  | { kind: 'update'; row: NewQuestion }
  /** Unchanged content at another line. */
  | { kind: 'move'; id: string; line: number }
  | { kind: 'retire'; id: string; at: string }
  /** Replace the question's topic links with these, in order (positions 0..n-1). */
  | { kind: 'link'; id: string; topics: string[] }
  | { kind: 'run'; run: ImportRunRow };

export interface NewQuestion {
  id: string;
  /** Only meaningful for 'insert': the next free seq. */
  seq: number;
  file: string;
  line: number;
  prompt: string;
  promptDetail: string;
  answer: string;
  keyPointsJson: string;
  normKey: string;
  bodyHash: string;
  emptyAnswer: 0 | 1;
  parentId: string | null;
  /** created_at and updated_at for an insert, updated_at for an update. */
  at: string;
}

export interface ImportRunRow {
  startedAt: string;
  finishedAt: string;
  pathsJson: string;
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  empty: number;
  skipped: number;
  reportJson: string;
}

export interface BankImportState {
  /** Every stored question, retired ones included. */
  questions: QuestionRow[];
  /** Topic ids per question id, in link order. */
  topics: Map<string, string[]>;
}

/** The prompt part of a stored identity: before the stem hash (U+001E), after a follow-up's parent id (U+001F). */
function baseKey(identity: string): string {
  const own = identity.slice(identity.lastIndexOf('\u001f') + 1);
  const cut = own.indexOf('\u001e');
  return cut < 0 ? own : own.slice(0, cut);
}

/**
 * A question's words with the markup that only wraps them dropped: HTML tags, the
 * `<summary>` label, "Answer"/"Solution" labels, punctuation. Two texts equal here
 * say the same thing, however the parser split them into stem and answer.
 */
function looseText(text: string): string {
  return text
    .replace(/<summary\b[\s\S]*?<\/summary\s*>/gi, ' ')
    .replace(/<\/?[A-Za-z][^<>]*>/g, ' ')
    .toLowerCase()
    .replace(/\b(?:answers?|solutions?)\b/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** The report of `plan` against `state`, and (unless it is a dry run) the writes that carry it out. */
export function planBankImport(state: BankImportState, plan: ImportPlan): { report: ImportReport; writes: BankWrite[] } {
  const nowIso = plan.now.toISOString();
  const existing = state.questions;
  const existingTopics = state.topics;
  const usedIds = new Set(existing.map((r) => r.id));
  let nextSeq = existing.reduce((max, r) => Math.max(max, r.seq), 0) + 1;

  const key = (file: string, s: string) => `${file}\u0000${s}`;
  // The import dedupes already; a plan from elsewhere with a repeated (file, question) must not abort the run.
  // A follow-up is identified under its parent, so the same text may be a question and a follow-up.
  const warnings = [...plan.warnings];
  const seen = new Map<string, ImportQuestion>();
  const incoming: ImportQuestion[] = [];
  const parentOf = new Map<ImportQuestion, ImportQuestion>();
  const depthOf = new Map<ImportQuestion, number>();
  const kept = new Map<number, ImportQuestion>();
  const token = new Map<ImportQuestion, number>();
  plan.questions.forEach((q, index) => {
    let parent: ImportQuestion | undefined;
    if (q.parentIndex !== undefined && q.parentIndex !== null) {
      parent = q.parentIndex < index ? kept.get(q.parentIndex) : undefined;
      if (!parent || parent.file !== q.file) {
        warnings.push({
          file: q.file,
          line: q.line,
          message: 'follow-up whose question was not imported (or is in another file); left out. Import it with its question.',
        });
        return;
      }
    }
    const dedupe = key(q.file, `${parent ? token.get(parent) : ''}\u0000${q.normKey}`);
    const first = seen.get(dedupe);
    if (first) {
      warnings.push({ file: q.file, line: q.line, message: `duplicate of the question at line ${first.line}; kept that one` });
      return;
    }
    seen.set(dedupe, q);
    kept.set(index, q);
    token.set(q, incoming.length);
    if (parent) parentOf.set(q, parent);
    depthOf.set(q, parent ? (depthOf.get(parent) ?? 0) + 1 : 0);
    incoming.push(q);
  });

  const byNorm = new Map(existing.map((r) => [key(r.file, r.norm_key), r]));
  const matched = new Map<ImportQuestion, QuestionRow>();
  const taken = new Set<QuestionRow>();
  const idOf = new Map<ImportQuestion, string>();
  /** The stored norm_key: a follow-up's is its parent's id + U+001F + its own (see migration 005). */
  const identityOf = new Map<ImportQuestion, string>();
  const maxDepth = incoming.reduce((m, q) => Math.max(m, depthOf.get(q) ?? 0), 0);

  // Level by level, so a follow-up is matched under its parent's final id (kept through a rename too).
  for (let depth = 0; depth <= maxDepth; depth += 1) {
    const level = incoming.filter((q) => depthOf.get(q) === depth);
    const parentIdOf = (q: ImportQuestion): string => {
      const parent = parentOf.get(q);
      return parent ? (idOf.get(parent) as string) : '';
    };
    for (const q of level) {
      const parentId = parentIdOf(q);
      const identity = parentId === '' ? q.normKey : `${parentId}\u001f${q.normKey}`;
      identityOf.set(q, identity);
      const row = byNorm.get(key(q.file, identity));
      if (row && !taken.has(row) && (row.parent_id ?? '') === parentId) {
        matched.set(q, row);
        taken.add(row);
      }
    }

    // A renamed heading over an unchanged body keeps its id (and the progress on it), but
    // only when the pairing is unambiguous on both sides and under the same parent; empty bodies never pair.
    const unmatchedByBody = new Map<string, ImportQuestion[]>();
    for (const q of level) {
      if (matched.has(q) || q.emptyAnswer) continue;
      const k = key(q.file, `${parentIdOf(q)}\u0000${q.bodyHash}`);
      const list = unmatchedByBody.get(k) ?? [];
      list.push(q);
      unmatchedByBody.set(k, list);
    }
    const orphansByBody = new Map<string, QuestionRow[]>();
    for (const row of existing) {
      if (taken.has(row) || row.empty_answer === 1) continue;
      const k = key(row.file, `${row.parent_id ?? ''}\u0000${row.body_hash}`);
      const list = orphansByBody.get(k) ?? [];
      list.push(row);
      orphansByBody.set(k, list);
    }
    for (const [k, qs] of unmatchedByBody) {
      const rows = orphansByBody.get(k);
      if (qs.length === 1 && rows?.length === 1) {
        matched.set(qs[0]!, rows[0]!);
        taken.add(rows[0]!);
      }
    }

    // Identity changed, question did not (a stem now read apart from its answer; a prompt now
    // shared with other questions, so its stem joined its identity): same file, parent and
    // prompt, and the same words once the <details> wrapper and answer labels are ignored;
    // else the same prompt and the same answer (its stem was edited). Unambiguous pairs only.
    for (const looseOf of [
      (detail: string, answer: string) => looseText(`${detail}\n${answer}`),
      (_detail: string, answer: string) => looseText(answer),
    ]) {
      const wanted = new Map<string, ImportQuestion[]>();
      for (const q of level) {
        if (matched.has(q) || q.emptyAnswer) continue;
        const k = key(q.file, `${parentIdOf(q)}\u0000${baseKey(q.normKey)}\u0000${looseOf(q.promptDetail, q.answer)}`);
        wanted.set(k, [...(wanted.get(k) ?? []), q]);
      }
      if (wanted.size === 0) break;
      const offered = new Map<string, QuestionRow[]>();
      for (const row of existing) {
        if (taken.has(row) || row.empty_answer === 1) continue;
        const k = key(row.file, `${row.parent_id ?? ''}\u0000${baseKey(row.norm_key)}\u0000${looseOf(row.prompt_detail, row.answer)}`);
        if (!wanted.has(k)) continue;
        offered.set(k, [...(offered.get(k) ?? []), row]);
      }
      for (const [k, qs] of wanted) {
        const rows = offered.get(k);
        if (qs.length === 1 && rows?.length === 1) {
          matched.set(qs[0]!, rows[0]!);
          taken.add(rows[0]!);
        }
      }
    }

    for (const q of level) {
      const row = matched.get(q);
      if (row) {
        idOf.set(q, row.id);
        continue;
      }
      const identity = identityOf.get(q) as string;
      let attempt = 0;
      let id = questionId(q.file, identity);
      // An id can already belong to an older question whose heading was renamed; derive the next one.
      while (usedIds.has(id)) id = questionId(q.file, identity, ++attempt);
      usedIds.add(id);
      idOf.set(q, id);
    }
  }

  const report: ImportReport = {
    added: [],
    changed: [],
    removed: [],
    unchanged: 0,
    emptyAnswer: [],
    rekeyed: [],
    skipped: plan.skipped,
    warnings,
    dryRun: plan.dryRun,
  };
  const writes: BankWrite[] = [];
  const write = !plan.dryRun;
  const item = (id: string, q: { prompt: string; file: string; line: number }, followUpOf?: string | null): ImportItem => ({
    id,
    prompt: q.prompt,
    file: q.file,
    line: q.line,
    ...(followUpOf ? { followUpOf } : {}),
  });

  if (write) {
    const known = new Set<string>();
    for (const t of plan.topics) {
      writes.push({ kind: 'topic', id: t.id, name: t.name });
      known.add(t.id);
    }
    // A link must never fail on a topic the catalog forgot; it gets its id as a name until the catalog names it.
    for (const q of incoming) {
      for (const t of q.topics) {
        if (known.has(t)) continue;
        writes.push({ kind: 'topic-if-missing', id: t });
        known.add(t);
      }
    }
  }

  const keyPointsJson = (q: ImportQuestion) => JSON.stringify(q.keyPoints);
  const rowOf = (q: ImportQuestion, id: string, identity: string, parentId: string | null, seq: number): NewQuestion => ({
    id,
    seq,
    file: q.file,
    line: q.line,
    prompt: q.prompt,
    promptDetail: q.promptDetail,
    answer: q.answer,
    keyPointsJson: keyPointsJson(q),
    normKey: identity,
    bodyHash: q.bodyHash,
    emptyAnswer: q.emptyAnswer ? 1 : 0,
    parentId,
    at: nowIso,
  });

  // Parents come before their follow-ups in the plan, so a parent row exists when its follow-up points at it.
  for (const q of incoming) {
    const row = matched.get(q);
    const id = idOf.get(q) as string;
    const identity = identityOf.get(q) as string;
    const parent = parentOf.get(q);
    const parentId = parent ? (idOf.get(parent) as string) : null;
    if (!row) {
      report.added.push(item(id, q, parentId));
      if (write) {
        writes.push({ kind: 'insert', row: rowOf(q, id, identity, parentId, nextSeq++) });
        writes.push({ kind: 'link', id, topics: [...new Set(q.topics)] });
      }
    } else {
      const contentSame =
        row.prompt === q.prompt &&
        row.prompt_detail === q.promptDetail &&
        row.answer === q.answer &&
        row.key_points === keyPointsJson(q) &&
        row.norm_key === identity &&
        row.file === q.file &&
        row.parent_id === parentId &&
        (row.empty_answer === 1) === q.emptyAnswer;
      const topicsSame = sameList(existingTopics.get(row.id) ?? [], [...new Set(q.topics)]);
      if (row.norm_key !== identity && baseKey(row.norm_key) === baseKey(identity)) {
        report.rekeyed.push({ ...item(id, q, parentId), was: row.norm_key });
      }
      if (row.retired_at !== null) report.added.push(item(id, q, parentId));
      else if (!contentSame || !topicsSame) report.changed.push(item(id, q, parentId));
      else report.unchanged++;
      if (write) {
        if (row.retired_at !== null || !contentSame) {
          writes.push({ kind: 'update', row: rowOf(q, id, identity, parentId, row.seq) });
        } else if (row.line !== q.line) {
          writes.push({ kind: 'move', id, line: q.line });
        }
        if (!topicsSame) writes.push({ kind: 'link', id, topics: [...new Set(q.topics)] });
      }
    }
    if (q.emptyAnswer) report.emptyAnswer.push(item(id, q, parentId));
  }

  const scopeFiles = new Set(plan.scope.files);
  const keep = new Set(plan.keepFiles);
  const inScope = (file: string) =>
    scopeFiles.has(file) || plan.scope.folders.some((f) => f === '' || file.startsWith(`${f}/`));
  for (const row of existing) {
    if (taken.has(row) || row.retired_at !== null || keep.has(row.file) || !inScope(row.file)) continue;
    report.removed.push(item(row.id, row, row.parent_id));
    if (write) writes.push({ kind: 'retire', id: row.id, at: nowIso });
  }

  if (write) {
    writes.push({
      kind: 'run',
      run: {
        startedAt: plan.startedAt.toISOString(),
        finishedAt: nowIso,
        pathsJson: JSON.stringify(plan.paths),
        added: report.added.length,
        changed: report.changed.length,
        removed: report.removed.length,
        unchanged: report.unchanged,
        empty: report.emptyAnswer.length,
        skipped: report.skipped.length,
        reportJson: JSON.stringify(report),
      },
    });
  }
  return { report, writes };
}
