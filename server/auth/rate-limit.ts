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

export function isLoginLimited(keys: string[], now = Date.now()): boolean {
  const limit = getConfig().loginMaxFailures;
  return keys.some((key) => recent(key, now).length >= limit);
}

export function noteLoginFailure(keys: string[], now = Date.now()): void {
  for (const key of keys) failures.set(key, [...recent(key, now), now]);
}

export function clearLoginFailures(userName: string): void {
  failures.delete(`user:${userName}`);
}
