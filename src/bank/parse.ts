/**
 * Markdown notes → questions. One remark parse per file, then decisions made
 * on the mdast tree's structure:
 *
 * 1. The root's blocks become a flat list of units. `<details>…</details>`
 *    runs become one unit (headings inside them belong to the answer); list
 *    items that open with a heading (`1. ### Q`) become a heading unit plus
 *    their body.
 * 2. Each region (the units between two headings) is searched for questions
 *    that are not headings: question lists, bold-only lines, `<details>`
 *    whose summary is the question, Q/A tables.
 * 3. Each heading is classified bottom-up: a topic (it groups questions), a
 *    question (an answer follows it), a continuation ("TODO" under an empty
 *    question) or neither (TOC, intro, licence, link-only sections).
 *    A short heading over one paragraph that asks is a title: the paragraph is
 *    the question (`#### Bloated constructor` + "Explain…"). In a study guide
 *    (questions mostly outside headings) only a heading ending in "?" is one.
 * 4. One walk in document order collects each question's prompt detail and
 *    answer, as slices of the original text so Markdown survives exactly. An
 *    answer marker (`<details>` "Answer", `**Answer:**`, `#### Answer`) after
 *    a quiz stem (code, lettered options) moves the stem to the prompt detail.
 * 5. Dedupe and identity (finalise): equal prompts are told apart by stem.
 */
import { createHash } from 'node:crypto';
import type { Heading, List, ListItem, Nodes, Paragraph, Root, RootContent, Table } from 'mdast';
import { remark } from 'remark';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import { readFrontMatter } from './front-matter.ts';
import { keyPointsOf } from './key-points.ts';
import { boldOnlyText, hasWords, isLinkOnly, isNavigation, isSpacerHtml, isTableOfContents, plainText } from './mdtext.ts';
import {
  cleanPrompt,
  cleanTopic,
  isContinuationHeading,
  isPlaceholderText,
  looksLikeQuestion,
  normaliseQuestion,
  stripHtml,
} from './normalise.ts';
import type { ParsedQuestion, ParseProblem, ParseResult, QuestionRule } from './types.ts';

const processor = remark().use(remarkGfm).use(remarkFrontmatter, ['yaml']).freeze();

/** A range of the source text; `indent` columns are removed from its continuation lines (list item content). */
interface Piece {
  start: number;
  end: number;
  indent: number;
  /** Ranges inside it left out of the text: nested follow-up items, which must not spoil the follow-up's answer. */
  cuts?: { start: number; end: number }[];
}

/** One piece of an answer or prompt detail, with the nodes it came from (for key points and emptiness). */
interface Segment {
  piece: Piece;
  nodes: Nodes[];
  /** Real content, not spacing, navigation or a bare list of links. */
  substantive: boolean;
  isCode: boolean;
  isBreak: boolean;
}

interface DetailsParts {
  summary: string;
  summaryLine: number;
  label: boolean;
  /** The answer inside the wrapper: text after `</summary>`, the blocks between, text before `</details>`. */
  inner: Segment[];
  whole: Segment;
}

type Unit =
  | {
      kind: 'heading';
      node: Heading;
      depth: number;
      text: string;
      asks: boolean;
      line: number;
      seg: Segment;
      /** A short title whose question is the paragraph under it (`#### Bloated constructor` + "Explain…?"). */
      titled?: { prompt: string };
    }
  | { kind: 'block'; seg: Segment }
  | { kind: 'nav' }
  | { kind: 'list'; node: List; seg: Segment; q: boolean }
  | { kind: 'bold'; node: Paragraph; text: string; seg: Segment; q: boolean }
  | { kind: 'table'; node: Table; seg: Segment; q: boolean; qCol: number; aCols: number[] }
  | { kind: 'details'; parts: DetailsParts; seg: Segment; q: boolean };

type HeadingClass = 'question' | 'topic' | 'title' | 'cont' | 'skip';

interface Draft {
  prompt: string;
  line: number;
  kind: 'heading' | 'list' | 'bold' | 'details' | 'table';
  anchorDepth: number;
  topics: string[];
  detail: Segment[];
  answer: Segment[];
  /** A `<details>` or table question: its answer is complete, later blocks are not part of it. */
  closed: boolean;
  /** Questions asked after this one, about its answer (sub-headings and nested list items that ask), in note order. */
  followUps: Draft[];
  /** The heading above a title+paragraph question (the paragraph is the prompt). */
  title?: string;
  /** Set once an answer marker (`<details>` "Answer", `**Answer:**`, `#### Answer`) split the stem from the answer. */
  split?: boolean;
}

function startOf(node: Nodes): number {
  return node.position?.start.offset ?? 0;
}
function endOf(node: Nodes): number {
  return node.position?.end.offset ?? 0;
}
function lineOf(node: Nodes): number {
  return node.position?.start.line ?? 1;
}

function lineAt(src: string, lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function isSubstantiveNode(node: Nodes): boolean {
  switch (node.type) {
    case 'thematicBreak':
    case 'yaml':
    case 'definition':
      return false;
    case 'html':
      return !isSpacerHtml(node.value) && hasWords(node);
    case 'code':
      return node.value.trim().length > 0;
    case 'list':
    case 'table':
      return hasWords(node) && !isLinkOnly(node) && !isTableOfContents(node);
    default:
      return hasWords(node) && !isNavigation(node) && !isLinkOnly(node);
  }
}

function segmentOf(node: Nodes, indent: number): Segment {
  return {
    piece: { start: startOf(node), end: endOf(node), indent },
    nodes: [node],
    substantive: isSubstantiveNode(node),
    isCode: node.type === 'code',
    isBreak: node.type === 'thematicBreak',
  };
}

/** A text range that is not a node of the main tree (answer text glued to `<summary>` inside one HTML block). */
function fragmentSegment(src: string, start: number, end: number): Segment | null {
  const text = src.slice(start, end);
  if (text.trim() === '') return null;
  const nodes = (processor.parse(text) as Root).children as Nodes[];
  return {
    piece: { start, end, indent: 0 },
    nodes,
    substantive: nodes.some(isSubstantiveNode),
    isCode: false,
    isBreak: false,
  };
}

const SUMMARY = /<summary\b[^>]*>([\s\S]*?)<\/summary\s*>/i;
const DETAILS_OPEN = /<details\b/gi;
const DETAILS_CLOSE = /<\/details\s*>/gi;

function countMatches(text: string, re: RegExp): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text) !== null) n += 1;
  return n;
}

