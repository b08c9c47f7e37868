import { bigint, boolean, doublePrecision, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { PROVIDERS } from "../../server/llms/providers";

// The same tables, columns and indexes as db/sqlite/schema (a test compares them), so domain code
// typed against the SQLite declarations reads the same row shapes here. Times are epoch
// milliseconds in both engines; `bigint` in number mode keeps them JavaScript numbers.
const epochMs = (name: string) => bigint(name, { mode: "number" });

export const users = pgTable("users", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull().unique(),
  displayName: text("display_name"),
  passwordHash: text("password_hash").notNull(),
  disabled: boolean("disabled").notNull().default(false),
  createdAt: epochMs("created_at").notNull(),
  updatedAt: epochMs("updated_at").notNull(),
});

export const sessions = pgTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: epochMs("created_at").notNull(),
    lastSeenAt: epochMs("last_seen_at").notNull(),
    expiresAt: epochMs("expires_at").notNull(),
  },
  (table) => [index("sessions_user_idx").on(table.userId)],
);

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    sha256: text("sha256").notNull().unique(),
    prefix: text("prefix").notNull(),
    expiresAt: epochMs("expires_at"),
    lastUsedAt: epochMs("last_used_at"),
    revokedAt: epochMs("revoked_at"),
    scopes: text("scopes"),
    parentTokenId: integer("parent_token_id"),
    createdAt: epochMs("created_at").notNull(),
  },
  (table) => [index("api_tokens_user_idx").on(table.userId), index("api_tokens_prefix_idx").on(table.prefix)],
);

export const secrets = pgTable("secrets", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull().unique(),
  backend: text("backend", { enum: ["local", "env", "openbao"] }).notNull(),
  description: text("description"),
  openbaoMount: text("openbao_mount"),
  openbaoPath: text("openbao_path"),
  allowedOrigins: text("allowed_origins"),
  createdAt: epochMs("created_at").notNull(),
  updatedAt: epochMs("updated_at").notNull(),
});

export const secretKeys = pgTable(
  "secret_keys",
  {
    secretId: integer("secret_id")
      .notNull()
      .references(() => secrets.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    ciphertext: text("ciphertext"),
    masterKeyId: text("master_key_id"),
    envVar: text("env_var"),
    updatedAt: epochMs("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.secretId, table.key] })],
);

export const llms = pgTable("llms", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  name: text("name").notNull().unique(),
  provider: text("provider", { enum: PROVIDERS }).notNull(),
  model: text("model").notNull(),
  url: text("url"),
  apiKeySecret: text("api_key_secret").references(() => secrets.name, { onDelete: "restrict" }),
  apiKeyKey: text("api_key_key"),
  description: text("description"),
  defaults: text("defaults"),
  timeoutMs: integer("timeout_ms"),
  streamUsage: boolean("stream_usage").notNull().default(true),
  geminiPath: text("gemini_path"),
  maxConcurrency: integer("max_concurrency"),
  capabilities: text("capabilities"),
  pricing: text("pricing"),
  routing: text("routing"),
  createdAt: epochMs("created_at").notNull(),
  updatedAt: epochMs("updated_at").notNull(),
});

export const roleBindings = pgTable(
  "role_bindings",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["view", "edit", "run", "admin"] }).notNull(),
    resource: text("resource").notNull(),
    name: text("name"),
    createdAt: epochMs("created_at").notNull(),
  },
  (table) => [index("role_bindings_user_idx").on(table.userId)],
);

