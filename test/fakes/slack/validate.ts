/**
 * Slack's published Block Kit / view limits, enforced the way Slack reports them
 * (`[ERROR] <what> [json-pointer:/blocks/0/text/text]`) so rendering bugs in the
 * adapter fail loudly in tests instead of only in a real workspace.
 */
type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const len = (s: unknown): number => (typeof s === 'string' ? [...s].length : 0);

export interface Problems {
  messages: string[];
}

function err(p: Problems, what: string, pointer: string): void {
  p.messages.push(`[ERROR] ${what} [json-pointer:${pointer}]`);
}

function textObject(p: Problems, t: unknown, at: string, opts: { max: number; plainOnly?: boolean; required?: boolean }): void {
  if (t === undefined) {
    if (opts.required) err(p, 'missing required field: text', at);
    return;
  }
  if (!isObj(t)) return err(p, 'must be a text object', at);
  if (t.type !== 'plain_text' && t.type !== 'mrkdwn') err(p, `unsupported text type "${String(t.type)}"`, `${at}/type`);
  if (opts.plainOnly && t.type !== 'plain_text') err(p, 'must be plain_text', `${at}/type`);
  if (typeof t.text !== 'string') return err(p, 'missing required field: text', `${at}/text`);
  if (len(t.text) < 1) err(p, 'must be more than 0 characters', `${at}/text`);
  if (len(t.text) > opts.max) err(p, `must be less than ${opts.max + 1} characters`, `${at}/text`);
}

function element(p: Problems, e: unknown, at: string, actionIds: Set<string>): void {
  if (!isObj(e)) return err(p, 'must be an object', at);
  const actionId = e.action_id;
  if (actionId !== undefined) {
    if (typeof actionId !== 'string' || len(actionId) > 255) err(p, 'must be less than 256 characters', `${at}/action_id`);
    else if (actionIds.has(actionId)) err(p, `action_id "${actionId}" already exists in this block`, `${at}/action_id`);
    else actionIds.add(actionId);
  }
  switch (e.type) {
    case 'button':
      textObject(p, e.text, `${at}/text`, { max: 75, plainOnly: true, required: true });
      if (e.value !== undefined && len(e.value) > 2000) err(p, 'must be less than 2001 characters', `${at}/value`);
      if (e.url !== undefined && len(e.url) > 3000) err(p, 'must be less than 3001 characters', `${at}/url`);
      if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger') {
        err(p, `style must be one of [primary, danger], got "${String(e.style)}"`, `${at}/style`);
      }
      return;
    case 'plain_text_input':
      if (e.max_length !== undefined && (typeof e.max_length !== 'number' || e.max_length > 3000 || e.max_length < 1)) {
        err(p, 'max_length must be between 1 and 3000', `${at}/max_length`);
      }
      if (e.placeholder !== undefined) textObject(p, e.placeholder, `${at}/placeholder`, { max: 150, plainOnly: true });
      return;
    case 'image':
      return;
    default:
      err(p, `unsupported element type "${String(e.type)}"`, `${at}/type`);
  }
}

const RICH_STYLES = new Set(['bold', 'italic', 'strike', 'code', 'underline', 'highlight', 'client_highlight', 'unlink']);
// What a rich_text section or quote may hold; we only ever send text and link, the rest is accepted as Slack does.
const RICH_INLINE = new Set(['text', 'link', 'emoji', 'user', 'usergroup', 'channel', 'broadcast', 'team', 'date', 'color']);

