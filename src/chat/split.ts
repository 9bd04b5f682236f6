/**
 * Split rendered Markdown-ish text into parts under a platform's size limit
 * (Discord 2000 per message, Slack 3000 per section). Cuts prefer block
 * boundaries (blank lines), then line boundaries, then a hard cut; a cut inside
 * a code fence closes the fence at the end of the part and reopens it, with
 * the same language, at the start of the next, so every part renders as code.
 */

interface Fence {
  /** The run of backticks or tildes that opened it, e.g. "```" or "~~~~". */
  marker: string;
  /** Language word from the info string ("ts" from "```ts title=x"), or "". */
  lang: string;
}

interface Unit {
  text: string;
  /** What joins this unit to the next one: "\n" between lines, "" between pieces of a hard-cut line. */
  sep: '\n' | '';
  /** Whether this unit is a whole line that is blank and outside a fence (a block boundary). */
  blank: boolean;
  /** Fence open before / after this unit. */
  before: Fence | null;
  after: Fence | null;
  /** This unit is the line that opens a fence (cutting right after it leaves an empty code block). */
  opensFence: boolean;
}

const FENCE_LINE = /^\s{0,3}(`{3,}|~{3,})(.*)$/;

/** The smallest limit that still leaves room for content after fence bookkeeping. */
export const MIN_SPLIT_LIMIT = 16;

function openLine(f: Fence): string {
  return f.marker + f.lang;
}

function overhead(f: Fence | null): { open: number; close: number } {
  if (!f) return { open: 0, close: 0 };
  return { open: openLine(f).length + 1, close: 1 + f.marker.length };
}

/** Classify lines: which fence each line sits in, tracked the way CommonMark closes fences. */
function scanLines(lines: string[], limit: number): { line: string; before: Fence | null; after: Fence | null; opens: boolean }[] {
  const out: { line: string; before: Fence | null; after: Fence | null; opens: boolean }[] = [];
  let open: Fence | null = null;
  for (const line of lines) {
    const before = open;
    let opens = false;
    const m = FENCE_LINE.exec(line);
    if (m) {
      const run = m[1] ?? '';
      const rest = m[2] ?? '';
      if (open === null) {
        // A backtick fence's info string cannot contain backticks (that is inline code).
        if (!(run[0] === '`' && rest.includes('`'))) {
          const word = (rest.trim().split(/\s+/)[0] ?? '').slice(0, 20);
          const fence: Fence = { marker: run, lang: word };
          // With a tiny limit the reopen line must stay small; drop the language rather than the content.
          const o = overhead(fence);
          if (o.open + o.close > limit / 2) fence.lang = '';
          open = fence;
          opens = true;
        }
      } else if (run[0] === open.marker[0] && run.length >= open.marker.length && rest.trim() === '') {
        open = null;
      }
    }
    out.push({ line, before, after: open, opens });
  }
  return out;
}

/** Cut a string into pieces of at most `size`, never between the halves of a surrogate pair. */
function hardCut(s: string, size: number): string[] {
  const pieces: string[] = [];
  let i = 0;
  while (i < s.length) {
    let end = Math.min(i + size, s.length);
    if (end < s.length && end > i + 1) {
      const c = s.charCodeAt(end - 1);
      if (c >= 0xd800 && c <= 0xdbff) end -= 1;
    }
    pieces.push(s.slice(i, end));
    i = end;
  }
  return pieces;
}

function toUnits(text: string, limit: number): Unit[] {
  const units: Unit[] = [];
  for (const l of scanLines(text.split('\n'), limit)) {
    // Room a single unit may take when it sits alone in a part, with fence bookkeeping around it.
    const ob = overhead(l.before);
    const oa = overhead(l.after);
    const room = limit - Math.max(ob.open, oa.open) - Math.max(ob.close, oa.close);
    const pieces = l.line.length <= room ? [l.line] : hardCut(l.line, Math.max(1, room));
    pieces.forEach((piece, k) => {
      const last = k === pieces.length - 1;
      units.push({
        text: piece,
        sep: last ? '\n' : '',
        blank: pieces.length === 1 && l.before === null && l.line.trim() === '',
        before: k === 0 ? l.before : l.before ?? (l.opens ? null : l.after),
        after: last ? l.after : l.before,
        opensFence: l.opens && last,
      });
    });
  }
  return units;
}

type CutKind = 0 | 1 | 2 | 3; // higher is better: hard < after-fence-open < line < block

export function splitMarkdown(text: string, limit: number): string[] {
  if (!Number.isFinite(limit) || limit < MIN_SPLIT_LIMIT) {
    throw new RangeError(`splitMarkdown limit must be at least ${MIN_SPLIT_LIMIT}, got ${limit}`);
  }
  if (text.length <= limit && scanLines(text.split('\n'), limit).at(-1)?.after == null) return [text];

  const units = toUnits(text, limit);
  const parts: string[] = [];
  let i = 0;
  const skipBlanks = (): void => {
    while (i < units.length && units[i]!.blank) i++;
  };
  skipBlanks();
  while (i < units.length) {
    const start = i;
    const reopen = units[start]!.before;
    let len = reopen ? openLine(reopen).length + 1 : 0;
    // Latest cut after which a part may end, by quality: [any, after-fence-open or better, line or better].
    const latest: [number, number, number] = [-1, -1, -1];
    let latestBlock = -1;
    let j = start;
    for (; j < units.length; j++) {
      const u = units[j]!;
      const newLen = len + (j > start ? units[j - 1]!.sep.length : 0) + u.text.length;
      if (newLen + overhead(u.after).close > limit) break;
      len = newLen;
      const next = units[j + 1];
      let kind: CutKind;
      if (u.sep === '') kind = 0;
      else if (u.opensFence) kind = 1;
      else if (u.after === null && (u.blank || next?.blank === true)) kind = 3;
      else kind = 2;
      for (let k = 0; k <= Math.min(kind, 2); k++) latest[k] = j;
      // A block cut is preferred only when it does not leave the part nearly empty.
      if (kind === 3 && newLen >= limit / 3) latestBlock = j;
    }
    let end: number;
    if (j >= units.length) end = units.length - 1;
    else if (latestBlock >= 0) end = latestBlock;
    else end = latest[2] >= 0 ? latest[2] : latest[1] >= 0 ? latest[1] : latest[0];
    if (end < start) throw new Error('splitMarkdown: a line piece does not fit the limit (bug)');

    // Drop blank separator lines at the end of the part; the next part starts after them too.
    let last = end;
    while (last > start && units[last]!.blank) last--;
    let body = reopen ? openLine(reopen) + '\n' : '';
    for (let k = start; k <= last; k++) body += units[k]!.text + (k < last ? units[k]!.sep : '');
    const openAfter = units[last]!.after;
    if (openAfter) body += '\n' + openAfter.marker;
    parts.push(body);
    i = end + 1;
    skipBlanks();
  }
  return parts;
}

/** Fence lines of a text, for callers that check balance (tests, adapters' own asserts). */
export function fencesBalanced(part: string): boolean {
  return scanLines(part.split('\n'), Number.MAX_SAFE_INTEGER).at(-1)?.after == null;
}
