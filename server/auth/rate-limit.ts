import { getConfig } from "../config";

const WINDOW_MS = 15 * 60 * 1000;

// Failed logins per user name and per client IP, in memory (a restart forgets them, which only
// ever favours a legitimate user).
const failures = new Map<string, number[]>();

function recent(key: string, now: number): number[] {
  const kept = (failures.get(key) ?? []).filter((at) => now - at < WINDOW_MS);
  if (kept.length === 0) failures.delete(key);
  else failures.set(key, kept);
  return kept;
}

export function loginKeys(userName: string, clientIp: string | null): string[] {
  return [`user:${userName}`, ...(clientIp ? [`ip:${clientIp}`] : [])];
}

/** Seconds until a login under `keys` may be tried again; 0 when it may be tried now. */
export function loginRetryAfterSeconds(keys: string[], now = Date.now()): number {
  const limit = getConfig().loginMaxFailures;
  let wait = 0;
  for (const key of keys) {
    const failed = recent(key, now);
    // Allowed again once enough failures have left the window for fewer than `limit` to remain.
    if (failed.length >= limit) wait = Math.max(wait, failed[failed.length - limit]! + WINDOW_MS - now);
  }
  return Math.ceil(wait / 1000);
}

export function noteLoginFailure(keys: string[], now = Date.now()): void {
  for (const key of keys) failures.set(key, [...recent(key, now), now]);
}

export function clearLoginFailures(userName: string): void {
  failures.delete(`user:${userName}`);
}
