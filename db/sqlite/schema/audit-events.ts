import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Append-only. `id` orders rows for keyset pagination; indexes match the console's filters.
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    ts: integer("ts").notNull(),
    event: text("event").notNull(),
    requestId: text("request_id"),
    llm: text("llm"),
    provider: text("provider"),
    model: text("model"),
    user: text("user"),
    tokenSha: text("token_sha"),
    streaming: integer("streaming", { mode: "boolean" }),
    status: integer("status"),
    durationMs: integer("duration_ms"),
    ttftMs: integer("ttft_ms"),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    totalTokens: integer("total_tokens"),
    /** Of the prompt tokens: read from and written to the provider's prompt cache. */
    cacheReadTokens: integer("cache_read_tokens"),
    cacheWriteTokens: integer("cache_write_tokens"),
    /** Of the completion tokens. */
    reasoningTokens: integer("reasoning_tokens"),
    /** USD; null when no price is known (never 0 for unknown). */
    costUsd: real("cost_usd"),
    /** `llm` (the Llm's pricing), `table` (the bundled price table) or `none`. */
    priceSource: text("price_source"),
    error: text("error"),
    clientIp: text("client_ip"),
    upstreamRequestId: text("upstream_request_id"),
    /** A call to a route: the target that answered (or the last one tried), and how many were tried. */
    servedBy: text("served_by"),
    attempts: integer("attempts"),
    /** Which API the client spoke: chat, messages, count_tokens, responses or embeddings. */
    api: text("api"),
    /** The client's session id (a coding agent's), when it sent one. */
    sessionId: text("session_id"),
    /** Management events: what was acted on, e.g. "llm claude" (never a value). */
    target: text("target"),
  },
  (table) => [
    // Covers the console's totals and chart over a time range without touching the table rows.
    index("audit_ts_cover_idx").on(
      table.ts,
      table.event,
      table.status,
      table.promptTokens,
      table.completionTokens,
      table.totalTokens,
      table.costUsd,
      table.error,
    ),
    index("audit_event_ts_idx").on(table.event, table.ts),
    index("audit_user_ts_idx").on(table.user, table.ts),
    index("audit_llm_ts_idx").on(table.llm, table.ts),
  ],
);
