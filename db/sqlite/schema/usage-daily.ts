import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Inference calls summed per UTC day, user, Llm and model, kept by the audit writer in the same
// transaction as the rows it sums (and filled from the audit log by its migration), so spend
// reports read a few rows a day instead of every call. Absent names are stored as ''.
export const usageDaily = sqliteTable(
  "usage_daily",
  {
    /** Epoch ms of the UTC day's start. */
    day: integer("day").notNull(),
    user: text("user").notNull(),
    llm: text("llm").notNull(),
    model: text("model").notNull(),
    calls: integer("calls").notNull(),
    promptTokens: integer("prompt_tokens").notNull(),
    completionTokens: integer("completion_tokens").notNull(),
    totalTokens: integer("total_tokens").notNull(),
    costUsd: real("cost_usd").notNull(),
    /** Calls that reported tokens but had no price. */
    unpricedCalls: integer("unpriced_calls").notNull(),
  },
  (table) => [primaryKey({ columns: [table.day, table.user, table.llm, table.model] }), index("usage_daily_user_idx").on(table.user, table.day)],
);
