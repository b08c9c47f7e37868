import { getConfig } from "../config";

const WINDOW_MS = 15 * 60 * 1000;
// Names and addresses come from callers: past this many keys the oldest are forgotten.
const MAX_KEYS = 100_000;
const SLOWDOWN_STEP_MS = 500;
const MAX_SLOWDOWN_MS = 5_000;

// Failed logins in memory (a restart forgets them, which only ever favours a legitimate user).
// Per (user, address) and per address they lock out; per user across addresses they only slow
// down, so failures from addresses an attacker rotates through never lock the real user out.
const failures = new Map<string, number[]>();

function recent(key: string, now: number): number[] {
  const kept = (failures.get(key) ?? []).filter((at) => now - at < WINDOW_MS);
  if (kept.length === 0) failures.delete(key);
  else failures.set(key, kept);
  return kept;
}

export interface LoginKeys {
  /** Keys whose failures lock out (429). */
  locking: string[];
  /** The user's failures from every address: they slow logins down. */
  user: string;
}

export function loginKeys(userName: string, clientIp: string | null): LoginKeys {
  const address = clientIp ?? "unknown";
  return { locking: [`user-ip:${userName}\u0000${address}`, `ip:${address}`], user: `user:${userName}` };
}

/** Seconds until a login under `keys` may be tried again; 0 when it may be tried now. */
export function loginRetryAfterSeconds(keys: LoginKeys, now = Date.now()): number {
  const limit = getConfig().loginMaxFailures;
  let wait = 0;
  for (const key of keys.locking) {
    const failed = recent(key, now);
    // Allowed again once enough failures have left the window for fewer than `limit` to remain.
    if (failed.length >= limit) wait = Math.max(wait, failed[failed.length - limit]! + WINDOW_MS - now);
  }
  return Math.ceil(wait / 1000);
}

/** How long to hold this attempt before checking the password: grows with the user's failures past the limit. */
export function loginSlowdownMs(keys: LoginKeys, now = Date.now()): number {
  const over = recent(keys.user, now).length - getConfig().loginMaxFailures;
  return over < 0 ? 0 : Math.min(MAX_SLOWDOWN_MS, (over + 1) * SLOWDOWN_STEP_MS);
}

export function noteLoginFailure(keys: LoginKeys, now = Date.now()): void {
  for (const key of [...keys.locking, keys.user]) {
    const kept = recent(key, now);
    failures.delete(key);
    failures.set(key, [...kept, now]);
  }
  for (const key of failures.keys()) {
    if (failures.size <= MAX_KEYS) break;
    failures.delete(key);
  }
}

/** A successful login clears what its own user and address had counted. */
export function clearLoginFailures(keys: LoginKeys): void {
  failures.delete(keys.locking[0]!);
  failures.delete(keys.user);
}
