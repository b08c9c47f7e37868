import { eq, sql } from "drizzle-orm";
import { getDb } from "../../db/client";
import { apiTokens, auditEvents } from "../../db/schema";
import type { NewAuditRow } from "./types";

// Inference rows and token last-use times are written in batches off the hot path: one
// transaction per flush, scheduled shortly after the first pending write.
const FLUSH_DELAY_MS = 50;
const MAX_BATCH = 1000;
const TOKEN_USE_RESOLUTION_MS = 60_000;

let pendingRows: NewAuditRow[] = [];
const pendingTokenUse = new Map<number, number>();
const lastRecordedTokenUse = new Map<number, number>();
let timer: NodeJS.Timeout | null = null;

function schedule(): void {
  if (timer) return;
  timer = setTimeout(flushAudit, FLUSH_DELAY_MS);
  timer.unref();
}

export function enqueueAuditRow(row: NewAuditRow): void {
  pendingRows.push(row);
  if (pendingRows.length >= MAX_BATCH) flushAudit();
  else schedule();
}

/** Records that a token was used; written at most once a minute per token. */
export function noteTokenUse(tokenId: number, now: number): void {
  const last = lastRecordedTokenUse.get(tokenId) ?? 0;
  if (now - last < TOKEN_USE_RESOLUTION_MS) return;
  lastRecordedTokenUse.set(tokenId, now);
  pendingTokenUse.set(tokenId, now);
  schedule();
}

/** Writes everything pending. Called by the timer and on shutdown. */
export function flushAudit(): void {
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
  if (pendingRows.length === 0 && pendingTokenUse.size === 0) return;
  const rows = pendingRows;
  const tokenUse = [...pendingTokenUse];
  pendingRows = [];
  pendingTokenUse.clear();
  const db = getDb();
  db.transaction((tx) => {
    for (let start = 0; start < rows.length; start += 100) tx.insert(auditEvents).values(rows.slice(start, start + 100)).run();
    for (const [tokenId, usedAt] of tokenUse) {
      tx.update(apiTokens).set({ lastUsedAt: sql`max(coalesce(${apiTokens.lastUsedAt}, 0), ${usedAt})` }).where(eq(apiTokens.id, tokenId)).run();
    }
  });
}

export function pendingAuditRows(): number {
  return pendingRows.length;
}
