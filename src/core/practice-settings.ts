import type { PersonRef } from '../store/practice-types.ts';
import type { PracticeSettings, SettingKey } from '../store/settings-types.ts';
import type { DailyCaps } from './load.ts';
import type { BotServices } from './module.ts';

/**
 * Built-in daily caps. Anki's are 20 new and 200 reviews for cards that take
 * seconds; an interview question takes minutes to answer in full, so both are
 * divided by four: 5 new questions (about 15-25 minutes of new material) and
 * 50 reviews. Simulated with this bot's FSRS set-up (5 new a day, rated 70%
 * Good, 20% Hard, 10% Again), that comes to 12-20 reviews a day in the second
 * month and 20-30 by the fourth: the review cap stays out of the way on
 * ordinary days and bites after a break, where it spreads the backlog
 * (docs/practice.md, "Review load"). Anki's manual advises a review limit of
 * at least ten times the new one, as here.
 */
export const BUILT_IN_SETTINGS: Required<PracticeSettings> = { reviewsPerDay: 50, newPerDay: 5 };

/** What /settings accepts. The upper ends catch typos (5000 for 50), not ambition. */
export const SETTING_BOUNDS: Record<SettingKey, { min: number; max: number }> = {
  reviewsPerDay: { min: 0, max: 500 },
  newPerDay: { min: 0, max: 100 },
};

export type SettingSource = 'yours' | 'workspace default' | 'built-in default';

export type EffectiveSettings = Record<SettingKey, { value: number; from: SettingSource }>;

const clamp = (key: SettingKey, v: number) => Math.min(SETTING_BOUNDS[key].max, Math.max(SETTING_BOUNDS[key].min, v));

/**
 * A person's own choice wins, else the workspace default, else the built-in
 * one (as for /daystart). Values stored before a bound tightened are clamped.
 * Without `own`: what the workspace defaults come to.
 */
export function resolveSettings(own: PracticeSettings | undefined, workspace: PracticeSettings): EffectiveSettings {
  const pick = (key: SettingKey) => {
    const mine = own?.[key];
    if (mine !== undefined) return { value: clamp(key, mine), from: 'yours' as const };
    const theirs = workspace[key];
    if (theirs !== undefined) return { value: clamp(key, theirs), from: 'workspace default' as const };
    return { value: BUILT_IN_SETTINGS[key], from: 'built-in default' as const };
  };
  return { reviewsPerDay: pick('reviewsPerDay'), newPerDay: pick('newPerDay') };
}

export function capsOf(settings: EffectiveSettings): DailyCaps {
  return { reviewsPerDay: settings.reviewsPerDay.value, newPerDay: settings.newPerDay.value };
}

/** The settings in force for a person in the workspace they are writing from. */
export async function settingsFor(s: BotServices, person: Pick<PersonRef, 'personId'>, workspaceKey: string): Promise<EffectiveSettings> {
  const { own, workspace } = await s.practice.practiceSettings(person.personId, workspaceKey);
  return resolveSettings(own, workspace);
}
