/**
 * Buttons and the answer modal as Discord component JSON, and the way back:
 * custom ids carry `${actionId}:${value}` so a click or a submit routes to the
 * core without any state in the adapter.
 */
import {
  ButtonStyle as DjsButtonStyle,
  ComponentType,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import type { Action, AnswerForm, ButtonStyle } from '../../chat/message.ts';
import { stripControlChars } from '../../chat/safety.ts';
import { DISCORD_LIMITS } from './types.ts';
import { escapeText } from './markdown.ts';

/** The text input's custom id inside every answer modal. */
export const ANSWER_INPUT_ID = 'answer';

const STYLE: Record<ButtonStyle, DjsButtonStyle> = {
  primary: DjsButtonStyle.Primary,
  secondary: DjsButtonStyle.Secondary,
  success: DjsButtonStyle.Success,
  danger: DjsButtonStyle.Danger,
};

/** Cut to `max` characters (code points), marking the cut with an ellipsis. */
export function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}

export function encodeCustomId(actionId: string, value: string): string {
  const id = `${actionId}:${value}`;
  if (actionId.includes(':') || actionId.length === 0) {
    throw new Error(`action id "${actionId}" must be non-empty and contain no ":"; rename the action`);
  }
  if ([...id].length > DISCORD_LIMITS.customId) {
    throw new Error(`custom id "${id}" is over Discord's ${DISCORD_LIMITS.customId} characters; shorten the action value`);
  }
  return id;
}

export function decodeCustomId(customId: string): { actionId: string; value: string } {
  const at = customId.indexOf(':');
  return at < 0 ? { actionId: customId, value: '' } : { actionId: customId.slice(0, at), value: customId.slice(at + 1) };
}

/** Buttons in rows of five; Discord allows five rows, so more than 25 actions is a core bug. */
export function actionRows(actions: readonly Action[] | undefined): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  if (!actions?.length) return [];
  const max = DISCORD_LIMITS.buttonsPerRow * DISCORD_LIMITS.rows;
  if (actions.length > max) throw new Error(`a message can carry at most ${max} buttons on Discord, got ${actions.length}`);
  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  for (let i = 0; i < actions.length; i += DISCORD_LIMITS.buttonsPerRow) {
    const buttons: APIButtonComponentWithCustomId[] = actions.slice(i, i + DISCORD_LIMITS.buttonsPerRow).map((a) => ({
      type: ComponentType.Button,
      style: STYLE[a.style ?? 'secondary'] as APIButtonComponentWithCustomId['style'],
      custom_id: encodeCustomId(a.id, a.value),
      // Button labels are plain text on Discord (no markdown, no pings), but keep them clean.
      label: clip(stripControlChars(a.label), DISCORD_LIMITS.buttonLabel),
    }));
    rows.push({ type: ComponentType.ActionRow, components: buttons });
  }
  return rows;
}

/**
 * The answer form as a modal: a Label (≤ 45 chars) wrapping a paragraph input.
 * A question too long for the label is shown in full above it as a text
 * display (up to 4000 chars), so nobody answers a question cut mid-sentence.
 */
export function answerModal(form: AnswerForm): APIModalInteractionResponseCallbackData {
  const label = stripControlChars(form.label).replace(/\s+/g, ' ').trim();
  const fits = [...label].length <= DISCORD_LIMITS.inputLabel && label.length > 0;
  const input = {
    type: ComponentType.TextInput as const,
    custom_id: ANSWER_INPUT_ID,
    style: TextInputStyle.Paragraph,
    required: true,
    min_length: 1,
    max_length: Math.max(1, Math.min(form.maxLength, DISCORD_LIMITS.textInputMax)),
    ...(form.placeholder ? { placeholder: clip(stripControlChars(form.placeholder), DISCORD_LIMITS.placeholder) } : {}),
  };
  const components: APIModalInteractionResponseCallbackData['components'] = [];
  if (!fits) {
    components.push({
      type: ComponentType.TextDisplay,
      content: clip(escapeText(form.label).trim() || 'Your answer', DISCORD_LIMITS.textDisplay),
    });
  }
  components.push({
    type: ComponentType.Label,
    label: fits ? label : 'Your answer',
    component: input,
  });
  return {
    custom_id: encodeCustomId(form.id, form.value),
    title: clip(stripControlChars(form.title).trim() || 'Answer', DISCORD_LIMITS.modalTitle),
    components,
  };
}