/** A summary that labels a wrapper ("View answer", "See Class", "Hide/Show table of contents"), not a question. */
export function isLabelSummary(summaryHtml: string): boolean {
  const text = stripHtml(summaryHtml).replace(/\s+/g, ' ').trim();
  if (text === '') return true;
  if (/^\s*<h[1-6]\b/i.test(summaryHtml)) return true;
  if (/^(view|see|show|hide|toggle|click|tap|expand|collapse|open|reveal|display|read|answer|solution|spoiler)\b/i.test(text)) return true;
  if (/\btable of contents\b|\bcontents\b|\btoc\b/i.test(text)) return true;
  const words = text.split(' ').length;
  return words <= 3 && /\b(answers?|solutions?|code|examples?|details|more|explanation|hints?|output|results?)\b/i.test(text);
}

/**
 * Builds a `<details>` unit starting at `children[i]`, or null when the block
 * is not a details opener or is never closed (then it stays plain HTML).
 */
function readDetails(
  children: RootContent[],
  i: number,
  src: string,
  lineStarts: number[],
): { parts: DetailsParts; closeIdx: number } | null {
  const open = children[i];
  if (!open || open.type !== 'html' || !/^\s*<details\b/i.test(open.value)) return null;
  let depth = 0;
  let closeIdx = -1;
  for (let j = i; j < children.length; j += 1) {
    const n = children[j];
    if (!n || n.type !== 'html') continue;
    depth += countMatches(n.value, DETAILS_OPEN) - countMatches(n.value, DETAILS_CLOSE);
    if (depth <= 0) {
      closeIdx = j;
      break;
    }
  }
  if (closeIdx < 0) return null;
  const close = children[closeIdx] as RootContent;

  // The summary sits in the opening HTML block or the block right after it.
  let summaryIdx = i;
  let summaryMatch: RegExpExecArray | null = null;
  for (const k of [i, i + 1]) {
    const n = children[k];
    if (!n || n.type !== 'html' || k > closeIdx) break;
    const raw = src.slice(startOf(n), endOf(n));
    const m = SUMMARY.exec(raw);
    if (m) {
      summaryIdx = k;
      summaryMatch = m;
      break;
    }
  }
  const summaryNode = children[summaryIdx] as RootContent;
  const summaryNodeStart = startOf(summaryNode);
  const summaryHtml = summaryMatch?.[1] ?? '';
  const summaryOffset = summaryNodeStart + (summaryMatch?.index ?? 0);
  let afterSummary = summaryMatch ? summaryNodeStart + summaryMatch.index + summaryMatch[0].length : startOf(open) + (/^\s*<details\b[^>]*>/i.exec(open.value)?.[0].length ?? 0);
  const spacer = /^(?:\s*<br\s*\/?>)*/i.exec(src.slice(afterSummary, endOf(summaryNode)));
  afterSummary += spacer?.[0].length ?? 0;

  const inner: Segment[] = [];
  const closeRaw = src.slice(startOf(close), endOf(close));
  DETAILS_CLOSE.lastIndex = 0;
  const closeTagAt = startOf(close) + (closeRaw.search(/<\/details\s*>(?![\s\S]*<\/details\s*>)/i));
  if (closeIdx === summaryIdx) {
    const seg = fragmentSegment(src, afterSummary, closeTagAt);
    if (seg) inner.push(seg);
  } else {
    const head = fragmentSegment(src, afterSummary, endOf(summaryNode));
    if (head) inner.push(head);
    for (let k = summaryIdx + 1; k < closeIdx; k += 1) {
      const n = children[k];
      if (!n) continue;
      if ((n.type === 'paragraph' && isNavigation(n)) || (n.type === 'html' && isSpacerHtml(n.value))) continue;
      inner.push(segmentOf(n, 0));
    }
    const tail = fragmentSegment(src, startOf(close), closeTagAt);
    if (tail) inner.push(tail);
  }
  const whole: Segment = {
    piece: { start: startOf(open), end: endOf(close), indent: 0 },
    nodes: inner.flatMap((s) => s.nodes),
    substantive: inner.some((s) => s.substantive),
    isCode: false,
    isBreak: false,
  };
  return {
    closeIdx,
    parts: {
      summary: stripHtml(summaryHtml),
      summaryLine: lineAt(src, lineStarts, summaryOffset),
      label: isLabelSummary(summaryHtml),
      inner,
      whole,
    },
  };
}

const ANSWER_HEADER = /^(a|answers?|responses?|explanation|reference answer)$/;
/** Columns that point at where the answer is (a study guide's `Reference(s)` column of links). */
const REFERENCE_HEADER = /^(references?|refs?|sources?|links?|resources?|further reading|see also|reading|notes?|hints?)$/;

/**
 * The columns of a question table: a `Question` column, and the answer column or,
 * without one, the reference columns (links, kept as the question's reference).
 * A table whose question cells are (nearly) all links is a table of contents.
 */
function qaColumns(table: Table): { qCol: number; aCols: number[] } | null {
  const header = table.children[0];
  if (!header) return null;
  const cells = header.children.map((c) => plainText(c).toLowerCase().replace(/[^a-z ]/g, '').trim());
  const qCol = cells.findIndex((c) => /^(q|questions?|prompt|interview questions?)$/.test(c));
  if (qCol < 0) return null;
  const aCol = cells.findIndex((c, k) => k > qCol && ANSWER_HEADER.test(c));
  if (aCol >= 0) return { qCol, aCols: [aCol] };
  const refs = cells.flatMap((c, k) => (k !== qCol && REFERENCE_HEADER.test(c) ? [k] : []));
  if (refs.length === 0) return null;
  const rows = table.children.slice(1);
  const linked = rows.filter((r) => {
    const cell = r.children[qCol];
    return cell !== undefined && (isLinkOnly(cell) || plainText(cell).trim() === '');
  }).length;
  return rows.length > 0 && linked * 2 < rows.length ? { qCol, aCols: refs } : null;
}

/** "Answer", "Answer: D", "Solution", "Correct answer": marks where a quiz question's answer starts. */
const ANSWER_LABEL = /^(?:the\s+)?(?:correct\s+)?(?:answers?|solutions?)\b\s*(?:$|[:\-–—.]|is\b)/i;

export function isAnswerLabel(text: string): boolean {
  return ANSWER_LABEL.test(stripHtml(text).replace(/\s+/g, ' ').trim());
}

/** A `<summary>` that wraps the answer itself ("Answer", "View answer", "Show solution"), not extra material ("See Class"). */
function isAnswerSummary(summary: string): boolean {
  const text = summary.replace(/\s+/g, ' ').trim().replace(/[:.!]+$/, '');
  return /^(?:(?:view|show|see|reveal|display|check|click(?: here)?(?: to| for)?(?: see| view| show| reveal)?)\s+(?:the\s+)?)?(?:correct\s+)?(?:answers?|solutions?)(?:\s*(?:and|&|\+)\s*explanations?)?$/i.test(text);
}

