import type { Root } from 'mdast';

/**
 * A platform-neutral message: an mdast tree (the same format notes parse into)
 * plus interactive actions. Each adapter renders it for its platform.
 */
export interface Message {
  body: Root;
  actions?: Action[];
  /** Content that must stay hidden until clicked where the platform can (Discord ||spoilers||); else shown collapsed/plain. */
  spoiler?: Root;
  /**
   * A picture that goes with the text (a chart). Optional to show: adapters that
   * can (Responder.showsImages) attach or upload it; the others show only `body`,
   * so the body must say on its own what the picture shows.
   */
  image?: MessageImage;
}

/** A PNG attached to a message. */
export interface MessageImage {
  /** File name with its extension, e.g. "stats.png"; shown by some platforms. */
  name: string;
  png: Uint8Array;
  /** What the picture shows, for screen readers and where it is not loaded. */
  alt: string;
}

export type ButtonStyle = 'primary' | 'secondary' | 'success' | 'danger';

/**
 * A button. `id` names the action (e.g. "answer", "rate"), `value` carries its data
 * (e.g. an attempt id). Adapters encode both into the platform's custom id / action id.
 */
export interface Action {
  kind: 'button';
  id: string;
  label: string;
  value: string;
  style?: ButtonStyle;
}

/** A form with one multi-line answer field (Discord modal, Slack modal, console multi-line prompt). */
export interface AnswerForm {
  /** Names the form for routing on submit, e.g. "answer". */
  id: string;
  /** Opaque data returned with the submission (e.g. attempt id). */
  value: string;
  /** Title; platforms cut it (Discord 45, Slack 24 chars), so keep it short. */
  title: string;
  /** The question, shown as the field label (platforms cut long labels). */
  label: string;
  placeholder?: string;
  /** Max answer length accepted; Discord allows up to 4000 in a text input. */
  maxLength: number;
}
