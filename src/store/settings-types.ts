import { z } from 'zod';

/**
 * Practice settings as stored: one JSON object per person (their choices) and
 * per workspace (its defaults, set by admins). Every key is optional: absent
 * means "not chosen here", and the next level decides (see core/settings.ts).
 * The store checks shape only (whole numbers, not negative); ranges and
 * defaults are rules, and live in the core.
 */
const count = z.number().int().nonnegative().optional().catch(undefined);

/** Each key is read on its own, so one corrupt value does not lose the others; a non-object reads as {}. */
export const practiceSettingsSchema = z
  .object({
    /** Most due reviews /ask serves per practice day. */
    reviewsPerDay: count,
    /** Most new questions (no review schedule yet) /ask serves per practice day. */
    newPerDay: count,
  })
  .catch({});

export type PracticeSettings = z.infer<typeof practiceSettingsSchema>;
export type SettingKey = keyof PracticeSettings;
export const SETTING_KEYS: readonly SettingKey[] = ['reviewsPerDay', 'newPerDay'];

/** A change: a number sets the key, null clears it (back to the next level's value). */
export type SettingsChange = { [K in SettingKey]?: number | null };

/** Stored JSON text → settings; never throws. */
export function parseStoredSettings(json: string | null | undefined): PracticeSettings {
  if (json === null || json === undefined) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return {};
  }
  return stripUndefined(practiceSettingsSchema.parse(raw));
}

/** Applies a change; keys set to null disappear. */
export function applySettingsChange(current: PracticeSettings, change: SettingsChange): PracticeSettings {
  const next: Record<string, number | undefined> = { ...current };
  for (const key of SETTING_KEYS) {
    if (!(key in change)) continue;
    const v = change[key];
    if (v === null || v === undefined) delete next[key];
    else next[key] = v;
  }
  return stripUndefined(next as PracticeSettings);
}

function stripUndefined(s: PracticeSettings): PracticeSettings {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as PracticeSettings;
}