/** A paragraph that opens with a bold answer label: `**Answer:** B`. */
function answerLabelParagraph(node: Nodes): boolean {
  if (node.type !== 'paragraph') return false;
  const first = node.children.find((c) => !(c.type === 'text' && c.value.trim() === ''));
  return first !== undefined && first.type === 'strong' && isAnswerLabel(plainText(first));
}

function headingUnit(node: Heading, indent: number): Unit {
  const text = plainText(node);
  // Asked several times per heading while classifying; it runs the prompt clean-up each time.
  return { kind: 'heading', node, depth: node.depth, text, asks: looksLikeQuestion(text), line: lineOf(node), seg: segmentOf(node, indent) };
}

/** Block unit for a node, with navigation and `<br>` spacers recognised so answers can drop them. */
function blockUnit(node: Nodes, indent: number): Unit {
  if (node.type === 'paragraph' && isNavigation(node)) return { kind: 'nav' };
  if (node.type === 'html' && isSpacerHtml(node.value)) return { kind: 'nav' };
  return { kind: 'block', seg: segmentOf(node, indent) };
}

function isHeadingItem(item: ListItem): boolean {
  return item.children[0]?.type === 'heading';
}

function linearise(root: Root, src: string, lineStarts: number[], problems: ParseProblem[], file: string): Unit[] {
  const units: Unit[] = [];
  const children = root.children;
  for (let i = 0; i < children.length; i += 1) {
    const node = children[i] as RootContent;
    switch (node.type) {
      case 'yaml':
        continue;
      case 'heading':
        units.push(headingUnit(node, 0));
        continue;
      case 'html': {
        if (/^\s*<details\b/i.test(node.value)) {
          const details = readDetails(children, i, src, lineStarts);
          if (details) {
            units.push({ kind: 'details', parts: details.parts, seg: details.parts.whole, q: false });
            i = details.closeIdx;
            continue;
          }
          problems.push({ file, line: lineOf(node), message: '<details> is never closed, so its content was read as plain Markdown; add the missing </details>' });
        }
        units.push(blockUnit(node, 0));
        continue;
      }
      case 'list': {
        if (node.children.some(isHeadingItem)) {
          for (const item of node.children) {
            const first = item.children[0];
            if (first && first.type === 'heading') {
              const indent = (first.position?.start.column ?? 1) - 1;
              units.push(headingUnit(first, indent));
              for (const child of item.children.slice(1)) units.push(blockUnit(child, indent));
            } else {
              units.push(blockUnit(item, 0));
            }
          }
          continue;
        }
        units.push({ kind: 'list', node, seg: segmentOf(node, 0), q: false });
        continue;
      }
      case 'paragraph': {
        if (isNavigation(node)) {
          units.push({ kind: 'nav' });
          continue;
        }
        const bold = boldOnlyText(node);
        if (bold !== null && !isLinkOnly(node)) {
          units.push({ kind: 'bold', node, text: bold, seg: segmentOf(node, 0), q: false });
          continue;
        }
        units.push(blockUnit(node, 0));
        continue;
      }
      case 'table': {
        const cols = qaColumns(node);
        units.push({ kind: 'table', node, seg: segmentOf(node, 0), q: cols !== null, qCol: cols?.qCol ?? 0, aCols: cols?.aCols ?? [] });
        continue;
      }
      default:
        units.push(blockUnit(node, 0));
    }
  }
  return units;
}

const PROMPT_VERB = /^(?:explain|describe|discuss|compare|contrast|tell|walk|imagine|suppose|design|write|implement|show|how|what|why|when|which|would|can|could|should|give|list|name|outline|define)\b/i;

function isCodeUnit(u: Unit): boolean {
  return u.kind === 'block' && u.seg.isCode;
}

/**
 * `#### Bloated constructor` followed by "Explain the problems with…?": the heading is
 * only a title and the paragraph is the question. The paragraph must ask (end with
 * "?"), or open with a prompt verb and be all there is under the title, so an answer
 * that happens to start with "What" is never taken for the question.
 */
function markTitledHeadings(units: Unit[]): void {
  for (let k = 0; k < units.length; k += 1) {
    const h = units[k] as Unit;
    if (h.kind !== 'heading' || h.asks || headingIsLink(h.node) || isAnswerLabel(h.text)) continue;
    // A title is a name ("Bloated constructor"), not a sentence; a long heading is its own question.
    const title = cleanPrompt(h.text);
    if (title === '' || title.length > 60 || title.split(' ').length > 6 || /[.!?:]$/.test(title) || SECTION_TITLE.test(title)) continue;
    const next = units[k + 1];
    if (!next || next.kind !== 'block' || next.seg.nodes.length !== 1) continue;
    const para = next.seg.nodes[0] as Nodes;
    if (para.type !== 'paragraph' || isLinkOnly(para)) continue;
    const text = cleanPrompt(plainText(para));
    if (text === '' || text.length > 400) continue;
    // Code right after the question is what it asks about: it does not make the paragraph an answer.
    let after = k + 2;
    while (after < units.length && ((units[after] as Unit).kind === 'nav' || isCodeUnit(units[after] as Unit))) after += 1;
    const alone = after >= units.length || (units[after] as Unit).kind === 'heading';
    const sentences = text.split(/(?<=[.!?？])\s+/);
    const asks = /[?？]\)?$/.test(text) || (alone && sentences.some((x) => /[?？]\)?$/.test(x) || PROMPT_VERB.test(x)));
    if (!asks) continue;
    h.titled = { prompt: text };
    h.asks = true;
    units[k + 1] = { kind: 'nav' };
  }
}

function unitSubstantive(u: Unit): boolean {
  switch (u.kind) {
    case 'heading':
    case 'nav':
      return false;
    default:
      return u.seg.substantive;
  }
}

/** A bold line that may be a question: not a label ("**Note:**", "**Benefits:**"), not empty. */
function boldCandidate(u: Unit): boolean {
  return u.kind === 'bold' && u.text.trim().length > 0 && !/:\s*$/.test(u.text);
}

function listItemLooksLikeQuestion(item: ListItem): boolean {
  const first = item.children[0];
  if (!first || first.type !== 'paragraph' || isLinkOnly(first) || isNavigation(first)) return false;
  return looksLikeQuestion(plainText(first));
}

/**
 * Marks the non-heading questions of one region (units `from`..`to`-1 below a
 * heading (`headingAsks`: it reads as a question), or the file's start). Inside a
 * region headed by a question, lists and bold lines are its answer.
 */
