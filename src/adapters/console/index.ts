import { randomUUID } from 'node:crypto';
/**
 * The console adapter behind `npm start`: one local person in one local channel.
 * Typed `/command …` lines become command events; buttons show as numbered
 * choices; an answer form reads lines until a lone "."; private replies are shown
 * (the console is one terminal) but marked "(only NAME)". `/as NAME` switches who
 * is typing, so one terminal can play both sides of a peer interview; threads
 * show as labelled conversations. Works line by line with piped stdin, so a
 * script can drive it, and resolves `done` at end of input. A message's picture
 * is written as a PNG file under `imageDir` and its path printed ("Picture: …").
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Action, AnswerForm, Message } from '../../chat/message.ts';
import { parseCommandText, tokenize } from '../../chat/parse-text.ts';
import {
  ConversationUnavailableError,
  conversationId as makeConversationId,
  parseConversationId,
  type Choice,
  type EventContext,
  type EventHandler,
  type InboundEvent,
  type MessageRef,
  type Responder,
} from '../../chat/port.ts';
import { stripControlChars } from '../../chat/safety.ts';
import { splitMarkdown } from '../../chat/split.ts';
import { paint, renderPlain } from './markdown.ts';
import type { ConsoleAdapter, ConsoleAdapterOptions } from './types.ts';

export type { ConsoleAdapter, ConsoleAdapterOptions } from './types.ts';

const MAX_CHOICES = 25;

/** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(output: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return (output as { isTTY?: boolean }).isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

interface OpenForm {
  form: AnswerForm;
  lines: string[];
}

export function createConsoleAdapter(opts: ConsoleAdapterOptions): ConsoleAdapter {
  const workspace = opts.workspace ?? 'local';
  const channel = opts.channel ?? 'main';
  const home = makeConversationId('console', workspace, channel);
  const inputIsTTY = (opts.input as { isTTY?: boolean }).isTTY === true;
  const echo = opts.echo ?? !inputIsTTY;
  const color = opts.color;
  const imageDir = resolve(opts.imageDir ?? join(tmpdir(), 'prepbot'));

  let handler: EventHandler | undefined;
  let rl: Interface | undefined;
  /** Who is typing now: `--person`, or whoever `/as NAME` switched to. */
  let person = opts.person;
  const threadNames = new Map<string, string>();
  let stopped = false;
  let running = false;
  let nextId = 1;
  let deliveries = 0;
  const session = randomUUID();
  let chain: Promise<void> = Promise.resolve();
  let form: OpenForm | undefined;
  /** Messages with buttons, newest last; `audience` = the one person who sees a private one. */
  let withButtons: { ref: MessageRef; actions: Action[]; audience?: string }[] = [];
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let ended = false;

  const write = (s: string): void => {
    opts.output.write(s);
  };
  // Notices quote what was typed (an unknown command, a bad value); like everything a
  // person typed, it must not reach the terminal with its escape sequences.
  const notice = (s: string): void => write(`${paint(`! ${stripControlChars(s)}`, 'bold', color)}\n`);

  /** Writes a message's picture to a file a person can open; the path goes on screen. */
  const savePicture = (id: string, image: NonNullable<Message['image']>): string | undefined => {
    const safe = image.name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'picture.png';
    const file = join(imageDir, `${session.slice(0, 8)}-${id}-${safe}`);
    try {
      mkdirSync(imageDir, { recursive: true });
      writeFileSync(file, image.png);
      return file;
    } catch (err) {
      // The text already says what the picture shows; tell why it is missing and go on.
      notice(`Could not save the picture to ${imageDir} (${err instanceof Error ? err.message : String(err)}); the text above has the same numbers.`);
      return undefined;
    }
  };

  const show = (id: string, message: Message, flags: string[], conv: string): void => {
    if (conv !== home) {
      const thread = threadNames.get(conv);
      const where = `in #${parseConversationId(conv).channel}`;
      flags = [...flags, thread === undefined ? where : `${where} “${stripControlChars(thread)}”`];
    }
    let text = renderPlain(message.body, { color });
    if (message.spoiler) text += `\n\n${paint('(spoiler)', 'dim', color)}\n${renderPlain(message.spoiler, { color })}`;
    const picture = message.image ? savePicture(id, message.image) : undefined;
    if (picture !== undefined) text += `\n\n${paint(`Picture: ${picture}`, 'bold', color)}\n${paint(`(${stripControlChars(message.image!.alt)})`, 'dim', color)}`;
    const parts = opts.limit !== undefined && text.length > opts.limit ? splitMarkdown(text, opts.limit) : [text];
    parts.forEach((part, k) => {
      const f = parts.length > 1 ? [...flags, `part ${k + 1}/${parts.length}`] : flags;
      const header = `prepbot #${id}${f.length > 0 ? ` (${f.join(', ')})` : ''}:`;
      const body = part
        .split('\n')
        .map((l) => (l === '' ? '' : `  ${l}`))
        .join('\n');
      let out = `${paint(header, 'cyan', color)}\n${body}\n`;
      if (k === parts.length - 1 && message.actions && message.actions.length > 0) {
        const choices = message.actions.map((a, n) => `[${n + 1}] ${a.label}`).join('  ');
        out += `  ${paint(`Choose: ${choices}`, 'bold', color)}\n`;
      }
      write(`${out}\n`);
    });
  };

  const trackButtons = (ref: MessageRef, message: Message, audience: string | undefined): void => {
    const old = withButtons.find((b) => b.ref.messageId === ref.messageId);
    withButtons = withButtons.filter((b) => b.ref.messageId !== ref.messageId);
    const who = old ? old.audience : audience;
    if (message.actions && message.actions.length > 0) withButtons.push({ ref, actions: message.actions, ...(who !== undefined ? { audience: who } : {}) });
    // Only the newest few can be meant by a typed number; older ones are out of date anyway.
    if (withButtons.length > 20) withButtons.shift();
  };

  /** The buttons a typed number presses: those of the newest message the person typing can see. */
  const activeButtons = () => [...withButtons].reverse().find((b) => b.audience === undefined || b.audience === person);

  const deliver = (conv: string, message: Message, flags: string[], audience?: string): MessageRef => {
    const ref = { conversationId: conv, messageId: String(nextId++) };
    show(ref.messageId, message, flags, conv);
    trackButtons(ref, message, audience);
    return ref;
  };

  const edit = (ref: MessageRef, message: Message): void => {
    show(ref.messageId, message, ['edited'], ref.conversationId);
    trackButtons(ref, message, undefined);
  };

  // With one person the console says "only you"; once `/as` is used it names who can see it.
  let switched = false;
  const onlyFor = (name: string): string => (switched ? `only ${stripControlChars(name)}` : 'only you');

  const ctx = (): EventContext => ({
    platform: 'console',
    workspaceId: workspace,
    conversationId: home,
    // A terminal is one person, but it stands in for a team channel so private replies stay marked.
    isDirect: false,
    actor: { platform: 'console', id: `console:${workspace}:${person}`, displayName: person },
    actorIsAdmin: opts.admin ?? true,
    // Unique across runs: the core remembers delivery ids to drop replays, and a
    // second `npm start` on the same database must not look like a replay.
    deliveryId: `console-${session}-${++deliveries}`,
  });

  const dispatch = async (event: InboundEvent): Promise<Choice[]> => {
    const h = handler;
    if (!h || stopped) return [];
    let responded = false;
    let choices: Choice[] = [];
    const respond: Responder = {
      async reply(message, visibility) {
        responded = true;
        deliver(home, message, visibility === 'private' ? [onlyFor(person)] : [], visibility === 'private' ? person : undefined);
      },
      showsImages: true,
    };
    if (event.kind === 'command' || event.kind === 'button') {
      respond.openForm = async (f) => {
        // Same rule as Discord modals: a form is the first and only response to an event.
        if (responded) throw new Error('openForm must be the first and only response to the event');
        responded = true;
        form = { form: f, lines: [] };
        const id = String(nextId++);
        const lines = [
          paint(`prepbot form #${id} (${onlyFor(person)}): ${f.title}`, 'cyan', color),
          ...renderPlain({ type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', value: f.label }] }] }, { color })
            .split('\n')
            .map((l) => `  ${l}`),
          `  ${paint('Type your answer, then a line with only "." to send it (end of input also sends it).', 'dim', color)}`,
        ];
        write(`${lines.join('\n')}\n\n`);
      };
    }
    if (event.kind === 'button' && event.message) {
      const source = event.message;
      respond.updateSource = async (message) => {
        responded = true;
        edit(source, message);
      };
    }
    if (event.kind === 'autocomplete') {
      respond.suggest = async (c) => {
        choices = c.slice(0, MAX_CHOICES);
      };
    }
    try {
      await h(event, respond);
    } catch (err) {
      opts.onError?.(err, event);
      // One failing handler must not end the session; the person can try again.
      notice(`Something went wrong handling that (${err instanceof Error ? err.message : String(err)}). Try again, or /help.`);
    }
    return choices;
  };

  const submitForm = async (atEnd: boolean): Promise<void> => {
    const f = form;
    if (!f) return;
    const text = f.lines.join('\n');
    if (text.length > f.form.maxLength) {
      f.lines = [];
      if (atEnd) {
        form = undefined;
        notice(`Your answer has ${text.length} characters; at most ${f.form.maxLength} fit, so it was not sent.`);
      } else {
        notice(`Your answer has ${text.length} characters; at most ${f.form.maxLength} fit. Type a shorter answer, then a line with only ".".`);
      }
      return;
    }
    form = undefined;
    await dispatch({ kind: 'form', ctx: ctx(), formId: f.form.id, value: f.form.value, text });
  };

  const pressable = (typed: string): { action: Action; ref: MessageRef } | undefined => {
    const active = activeButtons();
    if (!active) return undefined;
    const n = /^\d+$/.test(typed) ? Number(typed) : NaN;
    const action =
      Number.isInteger(n) && n >= 1 ? active.actions[n - 1] : active.actions.find((a) => a.label.toLowerCase() === typed.toLowerCase());
    return action ? { action, ref: active.ref } : undefined;
  };

  const handleLine = async (raw: string): Promise<void> => {
    if (stopped) return;
    const line = raw.replace(/\r$/, '');
    // Piped input is echoed so a transcript reads like a session; a pasted escape sequence must not run.
    if (echo) write(`> ${stripControlChars(line)}\n`);
    if (form) {
      if (line.trim() === '.') await submitForm(false);
      else form.lines.push(line);
      return;
    }
    const typed = line.trim();
    if (typed === '') return;
    const as = /^\/as(?:\s+(\S*))?\s*$/i.exec(typed);
    if (as) {
      const name = as[1] ?? '';
      if (!/^[A-Za-z0-9._-]{1,32}$/.test(name)) return notice('Usage: /as NAME (letters, digits, . _ -), e.g. /as bob: who types from now on.');
      person = name;
      switched = true;
      return notice(`You are now ${name}.`);
    }
    if (typed.startsWith('/')) {
      const parsed = parseCommandText(opts.commands, typed);
      if (!parsed.ok) return notice(parsed.error);
      await dispatch({ kind: 'command', ctx: ctx(), command: parsed.command, options: parsed.options });
      return;
    }
    const hit = pressable(typed);
    if (hit) {
      await dispatch({ kind: 'button', ctx: ctx(), actionId: hit.action.id, value: hit.action.value, message: hit.ref });
      return;
    }
    const active = activeButtons();
    if (active) notice(`Type a number from 1 to ${active.actions.length} to choose, or a command such as /help.`);
    else notice('Commands start with /, for example /ask. Try /help.');
  };

  const finish = (): void => {
    if (ended) return;
    ended = true;
    running = false;
    resolveDone();
    opts.onEnd?.();
  };

  const complete = async (line: string): Promise<Choice[]> => {
    const m = /^\/(\S+)\s+([\s\S]*)$/.exec(line);
    if (!m || !handler) return [];
    const spec = opts.commands.find((s) => s.name === m[1]!.toLowerCase());
    if (!spec) return [];
    let rest = m[2]!;
    let optionSpecs = spec.options;
    if (spec.subcommands && spec.subcommands.length > 0) {
      const sm = /^(\S+)\s+([\s\S]*)$/.exec(rest);
      const sub = sm && spec.subcommands.find((s) => s.name === sm[1]!.toLowerCase());
      if (!sm || !sub) return [];
      optionSpecs = sub.options;
      rest = sm[2]!;
    }
    const tokens = tokenize(rest);
    const last = /\s$/.test(rest) || tokens.length === 0 ? { value: '', colon: -1 } : tokens[tokens.length - 1]!;
    let option = optionSpecs.find((o) => o.autocomplete);
    let partial = last.value;
    if (last.colon > 0) {
      const named = optionSpecs.find((o) => o.name === last.value.slice(0, last.colon).toLowerCase());
      if (named) {
        option = named;
        partial = last.value.slice(last.colon + 1);
      }
    }
    if (!option?.autocomplete) return [];
    return dispatch({ kind: 'autocomplete', ctx: ctx(), command: spec.name, option: option.name, partial });
  };

  const adapter: ConsoleAdapter = {
    platform: 'console',
    conversationId: home,
    done,
    get running() {
      return running;
    },
    async start(h) {
      if (running || stopped) throw new Error('console adapter: start() may be called once');
      handler = h;
      running = true;
      rl = createInterface({
        input: opts.input,
        ...(inputIsTTY
          ? {
              output: opts.output,
              terminal: true,
              completer: (line: string, cb: (err: null, result: [string[], string]) => void) => {
                const partial = /(\S*)$/.exec(line)?.[1] ?? '';
                const keep = line.slice(0, line.length - partial.replace(/^[^:]*:/, '').length);
                complete(line).then(
                  (c) => cb(null, [c.map((x) => keep + x.value), line]),
                  () => cb(null, [[], line]),
                );
              },
            }
          : { terminal: false }),
      });
      if (inputIsTTY) {
        write(`prepbot console: you are ${stripControlChars(opts.person)} in #${channel}. Type /help to begin; Ctrl-D quits.\n`);
        rl.setPrompt('> ');
        rl.prompt();
      }
      rl.on('line', (l) => {
        chain = chain.then(() => handleLine(l)).then(() => {
          if (inputIsTTY && !stopped) rl?.prompt();
        });
      });
      rl.on('close', () => {
        chain = chain.then(async () => {
          if (!stopped && form) await submitForm(true);
          finish();
        });
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (rl) rl.close();
      else finish();
    },
    async post(conversationId, message) {
      const { platform } = parseConversationId(conversationId);
      if (platform !== 'console') throw new ConversationUnavailableError(conversationId, 'the console posts only to console conversations');
      return deliver(conversationId, message, []);
    },
    async update(ref, message) {
      edit(ref, message);
    },
    async startThread(ref, name) {
      const thread = makeConversationId('console', workspace, `thread-${ref.messageId}`);
      threadNames.set(thread, name);
      return thread;
    },
    async postDirect(accountId, message) {
      // Everyone on the console sits at this terminal; a direct message shows here, marked.
      const prefix = `console:${workspace}:`;
      if (!accountId.startsWith(prefix)) throw new ConversationUnavailableError(accountId, 'the console only reaches console accounts');
      const to = accountId.slice(prefix.length);
      return deliver(home, message, [to === person && !switched ? 'only you' : `only ${stripControlChars(to)}`, 'direct'], to);
    },
    complete,
  };
  return adapter;
}
