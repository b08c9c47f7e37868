import type Database from "better-sqlite3";
import { getDb } from "../../db/client";
import { log } from "../ops/log";
import type { NewAuditRow } from "./types";

// Inference rows and token last-use times are written in batches off the hot path: one
// transaction per flush, scheduled shortly after the first pending write. Plain prepared
// statements, because this runs for every call.
const FLUSH_DELAY_MS = 50;
const MAX_BATCH = 1000;
const TOKEN_USE_RESOLUTION_MS = 60_000;

const COLUMNS = [
  ["ts", "ts"],
  ["event", "event"],
  ["request_id", "requestId"],
  ["llm", "llm"],
  ["provider", "provider"],
  ["model", "model"],
  ["user", "user"],
  ["token_sha", "tokenSha"],
  ["streaming", "streaming"],
  ["status", "status"],
  ["duration_ms", "durationMs"],
  ["ttft_ms", "ttftMs"],
  ["prompt_tokens", "promptTokens"],
  ["completion_tokens", "completionTokens"],
  ["total_tokens", "totalTokens"],
  ["error", "error"],
  ["client_ip", "clientIp"],
  ["upstream_request_id", "upstreamRequestId"],
  ["target", "target"],
] as const satisfies ReadonlyArray<readonly [string, keyof NewAuditRow]>;

interface Statements {
  connection: Database.Database;
  insert: Database.Statement;
  touchToken: Database.Statement;
  flush: (rows: NewAuditRow[], tokenUse: Array<[number, number]>) => void;
}

let pendingRows: NewAuditRow[] = [];
const pendingTokenUse = new Map<number, number>();
const lastRecordedTokenUse = new Map<number, number>();
let timer: NodeJS.Timeout | null = null;
let statements: Statements | null = null;

function prepared(): Statements {
  const connection = getDb().$client;
  if (statements?.connection === connection) return statements;
  const insert = connection.prepare(
    `INSERT INTO audit_events (${COLUMNS.map(([column]) => `"${column}"`).join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`,
  );
  const touchToken = connection.prepare("UPDATE api_tokens SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?");
  const flush = connection.transaction((rows: NewAuditRow[], tokenUse: Array<[number, number]>) => {
    for (const row of rows) insert.run(COLUMNS.map(([, field]) => toSqlite(row[field])));
    for (const [tokenId, usedAt] of tokenUse) touchToken.run(usedAt, tokenId);
  });
  // Takes the write lock up front, like configuration changes (see runConfigChange).
  statements = { connection, insert, touchToken, flush: flush.immediate };
  return statements;
}

function toSqlite(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

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

/** Writes everything pending. Called by the timer and on shutdown; a failed write is retried. */
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
  try {
    prepared().flush(rows, tokenUse);
  } catch (error) {
    // e.g. another process held the lock past the busy timeout: keep the rows for the next try.
    pendingRows = rows.concat(pendingRows);
    for (const [tokenId, usedAt] of tokenUse) if (!pendingTokenUse.has(tokenId)) pendingTokenUse.set(tokenId, usedAt);
    log.error({ msg: "audit write failed; retrying", rows: rows.length, error: error instanceof Error ? error.message : String(error) });
    schedule();
  }
}

// `next start` ends the process on SIGTERM without the lean server's shutdown: write what is pending on the way out.
process.on("exit", flushAudit);

export function pendingAuditRows(): number {
  return pendingRows.length;
}
