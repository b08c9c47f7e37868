import type { LimitWindow } from "./schemas";

const LENGTH_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/** A window's bounds in epoch ms (UTC calendar); `concurrent` limits have one everlasting window. */
export interface WindowBounds {
  start: number;
  end: number | null;
}

export function windowAt(window: LimitWindow | null, now: number): WindowBounds {
  if (window === null) return { start: 0, end: null };
  if (window === "month") {
    const date = new Date(now);
    return { start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1), end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) };
  }
  const length = LENGTH_MS[window];
  const start = now - (now % length);
  return { start, end: start + length };
}

/** `1h2m3s`, `45s`, `250ms`: how OpenAI writes a reset time in `x-ratelimit-reset-*`. */
export function resetDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  let seconds = Math.ceil(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** One counter's name: a limit, the subject it counts (a user's id for a default limit, else ''), a window. */
export function counterKey(limitId: number, subject: string, windowStart: number): string {
  return `${limitId}|${subject}|${windowStart}`;
}