function markRegion(units: Unit[], from: number, to: number, headingAsks: boolean): void {
  if (headingAsks) return;
  let firstSubstantive: Unit | undefined;
  const bolds: Extract<Unit, { kind: 'bold' }>[] = [];
  for (let k = from; k < to; k += 1) {
    const u = units[k] as Unit;
    if (!firstSubstantive && (unitSubstantive(u) || boldCandidate(u))) firstSubstantive = u;
    if (u.kind === 'bold' && boldCandidate(u)) bolds.push(u);
  }
  // Bold lines are questions when most of them ask something and they lead the region (or repeat through it).
  const asking = bolds.filter((b) => looksLikeQuestion(b.text)).length;
  const boldMode = bolds.length > 0 && asking * 2 > bolds.length && (bolds[0] === firstSubstantive || bolds.length >= 2);
  if (boldMode) for (const b of bolds) b.q = true;
  let afterBoldQuestion = false;
  for (let k = from; k < to; k += 1) {
    const u = units[k] as Unit;
    if (u.kind === 'bold' && u.q) afterBoldQuestion = true;
    else if (u.kind === 'details') u.q = !u.parts.label;
    else if (u.kind === 'list' && !afterBoldQuestion) {
      // Lists under a bold question are its answer; elsewhere a list of mostly questions is a question list.
      const items = u.node.children;
      const askingItems = items.filter(listItemLooksLikeQuestion).length;
      u.q = items.length > 0 && askingItems * 2 > items.length;
    }
  }
}

/** An options list of a quiz: items labelled "A:", "B)", "c." … */
function isOptionsList(node: Nodes): boolean {
  if (node.type !== 'list' || node.children.length < 2) return false;
  return node.children.every((item) => /^\s*\(?[A-Ha-h][:).]\s/.test(plainText(item)));
}

/**
 * Whether what a question holds so far is a quiz stem (nothing yet, code, or lettered
 * options), so that an answer label after it starts the answer. An explanation already
 * written above a "**Solution:**" stays the answer: a stem is shown when asking.
 */
function stemBeforeLabel(d: Draft): boolean {
  const real = d.answer.filter((s) => s.substantive);
  return real.length === 0 || real.some((s) => s.isCode || s.nodes.some(isOptionsList));
}

/** Moves what a question collected so far into its stem (prompt detail); the answer starts at `first`. */
function splitStem(d: Draft, first: Segment | null): void {
  d.detail.push(...d.answer.filter((s) => s.substantive || s.isCode));
  d.answer = first ? [first] : [];
  d.split = true;
}

function isQuestionUnit(u: Unit | undefined): boolean {
  return u !== undefined && u.kind !== 'heading' && u.kind !== 'nav' && u.kind !== 'block' && u.q;
}

function headingIsLink(node: Heading): boolean {
  const parts = node.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
  return parts.length > 0 && parts.every((c) => c.type === 'link' || c.type === 'linkReference');
}

/** Headings that name a part of a document, never a question (when they do not ask). */
const SECTION_TITLE =
  /^(?:index|contents|table of contents|toc|contributing|contributors?|contribution guidelines|credits|acknowledg(?:e)?ments?|licen[cs]e|changelog|about(?: this)?(?: guide| repo(?:sitory)?| project)?|introduction|foreword|preface|translations?|links|useful links|see also|glossary)\b|\b(?:further|additional|recommended) reading\b|^(?:sources?|references?|resources?|reading list|bibliography)(?:\s+(?:and|&)\s+[\w ]+)?$/i;

/** Classifies every heading unit; see the module comment for the rules. */
function classifyHeadings(units: Unit[]): Map<number, HeadingClass> {
  const headingIdx: number[] = [];
  units.forEach((u, k) => {
    if (u.kind === 'heading') headingIdx.push(k);
  });
  const n = units.length;
  const regionEnd = new Map<number, number>();
  const scopeEnd = new Map<number, number>();
  headingIdx.forEach((k, pos) => regionEnd.set(k, headingIdx[pos + 1] ?? n));
  const stack: number[] = [];
  for (const k of headingIdx) {
    const d = (units[k] as { depth: number }).depth;
    while (stack.length > 0 && (units[stack[stack.length - 1] as number] as { depth: number }).depth >= d) {
      scopeEnd.set(stack.pop() as number, k);
    }
    stack.push(k);
  }
  for (const k of stack) scopeEnd.set(k, n);

  // Next substantive / next question unit after each index, for O(1) range checks.
  const nextSubst = new Array<number>(n + 1).fill(n);
  const nextInnerQ = new Array<number>(n + 1).fill(n);
  for (let k = n - 1; k >= 0; k -= 1) {
    const u = units[k] as Unit;
    nextSubst[k] = unitSubstantive(u) ? k : (nextSubst[k + 1] as number);
    nextInnerQ[k] = isQuestionUnit(u) ? k : (nextInnerQ[k + 1] as number);
  }
  const ownContent = (k: number): boolean => {
    const end = Math.min(regionEnd.get(k) ?? n, nextInnerQ[k + 1] as number);
    return (nextSubst[k + 1] as number) < end;
  };

  // A heading nested under a question heading that already has its answer is part of that answer.
  const underAnswer = new Set<number>();
  const open: { depth: number; answered: boolean }[] = [];
  for (const k of headingIdx) {
    const u = units[k] as Extract<Unit, { kind: 'heading' }>;
    while (open.length > 0 && (open[open.length - 1] as { depth: number }).depth >= u.depth) open.pop();
    if (open[open.length - 1]?.answered) underAnswer.add(k);
    open.push({ depth: u.depth, answered: u.asks && ownContent(k) });
  }

  const h1Count = headingIdx.filter((k) => (units[k] as { depth: number }).depth === 1).length;

  // Sub-headings in each heading's scope: a title over many sections is a section, not a question.
  const posOf = new Map<number, number>();
  headingIdx.forEach((k, pos) => posOf.set(k, pos));
  const subHeadings = (k: number): number => {
    const end = scopeEnd.get(k) ?? n;
    let pos = (posOf.get(k) ?? 0) + 1;
    let count = 0;
    while (pos < headingIdx.length && (headingIdx[pos] as number) < end) {
      count += 1;
      pos += 1;
    }
    return count;
  };
  // A study guide: its questions are table rows, list items, bold lines or <details>, and its many
  // headings are sections around them; there, a heading that does not ask is never a question.
  let nonHeadingQuestions = 0;
  for (const u of units) {
    if (!isQuestionUnit(u)) continue;
    nonHeadingQuestions += u.kind === 'table' ? Math.max(0, u.node.children.length - 1) : u.kind === 'list' ? u.node.children.length : 1;
  }
  const askingHeadings = headingIdx.filter((k) => (units[k] as { asks: boolean }).asks).length;
  const guide = nonHeadingQuestions >= 5 && nonHeadingQuestions > askingHeadings;
  const sectionTitle = (k: number, text: string): boolean => guide || SECTION_TITLE.test(cleanPrompt(text)) || subHeadings(k) >= 3;

  /**
   * `outside(k)`: no question before or after heading k (from the first pass).
   * A plain section title at a level where other headings are topics, and
   * outside the questions ("Foreword", "Glossary", "License"), is not a question.
   */
  const pass = (topicDepths: Set<number>, outside: (k: number) => boolean): Map<number, HeadingClass> => {
    const cls = new Map<number, HeadingClass>();
    let nearestQ = n;
    for (let k = n - 1; k >= 0; k -= 1) {
      const u = units[k] as Unit;
      if (isQuestionUnit(u)) {
        nearestQ = k;
        continue;
      }
      if (u.kind !== 'heading') continue;
      const end = scopeEnd.get(k) ?? n;
      const asks = u.asks;
      let c: HeadingClass;
      if (headingIsLink(u.node) || cleanPrompt(u.text) === '') c = 'skip';
      else if (isContinuationHeading(u.text)) c = 'cont';
      else if (isAnswerLabel(u.text) && !u.titled) c = 'skip';
      else if ((nextInnerQ[k + 1] as number) < (regionEnd.get(k) ?? n)) c = 'topic';
      else if (nearestQ < end) c = asks && ownContent(k) ? 'question' : 'topic';
      else if (underAnswer.has(k) && !asks) c = 'skip';
      else if ((nextSubst[k + 1] as number) < end) {
        // In a study guide only a real question ("…?") among the sections is one ("How to use this guide" is a section).
        const plain = !asks || (guide && !u.titled && !/[?？]\)?$/.test(cleanPrompt(u.text)));
        c = plain && ((topicDepths.has(u.depth) && outside(k)) || sectionTitle(k, u.text)) ? 'skip' : 'question';
      }
      else c = asks ? 'question' : 'skip';
      if (c === 'topic' && u.depth === 1 && h1Count === 1) c = 'title';
      if (c === 'question') nearestQ = k;
      cls.set(k, c);
    }
    return cls;
  };
  const first = pass(new Set(), () => false);
  const topicDepths = new Set<number>();
  for (const [k, c] of first) if (c === 'topic' || c === 'title') topicDepths.add((units[k] as { depth: number }).depth);
  let firstQ = n;
  let lastQ = -1;
  units.forEach((u, k) => {
    if (isQuestionUnit(u) || (u.kind === 'heading' && first.get(k) === 'question' && u.asks)) {
      firstQ = Math.min(firstQ, k);
      lastQ = k;
    }
  });
  return pass(topicDepths, (k) => k < firstQ || k > lastQ);
}

