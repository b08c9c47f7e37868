import type { Store } from "../../db/store";
import { auditWriter, beforeFinalFlush } from "../audit/writer";
import { INFERENCE_EVENT } from "../audit/types";
import { getConfig } from "../config";

// Unauthenticated calls cost an attacker nothing, so each address gets a few full rows a minute,
// then one row saying how many more came. Tracked addresses are bounded; past that they share a bucket.
const INTERVAL_MS = 60_000;
const MAX_TRACKED = 10_000;
const OVERFLOW = "\u0000overflow";

interface Window {
  since: number;
  written: number;
  more: number;
}

const windows = new Map<string, Window>();
// Summaries go to the database the calls came for (one per process outside tests).
let summaryStore: Store | null = null;
let timer: NodeJS.Timeout | null = null;

/** True when this 401 should be written as a row of its own; otherwise it is counted for the summary. */
export function noteUnauthenticated(store: Store, clientIp: string | null, now: number): boolean {
  summaryStore = store;
  let key = clientIp ?? "";
  if (!windows.has(key) && windows.size >= MAX_TRACKED) key = OVERFLOW;
  let window = windows.get(key);
  if (!window) {
    window = { since: now, written: 0, more: 0 };
    windows.set(key, window);
    timer ??= setInterval(() => summarise(Date.now()), INTERVAL_MS).unref();
  }
  if (key !== OVERFLOW && window.written < getConfig().auditUnauthenticatedPerMinute) {
    window.written += 1;
    return true;
  }
  window.more += 1;
  return false;
}

/** One row per address that had more 401s than its full rows; quiet addresses are forgotten. */
function summarise(now: number): void {
  for (const [key, window] of windows) {
    if (window.more > 0) {
      auditWriter(summaryStore!).enqueue({
        ts: now,
        event: INFERENCE_EVENT,
        status: 401,
        streaming: false,
        clientIp: key === OVERFLOW || key === "" ? null : key,
        error: `${window.more} more unauthenticated calls from ${key === OVERFLOW ? "other addresses" : "this address"} since ${new Date(window.since).toISOString()}`,
      });
      windows.set(key, { since: now, written: 0, more: 0 });
    } else if (now - window.since >= INTERVAL_MS) windows.delete(key);
  }
  if (windows.size === 0 && timer) {
    clearInterval(timer);
    timer = null;
  }
}

/** Writes the summaries counted so far (at shutdown: counted calls are not lost on the way out). */
function summariseUnauthenticated(): void {
  summarise(Date.now());
}

beforeFinalFlush(summariseUnauthenticated);
