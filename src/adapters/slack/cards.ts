/**
 * Message / AnswerForm → Block Kit, inside Slack's limits: 3,000 chars per
 * section text, 50 blocks per message (100 per view), 25 buttons per actions
 * block, 75 chars per button label, modal title 24 chars.
 */
import type { Root, RootContent } from 'mdast';
import type { Action, AnswerForm, Message } from '../../chat/message.ts';
import type { Block, FormMetadata, HomeView, ModalView, SlackMessagePayload } from './types.ts';
import { blockNode, escapeMrkdwn, hasUserText, plainSafe, richElements, toPlain } from './markdown.ts';
import type { RichElement, RichInline } from './markdown.ts';

export const LIMITS = {
  sectionText: 3000,
  /**
   * Our own cap on the characters in one rich_text block. Slack publishes no
   * per-block limit for rich_text (only msg_blocks_too_long for a whole
   * message), so we keep to the section limit rather than guess higher.
   */
  richText: 3000,
  blocksPerMessage: 50,
  blocksPerView: 100,
  buttonsPerActions: 25,
  buttonText: 75,
  buttonValue: 2000,
  modalTitle: 24,
  inputLabel: 2000,
  placeholder: 150,
  inputMaxLength: 3000,
  privateMetadata: 3000,
  fallbackText: 300,
} as const;

export const FORM_CALLBACK_ID = 'prepbot_form';
export const FORM_BLOCK_ID = 'answer';
export const FORM_ACTION_ID = 'text';
/** Separates an action id from the index that keeps it unique within its block. */
const ACTION_SUFFIX = '~';

/** Cut to `max` code points, marking the cut. */
export function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

const FENCE = '```';

/**
 * Split one rendered chunk that is longer than `limit` at line boundaries,
 * closing a code fence at the end of a piece and reopening it at the start of
 * the next so every piece renders on its own.
 */
export function splitMrkdwn(text: string, limit: number): string[] {
  if (length(text) <= limit) return [text];
  const closing = `\n${FENCE}`.length;
  const pieces: string[] = [];
  let current: string[] = [];
  let size = 0;
  let inFence = false;
  for (const line of text.split('\n').flatMap((l) => hardWrap(l, limit - 2 * closing))) {
    const add = (current.length > 0 ? 1 : 0) + length(line);
    if (current.length > 0 && size + add + closing > limit) {
      pieces.push(current.join('\n') + (inFence ? `\n${FENCE}` : ''));
      current = inFence ? [FENCE] : [];
      size = inFence ? FENCE.length : 0;
    }
    size += (current.length > 0 ? 1 : 0) + length(line);
    current.push(line);
    if (line.trimEnd() === FENCE) inFence = !inFence;
  }
  if (current.length > 0) pieces.push(current.join('\n'));
  return pieces.filter((p) => p.trim() !== '' && p.trim() !== `${FENCE}\n${FENCE}`);
}

function length(text: string): number {
  return [...text].length;
}

/** Break a single over-long line, never inside an `&amp;`-style entity. */
function hardWrap(line: string, max: number): string[] {
  const chars = [...line];
  if (chars.length <= max) return [line];
  const out: string[] = [];
  let i = 0;
  while (i < chars.length) {
    let end = Math.min(i + max, chars.length);
    const amp = chars.slice(Math.max(i, end - 5), end).lastIndexOf('&');
    if (end < chars.length && amp >= 0) {
      const ampAt = Math.max(i, end - 5) + amp;
      if (!chars.slice(ampAt, end).includes(';') && ampAt > i) end = ampAt;
    }
    out.push(chars.slice(i, end).join(''));
    i = end;
  }
  return out;
}

/** Pack rendered chunks into section texts of at most `limit` characters. */
export function packSections(chunks: readonly string[], limit: number = LIMITS.sectionText): string[] {
  const out: string[] = [];
  let current = '';
  for (const chunk of chunks.flatMap((c) => splitMrkdwn(c, limit))) {
    const joined = current ? `${current}\n\n${chunk}` : chunk;
    if ([...joined].length <= limit) current = joined;
    else {
      if (current) out.push(current);
      current = chunk;
    }
  }
  if (current) out.push(current);
  return out;
}