// Range-partitioned by month on `ts` (see the migration), so retention drops whole partitions;
// the primary key therefore includes `ts`.
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).generatedByDefaultAsIdentity(),
    ts: epochMs("ts").notNull(),
    event: text("event").notNull(),
    requestId: text("request_id"),
    llm: text("llm"),
    provider: text("provider"),
    model: text("model"),
    user: text("user"),
    tokenSha: text("token_sha"),
    streaming: boolean("streaming"),
    status: integer("status"),
    durationMs: integer("duration_ms"),
    ttftMs: integer("ttft_ms"),
    promptTokens: integer("prompt_tokens"),
    completionTokens: integer("completion_tokens"),
    totalTokens: integer("total_tokens"),
    cacheReadTokens: integer("cache_read_tokens"),
    cacheWriteTokens: integer("cache_write_tokens"),
    reasoningTokens: integer("reasoning_tokens"),
    costUsd: doublePrecision("cost_usd"),
    priceSource: text("price_source"),
    error: text("error"),
    clientIp: text("client_ip"),
    upstreamRequestId: text("upstream_request_id"),
    servedBy: text("served_by"),
    attempts: integer("attempts"),
    api: text("api"),
    sessionId: text("session_id"),
    target: text("target"),
  },
  (table) => [
    primaryKey({ columns: [table.id, table.ts] }),
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

export const configVersion = pgTable("config_version", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull(),
});

export const gatewaySettings = pgTable("gateway_settings", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
});

export const loginFailures = pgTable(
  "login_failures",
  {
    key: text("key").notNull(),
    failedAt: epochMs("failed_at").notNull(),
  },
  (table) => [index("login_failures_key_idx").on(table.key, table.failedAt), index("login_failures_at_idx").on(table.failedAt)],
);

export const limits = pgTable(
  "limits",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    llmId: integer("llm_id").references(() => llms.id, { onDelete: "cascade" }),
    tokenId: integer("token_id").references(() => apiTokens.id, { onDelete: "cascade" }),
    isDefault: boolean("is_default").notNull(),
    metric: text("metric").notNull(),
    window: text("window"),
    max: doublePrecision("max").notNull(),
    createdAt: epochMs("created_at").notNull(),
    updatedAt: epochMs("updated_at").notNull(),
  },
  (table) => [index("limits_user_idx").on(table.userId), index("limits_llm_idx").on(table.llmId), index("limits_token_idx").on(table.tokenId)],
);

export const limitCounters = pgTable(
  "limit_counters",
  {
    limitId: integer("limit_id")
      .notNull()
      .references(() => limits.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    windowStart: epochMs("window_start").notNull(),
    windowEnd: epochMs("window_end"),
    used: doublePrecision("used").notNull(),
    notified: integer("notified").notNull(),
  },
  (table) => [primaryKey({ columns: [table.limitId, table.subject, table.windowStart] }), index("limit_counters_end_idx").on(table.windowEnd)],
);

export const limitGrants = pgTable(
  "limit_grants",
  {
    replica: text("replica").notNull(),
    limitId: integer("limit_id")
      .notNull()
      .references(() => limits.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    windowStart: epochMs("window_start").notNull(),
    amount: doublePrecision("amount").notNull(),
    reserved: doublePrecision("reserved").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.replica, table.limitId, table.subject, table.windowStart] }),
    index("limit_grants_counter_idx").on(table.limitId, table.subject, table.windowStart),
  ],
);

export const limitReplicas = pgTable("limit_replicas", {
  id: text("id").primaryKey(),
  heartbeatAt: epochMs("heartbeat_at").notNull(),
});

export const usageDaily = pgTable(
  "usage_daily",
  {
    day: epochMs("day").notNull(),
    user: text("user").notNull(),
    llm: text("llm").notNull(),
    model: text("model").notNull(),
    calls: bigint("calls", { mode: "number" }).notNull(),
    promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull(),
    completionTokens: bigint("completion_tokens", { mode: "number" }).notNull(),
    totalTokens: bigint("total_tokens", { mode: "number" }).notNull(),
    costUsd: doublePrecision("cost_usd").notNull(),
    unpricedCalls: bigint("unpriced_calls", { mode: "number" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.day, table.user, table.llm, table.model] }), index("usage_daily_user_idx").on(table.user, table.day)],
);
