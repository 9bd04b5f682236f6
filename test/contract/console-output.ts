/**
 * Reads the console adapter's terminal output back into messages and forms, the
 * way a person reads the screen. Shared by the console contract run and unit tests.
 */
import type { SeenForm, SeenMessage } from './adapter-contract.ts';

const HEADER = /^prepbot #(\d+)(?: \(([^)]*)\))?:$/;
const FORM = /^prepbot form #(\d+) \(only [^)]+\): (.*)$/;
const CHOOSE = /^Choose: (.*)$/;

/** A picture the console saved, as printed under its message ("Picture: PATH" then "(alt)"). */
export interface ConsolePicture {
  messageId: string;
  conversationId: string;
  visibility: SeenMessage['visibility'];
  path: string;
  alt?: string;
}

export interface ConsoleScreen {
  messages: SeenMessage[];
  pictures: ConsolePicture[];
  forms: SeenForm[];
  /** Lines starting with "! " (the adapter's own notices: parse errors, hints). */
  notices: string[];
}

export function readConsole(output: string, person: string, workspace = 'local', channel = 'main'): ConsoleScreen {
  const byId = new Map<string, SeenMessage>();
  const order: string[] = [];
  const forms: SeenForm[] = [];
  const notices: string[] = [];
  const pictures: ConsolePicture[] = [];
  let block: { kind: 'message'; id: string; flags: string[]; lines: string[] } | { kind: 'form'; title: string; lines: string[] } | undefined;

  const flush = (): void => {
    if (!block) return;
    const lines = [...block.lines];
    while (lines.length > 0 && lines.at(-1) === '') lines.pop();
    if (block.kind === 'form') {
      forms.push({ title: block.title, label: lines[0] ?? '' });
      block = undefined;
      return;
    }
    const { id, flags } = block;
    block = undefined;
    let buttons: SeenMessage['buttons'] = [];
    const choose = CHOOSE.exec(lines.at(-1) ?? '');
    if (choose) {
      lines.pop();
      buttons = [...choose[1]!.matchAll(/\[(\d+)\] (.+?)(?=\s{2}\[\d+\] |$)/g)].map((m) => ({ label: m[2]!, handle: m[1]! }));
    }
    const part = lines.join('\n');
    const partFlag = flags.find((f) => f.startsWith('part '));
    const continues = partFlag !== undefined && !partFlag.startsWith('part 1/');
    const where = flags.find((f) => f.startsWith('in #'));
    const existing = byId.get(id);
    if (continues && existing) {
      existing.parts.push(part);
      existing.text = existing.parts.join('\n');
      if (buttons.length > 0) existing.buttons = buttons;
      return;
    }
    // "only you" before anyone switched with /as; "only NAME" after, and for direct messages to others.
    const only = flags.find((f) => f.startsWith('only '));
    const priv = only !== undefined;
    const msg: SeenMessage = {
      // "in #thread-3 “Mock interview: …”": the channel id is the first word.
      conversationId: `console:${workspace}:${where ? where.slice(4).split(' ')[0] : channel}`,
      visibility: priv ? 'private' : 'public',
      ...(priv ? { recipient: only === 'only you' ? person : only.slice(5) } : {}),
      parts: [part],
      text: part,
      buttons,
      messageId: id,
    };
    if (!existing) order.push(id);
    byId.set(id, msg);
    lines.forEach((l, k) => {
      const pic = /^Picture: (.+)$/.exec(l);
      if (!pic) return;
      const alt = /^\((.*)\)$/.exec(lines[k + 1] ?? '')?.[1];
      pictures.push({ messageId: id, conversationId: msg.conversationId, visibility: msg.visibility, path: pic[1]!, ...(alt !== undefined ? { alt } : {}) });
    });
  };

  for (const line of output.split('\n')) {
    const h = HEADER.exec(line);
    const f = FORM.exec(line);
    if (h || f) {
      flush();
      block = h
        ? { kind: 'message', id: h[1]!, flags: h[2] ? h[2].split(', ') : [], lines: [] }
        : { kind: 'form', title: f![2]!, lines: [] };
      continue;
    }
    if (block && (line === '' || line.startsWith('  '))) {
      block.lines.push(line.slice(2));
      continue;
    }
    flush();
    if (line.startsWith('! ')) notices.push(line.slice(2));
  }
  flush();
  return { messages: order.map((id) => byId.get(id)!), pictures, forms, notices };
}
