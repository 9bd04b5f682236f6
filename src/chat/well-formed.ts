/**
 * Text that cannot be stored as it arrived: a lone UTF-16 surrogate (a JSON payload may carry
 * `"\ud800"`) has no UTF-8 form, so SQLite would keep three U+FFFD where one character was sent,
 * and the stored answer would not be what arrived. Each lone surrogate becomes one U+FFFD at the
 * edge, as `String.prototype.toWellFormed` does; every other character is kept as sent.
 */
import type { InboundEvent, OptionValue } from './port.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\uFFFD');
}

const opt = (v: OptionValue): OptionValue => (typeof v === 'string' ? wellFormed(v) : v);

/** The event with every string a person or a payload supplied made well-formed. */
export function wellFormedEvent(event: InboundEvent): InboundEvent {
  const ctx = { ...event.ctx, actor: { ...event.ctx.actor, displayName: wellFormed(event.ctx.actor.displayName) } };
  switch (event.kind) {
    case 'command':
      return { ...event, ctx, options: Object.fromEntries(Object.entries(event.options).map(([k, v]) => [k, opt(v)])) };
    case 'button':
      return { ...event, ctx, value: wellFormed(event.value) };
    case 'form':
      return { ...event, ctx, value: wellFormed(event.value), text: wellFormed(event.text) };
    case 'autocomplete':
      return { ...event, ctx, partial: wellFormed(event.partial) };
  }
}