function richInline(p: Problems, e: unknown, at: string, allowed: Set<string>): number {
  if (!isObj(e)) return (err(p, 'must be an object', at), 0);
  if (typeof e.type !== 'string' || !allowed.has(e.type)) return (err(p, `unsupported rich text element type "${String(e.type)}"`, `${at}/type`), 0);
  if (e.style !== undefined) {
    if (!isObj(e.style)) err(p, 'style must be an object', `${at}/style`);
    else for (const [k, v] of Object.entries(e.style)) {
      if (!RICH_STYLES.has(k)) err(p, `unsupported style "${k}"`, `${at}/style/${k}`);
      else if (typeof v !== 'boolean') err(p, 'must be a boolean', `${at}/style/${k}`);
    }
  }
  if (e.type === 'text') {
    if (typeof e.text !== 'string') return (err(p, 'missing required field: text', `${at}/text`), 0);
    if (len(e.text) < 1) err(p, 'must be more than 0 characters', `${at}/text`);
    return len(e.text);
  }
  if (e.type === 'link') {
    if (typeof e.url !== 'string' || len(e.url) < 1) err(p, 'missing required field: url', `${at}/url`);
    if (e.text !== undefined && typeof e.text !== 'string') err(p, 'must be a string', `${at}/text`);
    return len(e.text ?? e.url);
  }
  return 0;
}

function richElements(p: Problems, els: unknown, at: string, allowed: Set<string>): number {
  if (!Array.isArray(els) || els.length < 1) return (err(p, 'must provide at least 1 item', at), 0);
  return els.reduce((n: number, e, i) => n + richInline(p, e, `${at}/${i}`, allowed), 0);
}

const PREFORMATTED_INLINE = new Set(['text', 'link']);

/**
 * rich_text structure as Slack documents it (an empty block or element is
 * invalid_blocks). Slack publishes no character limit for rich_text; the
 * 3,000-character cap here is prepbot's own (LIMITS.richText), so a renderer
 * bug that stops splitting shows up in tests.
 */
function richTextBlock(p: Problems, b: Json, at: string): void {
  if (!Array.isArray(b.elements) || b.elements.length < 1) return err(p, 'must provide at least 1 item', `${at}/elements`);
  let total = 0;
  b.elements.forEach((e, i) => {
    const here = `${at}/elements/${i}`;
    if (!isObj(e)) return err(p, 'must be an object', here);
    if (e.border !== undefined && e.border !== 0 && e.border !== 1) err(p, 'border must be 0 or 1', `${here}/border`);
    switch (e.type) {
      case 'rich_text_section':
      case 'rich_text_quote':
        total += richElements(p, e.elements, `${here}/elements`, RICH_INLINE);
        return;
      case 'rich_text_preformatted':
        total += richElements(p, e.elements, `${here}/elements`, PREFORMATTED_INLINE);
        return;
      case 'rich_text_list': {
        if (e.style !== 'bullet' && e.style !== 'ordered') err(p, `style must be one of [bullet, ordered], got "${String(e.style)}"`, `${here}/style`);
        if (e.indent !== undefined && (typeof e.indent !== 'number' || !Number.isInteger(e.indent) || e.indent < 0 || e.indent > 8)) {
          err(p, 'indent must be an integer from 0 to 8', `${here}/indent`);
        }
        if (!Array.isArray(e.elements) || e.elements.length < 1) return err(p, 'must provide at least 1 item', `${here}/elements`);
        e.elements.forEach((item, j) => {
          if (!isObj(item) || item.type !== 'rich_text_section') return err(p, 'list items must be rich_text_section', `${here}/elements/${j}/type`);
          total += richElements(p, item.elements, `${here}/elements/${j}/elements`, RICH_INLINE);
        });
        return;
      }
      default:
        err(p, `unsupported rich text element type "${String(e.type)}"`, `${here}/type`);
    }
  });
  if (total > 3000) err(p, `rich_text holds ${total} characters; prepbot keeps each block to 3000`, `${at}/elements`);
}