function renderSegments(src: string, segments: readonly Segment[]): string {
  const groups: string[] = [];
  let groupStart = -1;
  let groupEnd = -1;
  let groupIndent = 0;
  let groupCuts: { start: number; end: number }[] = [];
  const flush = (): void => {
    if (groupStart < 0) return;
    let text = '';
    let from = groupStart;
    for (const cut of groupCuts) {
      text += src.slice(from, Math.max(from, cut.start));
      from = Math.max(from, Math.min(cut.end, groupEnd));
    }
    text += src.slice(from, groupEnd);
    // A cut at the end leaves the newline (and indent) that led into it.
    if (groupCuts.length > 0) text = text.trimEnd();
    if (groupIndent > 0) {
      const strip = new RegExp(`\\n[ ]{0,${groupIndent}}`, 'g');
      text = text.replace(strip, '\n');
    }
    groups.push(text);
    groupStart = -1;
    groupCuts = [];
  };
  for (const seg of segments) {
    const { start, end, indent } = seg.piece;
    if (groupStart >= 0 && indent === groupIndent && start >= groupEnd && src.slice(groupEnd, start).trim() === '') {
      groupEnd = end;
      groupCuts.push(...(seg.piece.cuts ?? []));
      continue;
    }
    flush();
    groupStart = start;
    groupEnd = end;
    groupIndent = indent;
    groupCuts = [...(seg.piece.cuts ?? [])];
  }
  flush();
  return groups.join('\n\n').replace(/^\s*\n/, '').trimEnd();
}

/** Drops leading/trailing spacing segments (thematic breaks, empty HTML) from an answer. */
function trimSegments(segments: Segment[]): Segment[] {
  let a = 0;
  let b = segments.length;
  while (a < b && !(segments[a] as Segment).substantive && ((segments[a] as Segment).isBreak || !hasAnyWords(segments[a] as Segment))) a += 1;
  while (b > a && !(segments[b - 1] as Segment).substantive && ((segments[b - 1] as Segment).isBreak || !hasAnyWords(segments[b - 1] as Segment))) b -= 1;
  return segments.slice(a, b);
}

function hasAnyWords(seg: Segment): boolean {
  return seg.nodes.some((n) => hasWords(n));
}

/** True when an answer is missing or only a placeholder, optionally followed by a resource list. */
function answerIsEmpty(segments: readonly Segment[]): boolean {
  const real = segments.filter((s) => s.substantive);
  if (real.length === 0) return true;
  const nodes = real.flatMap((s) => s.nodes).filter(isSubstantiveNode);
  const first = nodes[0];
  if (!first || first.type !== 'paragraph' || !isPlaceholderText(plainText(first))) return false;
  // After the placeholder only labels ("Useful resources:") and link lists may follow.
  return nodes.slice(1).every((n) => (n.type === 'paragraph' && /:\s*$/.test(plainText(n)) && plainText(n).length <= 60) || isLinkOnly(n));
}

function ruleOf(d: Draft): QuestionRule {
  switch (d.kind) {
    case 'heading':
      return d.title !== undefined ? 'title+paragraph' : 'heading';
    case 'list':
      return 'list item';
    case 'bold':
      return 'bold line';
    case 'table':
      return 'table row';
    default:
      return 'details';
  }
}

/** First and last line the segments cover (for --explain), or null when there are none. */
function lineSpan(src: string, lineStarts: number[], segments: readonly Segment[]): { from: number; to: number } | null {
  const real = segments.filter((s) => s.piece.end > s.piece.start && hasAnyWords(s));
  if (real.length === 0) return null;
  const start = Math.min(...real.map((s) => s.piece.start));
  const end = Math.max(...real.map((s) => s.piece.end));
  return { from: lineAt(src, lineStarts, start), to: lineAt(src, lineStarts, Math.max(start, end - 1)) };
}

function mergeTopics(...lists: string[][]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of lists) {
    for (const t of list) {
      const key = t.toLowerCase();
      if (t === '' || seen.has(key)) continue;
      seen.add(key);
      out.push(t);
    }
  }
  return out;
}

