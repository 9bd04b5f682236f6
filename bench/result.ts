/**
 * The machine-readable line every benchmark prints last, one per figure:
 * `RESULT <name> <value> goal <goal> ok|miss`. Lower is better for every figure
 * here (ratios, milliseconds, megabytes), so ok means value ≤ goal
 * (or value < goal when `strict`, for goals stated as "under").
 */
export function resultLine(name: string, value: number, goal: number, opts: { strict?: boolean; digits?: number } = {}): string {
  const ok = opts.strict ? value < goal : value <= goal;
  const digits = opts.digits ?? (Math.abs(value) >= 100 ? 1 : 3);
  return `RESULT ${name} ${value.toFixed(digits)} goal ${goal} ${ok ? 'ok' : 'miss'}`;
}

/** Nearest-rank percentile of already collected samples (sorted in place). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  samples.sort((a, b) => a - b);
  const rank = Math.min(samples.length - 1, Math.max(0, Math.ceil((p / 100) * samples.length) - 1));
  return samples[rank]!;
}