function block(p: Problems, b: unknown, at: string, blockIds: Set<string>, surface: 'message' | 'modal' | 'home'): void {
  if (!isObj(b)) return err(p, 'must be an object', at);
  if (b.block_id !== undefined) {
    if (typeof b.block_id !== 'string' || len(b.block_id) > 255) err(p, 'must be less than 256 characters', `${at}/block_id`);
    else if (blockIds.has(b.block_id)) err(p, `block_id "${b.block_id}" is not unique`, `${at}/block_id`);
    else blockIds.add(b.block_id);
  }
  const actionIds = new Set<string>();
  switch (b.type) {
    case 'section': {
      if (b.text === undefined && b.fields === undefined) err(p, 'must provide text or fields', at);
      textObject(p, b.text, `${at}/text`, { max: 3000 });
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields) || b.fields.length > 10) err(p, 'must provide at most 10 items', `${at}/fields`);
        else b.fields.forEach((f, i) => textObject(p, f, `${at}/fields/${i}`, { max: 2000 }));
      }
      if (b.accessory !== undefined) element(p, b.accessory, `${at}/accessory`, actionIds);
      return;
    }
    case 'header':
      textObject(p, b.text, `${at}/text`, { max: 150, plainOnly: true, required: true });
      return;
    case 'divider':
      return;
    case 'rich_text':
      return richTextBlock(p, b, at);
    case 'actions': {
      if (!Array.isArray(b.elements) || b.elements.length < 1) return err(p, 'must provide at least 1 item', `${at}/elements`);
      if (b.elements.length > 25) err(p, 'must provide at most 25 items', `${at}/elements`);
      b.elements.forEach((e, i) => element(p, e, `${at}/elements/${i}`, actionIds));
      return;
    }
    case 'context': {
      if (!Array.isArray(b.elements) || b.elements.length < 1) return err(p, 'must provide at least 1 item', `${at}/elements`);
      if (b.elements.length > 10) err(p, 'must provide at most 10 items', `${at}/elements`);
      b.elements.forEach((e, i) => {
        if (isObj(e) && e.type === 'image') return;
        textObject(p, e, `${at}/elements/${i}`, { max: 3000 });
      });
      return;
    }
    case 'input': {
      if (surface === 'message') err(p, 'input blocks are only supported in modals and Home tabs here', `${at}/type`);
      textObject(p, b.label, `${at}/label`, { max: 2000, plainOnly: true, required: true });
      if (b.hint !== undefined) textObject(p, b.hint, `${at}/hint`, { max: 2000, plainOnly: true });
      if (b.element === undefined) err(p, 'missing required field: element', `${at}/element`);
      else element(p, b.element, `${at}/element`, actionIds);
      return;
    }
    default:
      err(p, `unsupported block type "${String(b.type)}"`, `${at}/type`);
  }
}

export function validateBlocks(blocks: unknown, surface: 'message' | 'modal' | 'home', pointer = '/blocks'): string[] {
  const p: Problems = { messages: [] };
  if (!Array.isArray(blocks)) {
    err(p, 'must be an array', pointer);
    return p.messages;
  }
  const max = surface === 'message' ? 50 : 100;
  if (blocks.length > max) err(p, `must provide at most ${max} items`, pointer);
  const ids = new Set<string>();
  blocks.forEach((b, i) => block(p, b, `${pointer}/${i}`, ids, surface));
  return p.messages;
}

export function validateView(view: unknown): string[] {
  const p: Problems = { messages: [] };
  if (!isObj(view)) {
    err(p, 'view must be an object', '/view');
    return p.messages;
  }
  if (view.type !== 'modal' && view.type !== 'home') err(p, `unsupported view type "${String(view.type)}"`, '/view/type');
  const surface = view.type === 'home' ? 'home' : 'modal';
  if (surface === 'modal') {
    textObject(p, view.title, '/view/title', { max: 24, plainOnly: true, required: true });
    if (view.submit !== undefined) textObject(p, view.submit, '/view/submit', { max: 24, plainOnly: true });
    if (view.close !== undefined) textObject(p, view.close, '/view/close', { max: 24, plainOnly: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObj(b) && b.type === 'input');
    if (hasInput && view.submit === undefined) err(p, 'a view with input blocks requires submit', '/view/submit');
  }
  if (view.private_metadata !== undefined && len(view.private_metadata) > 3000) {
    err(p, 'must be less than 3001 characters', '/view/private_metadata');
  }
  if (view.callback_id !== undefined && len(view.callback_id) > 255) err(p, 'must be less than 256 characters', '/view/callback_id');
  p.messages.push(...validateBlocks(view.blocks, surface, '/view/blocks'));
  return p.messages;
}