function draftsFromListItems(list: List, base: Omit<Draft, 'prompt' | 'line' | 'detail' | 'answer' | 'followUps'>, src: string, lineStarts: number[]): Draft[] {
  const drafts: Draft[] = [];
  for (const item of list.children) {
    const first = item.children[0];
    if (!first || first.type !== 'paragraph') continue;
    const prompt = cleanPrompt(plainText(first));
    if (prompt === '') continue;
    const indent = (first.position?.start.column ?? 1) - 1;
    const detail: Segment[] = [];
    const answer: Segment[] = [];
    const draft: Draft = { ...base, topics: [...base.topics], prompt, line: lineOf(item), detail, answer, followUps: [] };
    for (const child of item.children.slice(1)) {
      // Nested items that ask are follow-ups (h5bp's "* Explain X" / "  * Can you…?"); the
      // others qualify what is asked (prompt detail). Never the answer.
      if (child.type === 'list') {
        const cuts = takeFollowUps(child, listItemLooksLikeQuestion, draft, src, lineStarts);
        if (cuts.length < child.children.length) detail.push(withCuts(segmentOf(child, indent), cuts));
      } else if (!(child.type === 'paragraph' && isNavigation(child))) answer.push(segmentOf(child, indent));
    }
    drafts.push(draft);
  }
  return drafts;
}

/** A nested answer bullet that asks: its own text ends with "?" (see nestedFollowUps). */
function nestedItemAsks(item: ListItem): boolean {
  const first = item.children[0];
  if (!first || first.type !== 'paragraph' || isLinkOnly(first) || isNavigation(first)) return false;
  return /[?？]\)?$/.test(cleanPrompt(stripHtml(plainText(first))));
}

type Cut = { start: number; end: number };

/**
 * The items of `list` that `asks` accepts become follow-ups of `parent` (the
 * rest of each item is its answer), and come back as source ranges to cut out
 * of the list's text so the parent's text does not give them away.
 */
function takeFollowUps(list: List, asks: (item: ListItem) => boolean, parent: Draft, src: string, lineStarts: number[]): Cut[] {
  const cuts: Cut[] = [];
  const lineStart = (line: number): number => lineStarts[line - 1] ?? src.length;
  const blankLine = (line: number): boolean =>
    line >= 1 && line <= lineStarts.length && src.slice(lineStart(line), lineStart(line + 1)).trim() === '';
  for (const item of list.children) {
    if (!asks(item)) continue;
    const first = item.children[0] as Paragraph;
    const indent = (first.position?.start.column ?? 1) - 1;
    const answer: Segment[] = [];
    for (const part of item.children.slice(1)) {
      if (!(part.type === 'paragraph' && isNavigation(part))) answer.push(segmentOf(part, indent));
    }
    parent.followUps.push({
      prompt: cleanPrompt(plainText(first)),
      line: lineOf(item),
      kind: 'list',
      anchorDepth: parent.anchorDepth,
      topics: [...parent.topics],
      detail: [],
      answer,
      closed: true,
      followUps: [],
    });
    const startLine = item.position?.start.line ?? 1;
    let endLine = (item.position?.end.line ?? startLine) + 1;
    // In a loose list the blank line after a cut item goes with it, so no double gap is left.
    while (blankLine(startLine - 1) && blankLine(endLine)) endLine += 1;
    cuts.push({ start: lineStart(startLine), end: lineStart(endLine) });
  }
  return cuts;
}

function withCuts(seg: Segment, cuts: Cut[]): Segment {
  if (cuts.length === 0) return seg;
  return { ...seg, piece: { ...seg.piece, cuts: [...(seg.piece.cuts ?? []), ...cuts] } };
}

/**
 * Nested items of an answer's bullets that ask something become follow-ups of
 * `parent`. Only items ending in "?" count: answer bullets often open with
 * "When…", "Is…", "Make…" as statements, which the heading rule
 * (looksLikeQuestion) would take for questions. Returns the segment to use in
 * the parent's answer, the follow-ups cut out.
 */
function nestedFollowUps(seg: Segment, src: string, lineStarts: number[], parent: Draft): Segment {
  const list = seg.nodes.length === 1 ? seg.nodes[0] : undefined;
  if (!list || list.type !== 'list') return seg;
  const cuts: Cut[] = [];
  for (const bullet of list.children) {
    for (const child of bullet.children) {
      if (child.type === 'list') cuts.push(...takeFollowUps(child, nestedItemAsks, parent, src, lineStarts));
    }
  }
  return withCuts(seg, cuts);
}

/**
 * Parses one notes file. `file` is the path relative to the notes root (forward
 * slashes); it only labels the results. Pure: no I/O, never throws on input.
 */
