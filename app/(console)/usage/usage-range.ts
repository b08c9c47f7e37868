/** The server counts days in UTC, as whole multiples of this. */
export const DAY_MS = 86_400_000;

export const USAGE_RANGES = ["7d", "30d", "90d"] as const;
export type UsageRange = (typeof USAGE_RANGES)[number];

/** The page opens on the last week. */
export const DEFAULT_USAGE_RANGE: UsageRange = "7d";

export function usageRange(value: string | null | undefined): UsageRange {
  return USAGE_RANGES.includes(value as UsageRange) ? (value as UsageRange) : DEFAULT_USAGE_RANGE;
}

/** Whole UTC days: the last `range` of them, today included, up to `now`. */
export function usageFilter(range: UsageRange, now: number): { from: number; to: number } {
  const days = Number.parseInt(range, 10);
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return { from: today - (days - 1) * DAY_MS, to: now + 1 };
}