function section(text: string): Block {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/**
 * Top-level blocks without user text are mrkdwn sections; runs of blocks that
 * hold user text are rich_text blocks, where Slack shows text as typed (see
 * markdown.ts). Order is kept.
 */
function bodyBlocks(root: Root): Block[] {
  const out: Block[] = [];
  let run: RootContent[] = [];
  let runIsRich = false;
  const flush = (): void => {
    if (run.length === 0) return;
    if (runIsRich) out.push(...richBlocks(run.flatMap(richElements)));
    else out.push(...packSections(run.map(blockNode).filter((s) => s.trim() !== '')).map(section));
    run = [];
  };
  for (const node of root.children) {
    const rich = hasUserText(node);
    if (rich !== runIsRich) flush();
    runIsRich = rich;
    run.push(node);
  }
  flush();
  return out;
}

function inlineLength(e: RichInline): number {
  return length(e.type === 'text' ? e.text : (e.text ?? e.url));
}

export function richLength(e: RichElement): number {
  if (e.type === 'rich_text_list') return e.elements.reduce((n, item) => n + item.elements.reduce((m, i) => m + inlineLength(i), 0), 0);
  return e.elements.reduce((n, i) => n + inlineLength(i), 0);
}

/** Cut a run of inline elements into pieces of at most `limit` characters, preferring line ends. */
function splitInline(elements: readonly RichInline[], limit: number): RichInline[][] {
  const pieces: RichInline[][] = [];
  let current: RichInline[] = [];
  let size = 0;
  const push = (): void => {
    if (current.length > 0) pieces.push(current);
    current = [];
    size = 0;
  };
  for (const e of elements) {
    if (e.type !== 'text') {
      if (size + inlineLength(e) > limit) push();
      current.push(e);
      size += inlineLength(e);
      continue;
    }
    let rest = [...e.text];
    while (rest.length > 0) {
      const room = limit - size;
      if (rest.length <= room) {
        current.push({ ...e, text: rest.join('') });
        size += rest.length;
        break;
      }
      const newline = rest.lastIndexOf('\n', room - 1);
      const at = newline > 0 && newline >= room / 2 ? newline + 1 : room;
      if (at > 0) current.push({ ...e, text: rest.slice(0, at).join('') });
      rest = rest.slice(at);
      push();
    }
  }
  push();
  return pieces;
}

/** An element too long for one block, cut into several of the same kind. */
function splitRich(e: RichElement, limit: number): RichElement[] {
  if (richLength(e) <= limit) return [e];
  if (e.type !== 'rich_text_list') return splitInline(e.elements, limit).map((elements) => ({ ...e, elements }));
  const items = e.elements.flatMap((item) => splitInline(item.elements, limit).map((elements) => ({ type: 'rich_text_section' as const, elements })));
  const lists: RichElement[] = [];
  let group: typeof items = [];
  let size = 0;
  for (const item of items) {
    const n = item.elements.reduce((m, i) => m + inlineLength(i), 0);
    if (group.length > 0 && size + n > limit) {
      lists.push({ ...e, elements: group });
      group = [];
      size = 0;
    }
    group.push(item);
    size += n;
  }
  if (group.length > 0) lists.push({ ...e, elements: group });
  return lists;
}

/** Pack rich_text elements into blocks of at most `limit` characters each. */
export function richBlocks(elements: readonly RichElement[], limit: number = LIMITS.richText): Block[] {
  const blocks: RichElement[][] = [];
  let current: RichElement[] = [];
  let size = 0;
  for (const e of elements.flatMap((x) => splitRich(x, limit))) {
    const n = richLength(e);
    if (current.length > 0 && size + n > limit) {
      blocks.push(current);
      current = [];
      size = 0;
    }
    current.push(e);
    size += n;
  }
  if (current.length > 0) blocks.push(current);
  return blocks.map((els) => ({ type: 'rich_text', elements: els }) as Block);
}

function buttonStyle(style: Action['style']): { style?: 'primary' | 'danger' } {
  // Slack buttons only know primary and danger; other styles fall back to the default look.
  if (style === 'primary' || style === 'success') return { style: 'primary' };
  if (style === 'danger') return { style: 'danger' };
  return {};
}

/** Slack needs action ids unique within a block; several "rate" buttons become rate~0, rate~1, … */
export function encodeActionIds(actions: readonly Action[]): string[] {
  const counts = new Map<string, number>();
  for (const a of actions) counts.set(a.id, (counts.get(a.id) ?? 0) + 1);
  const seen = new Map<string, number>();
  return actions.map((a) => {
    if ((counts.get(a.id) ?? 0) === 1 && !a.id.includes(ACTION_SUFFIX)) return a.id;
    const n = seen.get(a.id) ?? 0;
    seen.set(a.id, n + 1);
    return `${a.id}${ACTION_SUFFIX}${n}`;
  });
}

export function decodeActionId(actionId: string): string {
  const at = actionId.lastIndexOf(ACTION_SUFFIX);
  return at > 0 && /^\d+$/.test(actionId.slice(at + 1)) ? actionId.slice(0, at) : actionId;
}

export function actionBlocks(actions: readonly Action[]): Block[] {
  if (actions.length === 0) return [];
  const ids = encodeActionIds(actions);
  const blocks: Block[] = [];
  for (let i = 0; i < actions.length; i += LIMITS.buttonsPerActions) {
    blocks.push({
      type: 'actions',
      block_id: `actions_${i / LIMITS.buttonsPerActions}`,
      elements: actions.slice(i, i + LIMITS.buttonsPerActions).map((a, j) => {
        if ([...a.value].length > LIMITS.buttonValue) {
          throw new Error(`button "${a.id}" value is ${a.value.length} chars; Slack allows ${LIMITS.buttonValue}: store the data and pass an id`);
        }
        return {
          type: 'button' as const,
          action_id: ids[i + j] ?? a.id,
          text: { type: 'plain_text' as const, text: cut(plainSafe(a.label), LIMITS.buttonText), emoji: true },
          value: a.value,
          ...buttonStyle(a.style),
        };
      }),
    });
  }
  return blocks;
}

/** Body, then (when the core included one) the reference answer after a divider, then buttons. */
export function messageBlocks(message: Message): { content: Block[]; actions: Block[] } {
  const content = bodyBlocks(message.body);
  if (message.spoiler && message.spoiler.children.length > 0) {
    // Slack has no spoilers: the core only sends one where this person may see it.
    content.push({ type: 'divider' }, section('*Reference answer*'), ...bodyBlocks(message.spoiler));
  }
  return { content, actions: actionBlocks(message.actions ?? []) };
}

function fallbackText(blocks: Block[], whole: Message): string {
  const first = blocks.find((b) => b.type === 'section');
  const text = first && first.type === 'section' && first.text ? first.text.text : escapeMrkdwn(toPlain(whole.body));
  return cut(text || ' ', LIMITS.fallbackText);
}

/**
 * One Message → one or more chat.postMessage payloads of at most 50 blocks,
 * with the buttons on the last one (where the reader ends up).
 */
export function renderMessage(message: Message): SlackMessagePayload[] {
  const { content, actions } = messageBlocks(message);
  const max = LIMITS.blocksPerMessage;
  const groups: Block[][] = [];
  for (let i = 0; i < content.length; i += max) groups.push(content.slice(i, i + max));
  if (groups.length === 0) groups.push([]);
  const last = groups[groups.length - 1]!;
  if (last.length + actions.length <= max) last.push(...actions);
  else groups.push(actions);
  return groups.filter((g) => g.length > 0).map((blocks) => ({ text: fallbackText(blocks, message), blocks }));
}

export function parseFormMetadata(raw: string): FormMetadata | undefined {
  try {
    const m = JSON.parse(raw) as Partial<FormMetadata>;
    return typeof m.f === 'string' && typeof m.v === 'string' ? (m as FormMetadata) : undefined;
  } catch {
    return undefined;
  }
}

function encodeMetadata(meta: FormMetadata): string {
  const full = JSON.stringify(meta);
  if (full.length <= LIMITS.privateMetadata) return full;
  // The response_url is only a fallback; drop it before the routing data.
  const { r: _dropped, ...rest } = meta;
  const slim = JSON.stringify(rest);
  if (slim.length <= LIMITS.privateMetadata) return slim;
  throw new Error(`form "${meta.f}" value is too long for Slack's private_metadata (${LIMITS.privateMetadata} chars): pass an id`);
}

/** The answer form as a modal with one multi-line input. */
export function answerModal(form: AnswerForm, meta: FormMetadata): ModalView {
  const title = cut(plainSafe(form.title).replace(/\s+/g, ' ').trim() || 'Answer', LIMITS.modalTitle);
  const label = cut(plainSafe(form.label.trim() || 'Your answer'), LIMITS.inputLabel);
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    private_metadata: encodeMetadata(meta),
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: 'Submit' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: FORM_BLOCK_ID,
        label: { type: 'plain_text', text: label },
        element: {
          type: 'plain_text_input',
          action_id: FORM_ACTION_ID,
          multiline: true,
          max_length: Math.max(1, Math.min(form.maxLength, LIMITS.inputMaxLength)),
          ...(form.placeholder ? { placeholder: { type: 'plain_text' as const, text: cut(plainSafe(form.placeholder), LIMITS.placeholder) } } : {}),
        },
      },
    ],
  };
}

/** The App Home tab (views allow 100 blocks; anything beyond is cut with a note). */
export function homeTab(message: Message): HomeView {
  const { content, actions } = messageBlocks(message);
  let blocks = [...content, ...actions];
  if (blocks.length > LIMITS.blocksPerView) {
    blocks = [...content.slice(0, LIMITS.blocksPerView - actions.length - 1), section('_…more in the app’s messages_'), ...actions];
  }
  return { type: 'home', blocks };
}
