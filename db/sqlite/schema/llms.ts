import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { PROVIDERS } from "../../../server/llms/providers";
import { secrets } from "./secrets";

export const llms = sqliteTable("llms", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  provider: text("provider", { enum: PROVIDERS }).notNull(),
  model: text("model").notNull(),
  url: text("url"),
  apiKeySecret: text("api_key_secret").references(() => secrets.name, { onDelete: "restrict" }),
  apiKeyKey: text("api_key_key"),
  description: text("description"),
  /** JSON object of request defaults, e.g. {"max_tokens": 8192}. */
  defaults: text("defaults"),
  timeoutMs: integer("timeout_ms"),
  /** Ask OpenAI-compatible upstreams for stream usage (off for upstreams that reject the option). */
  streamUsage: integer("stream_usage", { mode: "boolean" }).notNull().default(true),
  geminiPath: text("gemini_path"),
  maxConcurrency: integer("max_concurrency"),
  /** JSON: what the model accepts where providers differ (anthropic: sampling, structured outputs). */
  capabilities: text("capabilities"),
  /** JSON `{input, output, cacheRead?, cacheWrite?}`, USD per million tokens; null: the bundled price table. */
  pricing: text("pricing"),
  /** Provider `route`: JSON `{targets: [{llm, group, weight}], maxAttempts, failureThreshold, cooldownS, affinity}`. */
  routing: text("routing"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
