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