export function parseNotes(markdown: string, file: string): ParseResult {
  const problems: ParseProblem[] = [];
  const src = markdown;
  const root = processor.parse(src) as Root;
  const lineStarts = [0];
  for (let k = src.indexOf('\n'); k >= 0; k = src.indexOf('\n', k + 1)) lineStarts.push(k + 1);

  let fileTopics: string[] = [];
  let titleTopic: string[] = [];
  const yamlNode = root.children[0]?.type === 'yaml' ? root.children[0] : undefined;
  if (yamlNode) {
    const fm = readFrontMatter(yamlNode.value, lineOf(yamlNode) + 1);
    if (fm.error) {
      problems.push({ file, line: fm.error.line, message: `front matter is not valid YAML (${fm.error.message}); its topics/tags were ignored. Fix the YAML between the --- lines.` });
    }
    fileTopics = fm.topics.map(cleanTopic).filter((t) => t !== '');
    titleTopic = fm.title ? [cleanTopic(fm.title)].filter((t) => t !== '') : [];
  }

  if (!yamlNode && /^---[ \t]*\r?\n[A-Za-z_][\w-]*[ \t]*:/.test(src)) {
    problems.push({ file, line: 1, message: 'front matter is never closed, so it was read as Markdown and its topics/tags were ignored; end it with a --- line.' });
  }

  const units = linearise(root, src, lineStarts, problems, file);
  markTitledHeadings(units);

  // Non-heading questions, region by region.
  let regionStart = 0;
  let regionAsks = false;
  for (let k = 0; k <= units.length; k += 1) {
    const u = units[k];
    if (k === units.length || u?.kind === 'heading') {
      markRegion(units, regionStart, k, regionAsks);
      if (u && u.kind === 'heading') {
        regionStart = k + 1;
        regionAsks = u.asks;
      }
    }
  }
  const classes = classifyHeadings(units);

  const drafts: Draft[] = [];
  const topicStack: { depth: number; text: string }[] = [];
  /** The draft later blocks are added to: `top` itself or one of its follow-ups. */
  let cur: Draft | null = null;
  /** The top-level question being collected, with its follow-ups. */
  let top: Draft | null = null;
  /** Heading questions still open around the current heading, outermost first (top, follow-up, …). */
  const open: Draft[] = [];
  /**
   * Depths of the top-level question headings of this section. A question heading
   * under another question at one of these depths is that question's sibling,
   * not its follow-up: the parent was written a level too high (a `##` question
   * among `###` ones, as in tih-facebook-career.md line 103).
   */
  const questionDepths = new Set<number>();
  let regionDepth = 0;
  const finish = (): void => {
    if (top) drafts.push(top);
    top = null;
    cur = null;
    open.length = 0;
  };
  const startTop = (d: Draft | null): void => {
    finish();
    top = d;
    cur = d;
  };
  /** Answer blocks go to the current draft; a heading or bold question's lists may hold nested follow-ups. */
  const addAnswer = (d: Draft, seg: Segment): void => {
    d.answer.push(d.kind === 'heading' || d.kind === 'bold' ? nestedFollowUps(seg, src, lineStarts, d) : seg);
  };
  const currentTopics = (): string[] => topicStack.map((t) => t.text);
  const popTopics = (depth: number, inclusive: boolean): void => {
    while (topicStack.length > 0) {
      const top = topicStack[topicStack.length - 1] as { depth: number };
      if (top.depth > depth || (inclusive && top.depth === depth)) topicStack.pop();
      else break;
    }
  };

  for (let k = 0; k < units.length; k += 1) {
    const u = units[k] as Unit;
    if (u.kind === 'heading') {
      let c = classes.get(k) ?? 'skip';
      if (c === 'cont') {
        const d: Draft | null = cur;
        if (d && d.kind === 'heading' && !d.closed && !d.answer.some((s) => s.substantive)) continue;
        c = 'skip';
      }
      while (open.length > 0 && (open[open.length - 1] as Draft).anchorDepth >= u.depth) open.pop();
      const enclosing = open[open.length - 1];
      if (c === 'question') {
        const draft: Draft = {
          prompt: u.titled ? u.titled.prompt : cleanPrompt(u.text),
          line: u.line,
          kind: 'heading',
          anchorDepth: u.depth,
          topics: [],
          detail: [],
          answer: [],
          closed: false,
          followUps: [],
          ...(u.titled ? { title: cleanPrompt(u.text) } : {}),
        };
        if (enclosing && !questionDepths.has(u.depth)) {
          // A question sub-heading of a question: asked after it, never on its own.
          draft.topics = [...enclosing.topics];
          enclosing.followUps.push(draft);
        } else {
          finish();
          popTopics(u.depth, false);
          draft.topics = currentTopics();
          startTop(draft);
          questionDepths.add(u.depth);
        }
        open.push(draft);
        cur = draft;
      } else if (c === 'topic' || c === 'title') {
        finish();
        popTopics(u.depth, true);
        questionDepths.clear();
        const text = cleanTopic(u.text);
        if (c === 'topic' && text !== '') topicStack.push({ depth: u.depth, text });
        regionDepth = u.depth;
      } else if (enclosing && !enclosing.closed) {
        // "#### Example", "### Answer": part of the answer of the question it sits under; an
        // answer label after a quiz stem (code, lettered options) is where that answer starts.
        if (isAnswerLabel(u.text) && !enclosing.split && stemBeforeLabel(enclosing)) {
          splitStem(enclosing, cleanPrompt(u.text).replace(/[:.\s]+$/, '').split(/\s+/).length > 1 ? u.seg : null);
        } else enclosing.answer.push(u.seg);
        cur = enclosing;
      } else {
        const d: Draft | null = cur;
        if (d && !d.closed && u.depth > d.anchorDepth) d.answer.push(u.seg);
        else {
          finish();
          popTopics(u.depth, true);
          questionDepths.clear();
          regionDepth = u.depth;
        }
      }
      continue;
    }
    if (u.kind === 'nav') continue;
    if (isQuestionUnit(u)) {
      finish();
      const base = { kind: 'list' as const, anchorDepth: regionDepth, topics: currentTopics(), closed: false };
      if (u.kind === 'list') {
        const items = draftsFromListItems(u.node, base, src, lineStarts);
        const last = items.pop();
        drafts.push(...items);
        startTop(last ?? null);
      } else if (u.kind === 'bold') {
        startTop({ ...base, kind: 'bold', prompt: cleanPrompt(u.text), line: lineOf(u.node), detail: [], answer: [], followUps: [] });
      } else if (u.kind === 'details') {
        startTop({ ...base, kind: 'details', prompt: cleanPrompt(u.parts.summary), line: u.parts.summaryLine, detail: [], answer: [...u.parts.inner], closed: true, followUps: [] });
      } else if (u.kind === 'table') {
        for (const row of u.node.children.slice(1)) {
          const qCell = row.children[u.qCol];
          const prompt = qCell ? cleanPrompt(plainText(qCell)) : '';
          if (prompt === '') continue;
          const answer: Segment[] = [];
          // The answer cell, or a study guide's reference cells (links: shown on reveal, not an answer to grade).
          for (const col of u.aCols) {
            const aCell = row.children[col];
            const firstChild = aCell?.children[0];
            const lastChild = aCell?.children[aCell.children.length - 1];
            if (aCell && firstChild && lastChild) {
              answer.push({ piece: { start: startOf(firstChild), end: endOf(lastChild), indent: 0 }, nodes: [aCell], substantive: isSubstantiveNode(aCell), isCode: false, isBreak: false });
            }
          }
          drafts.push({ ...base, kind: 'table', prompt, line: lineOf(row), detail: [], answer, closed: true, followUps: [] });
        }
      }
      continue;
    }
    const d: Draft | null = cur;
    if (!d || d.closed) continue;
    const nothingYet = !d.answer.some((s) => s.substantive);
    if (u.kind === 'details' && u.parts.label && !d.split && isAnswerSummary(u.parts.summary)) {
      // The author hid the answer: everything shown before it (code, options, text) is the stem.
      splitStem(d, null);
      d.answer.push(...u.parts.inner);
      continue;
    }
    if ((u.kind === 'block' || u.kind === 'bold') && !d.split && answerLabelParagraph(u.seg.nodes[0] as Nodes) && stemBeforeLabel(d)) {
      // `**Answer:** B` after a quiz stem. A bare label line carries nothing to keep.
      const bare = u.kind === 'bold' && cleanPrompt(u.text).replace(/[:.\s]+$/, '').split(/\s+/).length <= 1;
      splitStem(d, bare ? null : u.seg);
      continue;
    }
    if (u.kind === 'details' && u.parts.label && d.answer.every((s) => !s.substantive || s.isCode)) {
      // "View answer" wrapper: code shown before it is part of the question.
      const lead = d.answer;
      d.answer = [];
      for (const s of lead) (s.isCode ? d.detail : d.answer).push(s);
      d.answer.push(...u.parts.inner);
      continue;
    }
    if (d.kind === 'list' && nothingYet && u.kind === 'block' && u.seg.isCode) {
      d.detail.push(u.seg);
      continue;
    }
    addAnswer(d, u.seg);
  }
  // A thematic break after the last answer starts the document's footer (disclaimers, credits).
  const last: Draft | null = cur;
  if (last && !last.closed) {
    const breakAt = last.answer.map((s) => s.isBreak).lastIndexOf(true);
    if (breakAt > 0 && last.answer.slice(0, breakAt).some((s) => s.substantive)) last.answer = last.answer.slice(0, breakAt);
  }
  finish();

  return { questions: finalise(drafts, src, lineStarts, file, fileTopics, titleTopic, problems), problems };
}

const squashSpace = (text: string): string => text.replace(/\s+/g, ' ').trim();
const shortHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);

/**
 * Dedupe and identity. A question's identity is its normalised prompt (a titled
 * question's: its title). Several questions that share one ("What's the output?"
 * over different code) are told apart by their stem, so each keeps its own id
 * however the others are edited or moved; only the same prompt with the same stem
 * and the same answer is one question (listed twice, under several topics).
 */
function finalise(
  drafts: Draft[],
  src: string,
  lineStarts: number[],
  file: string,
  fileTopics: string[],
  titleTopic: string[],
  problems: ParseProblem[],
): ParsedQuestion[] {
  const made: { q: ParsedQuestion; body: string; base: string; variant: string }[] = [];
  const variants = new Map<string, Set<string>>();
  for (const d of drafts) {
    const one = finaliseOne(d, src, lineStarts, file, fileTopics, titleTopic, problems);
    if (!one) continue;
    const base = normaliseQuestion(one.q.title ?? one.q.prompt);
    const variant = `${one.q.title ? normaliseQuestion(one.q.prompt) : ''}\u0000${squashSpace(one.q.promptDetail)}`;
    made.push({ ...one, base, variant });
    const set = variants.get(base) ?? new Set<string>();
    set.add(variant);
    variants.set(base, set);
  }
  const out: ParsedQuestion[] = [];
  const byKey = new Map<string, { q: ParsedQuestion; body: string }>();
  for (const { q, body, base, variant } of made) {
    const key = `${base}\u0001${variant}`;
    const seen = byKey.get(key);
    if (seen) {
      if (seen.body === body) mergeTopicsInto(seen.q, q.explicitTopics);
      else {
        problems.push({ file, line: q.line, message: `duplicate question "${q.prompt}" (first at line ${seen.q.line}) with a different answer; kept the first. Merge the two or reword one.` });
      }
      continue;
    }
    byKey.set(key, { q, body });
    q.identity = (variants.get(base)?.size ?? 1) > 1 ? `${base}\u001e${shortHash(variant)}` : base;
    out.push(q);
  }
  return out;
}

/** The same question listed under several topics is one question with all of them; its follow-ups go where it goes. */
function mergeTopicsInto(q: ParsedQuestion, topics: string[]): void {
  q.explicitTopics = mergeTopics(q.explicitTopics, topics);
  for (const f of q.followUps) mergeTopicsInto(f, topics);
}

/** A prompt about code shown with it: "What's the output?", "What does the following return?". */
const ASKS_ABOUT_CODE =
  /\b(?:output|outputs|print|prints|printed|logs?|logged|evaluates? to|returns?|returned|the following|this (?:code|snippet|program|function|query|example|script)|below)\b/i;

/**
 * A question about code whose answer opens with that code and then says more, with no
 * answer marker: the leading code (and lettered options) is the stem, the rest the answer.
 */
function codeStem(d: Draft): void {
  let k = 0;
  while (k < d.answer.length && !(d.answer[k] as Segment).substantive) k += 1;
  const first = d.answer[k];
  if (!first || !first.isCode) return;
  let end = k;
  while (end < d.answer.length) {
    const seg = d.answer[end] as Segment;
    if (seg.isCode || seg.nodes.some(isOptionsList) || !seg.substantive) end += 1;
    else break;
  }
  if (!d.answer.slice(end).some((s) => s.substantive)) return;
  d.detail.push(...d.answer.slice(k, end).filter((s) => s.substantive));
  d.answer = d.answer.slice(end);
  d.split = true;
}

/** One draft and its follow-ups as parsed questions; `body` tells a repeated block from a different one. */
function finaliseOne(
  d: Draft,
  src: string,
  lineStarts: number[],
  file: string,
  fileTopics: string[],
  titleTopic: string[],
  problems: ParseProblem[],
): { q: ParsedQuestion; body: string } | null {
  if (d.prompt === '') return null;
  if (d.kind === 'heading' && !d.split && d.detail.length === 0 && d.title === undefined && ASKS_ABOUT_CODE.test(d.prompt)) codeStem(d);
  if (d.title !== undefined && !d.split) {
    // Code right after a titled question's paragraph is part of what it asks.
    let k = 0;
    while (k < d.answer.length && ((d.answer[k] as Segment).isCode || !(d.answer[k] as Segment).substantive)) k += 1;
    d.detail.push(...d.answer.slice(0, k).filter((s) => s.isCode));
    d.answer = d.answer.slice(k);
  }
  const answerSegs = trimSegments(d.answer);
  const answer = renderSegments(src, answerSegs);
  const promptDetail = renderSegments(src, d.detail);
  const empty = answerIsEmpty(answerSegs);
  const followUps: ParsedQuestion[] = [];
  const bodies: string[] = [];
  const siblings = new Map<string, number>();
  // Sub-heading follow-ups and nested-bullet ones are collected separately; note order is line order.
  for (const f of [...d.followUps].sort((a, b) => a.line - b.line)) {
    const made = finaliseOne(f, src, lineStarts, file, fileTopics, titleTopic, problems);
    if (!made) continue;
    const key = normaliseQuestion(made.q.prompt);
    const first = siblings.get(key);
    if (first !== undefined) {
      problems.push({ file, line: made.q.line, message: `follow-up "${made.q.prompt}" repeats the one at line ${first} under the same question; kept the first. Remove or reword one.` });
      continue;
    }
    siblings.set(key, made.q.line);
    followUps.push(made.q);
    bodies.push(`${made.q.prompt}\u0001${made.body}`);
  }
  const q: ParsedQuestion = {
    prompt: d.prompt,
    promptDetail,
    answer,
    keyPoints: empty ? [] : keyPointsOf(answerSegs.flatMap((s) => s.nodes)),
    explicitTopics: mergeTopics(d.topics, fileTopics, titleTopic),
    file,
    line: d.line,
    emptyAnswer: empty,
    followUps,
    ...(d.title !== undefined ? { title: d.title } : {}),
    explain: { rule: ruleOf(d), stem: lineSpan(src, lineStarts, d.detail), answer: lineSpan(src, lineStarts, answerSegs) },
  };
  return { q, body: [`${promptDetail}\u0000${answer}`, ...bodies].join('\u0002') };
}
