import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { apiTokens } from "./api-tokens";
import { llms } from "./llms";
import { users } from "./users";

// Spend and rate limits. The scope is a user (userId), a user on one Llm (userId and llmId), an API
// token (tokenId), an Llm for all its callers (llmId), or every user each (isDefault). Deleting
// what a limit names deletes the limit.
export const limits = sqliteTable(
  "limits",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").references(() => users.id, { onDelete: "cascade" }),
    llmId: integer("llm_id").references(() => llms.id, { onDelete: "cascade" }),
    tokenId: integer("token_id").references(() => apiTokens.id, { onDelete: "cascade" }),
    isDefault: integer("is_default", { mode: "boolean" }).notNull(),
    /** requests, input_tokens, output_tokens, total_tokens, cost_usd or concurrent. */
    metric: text("metric").notNull(),
    /** minute, hour, day or month (calendar, UTC); null for concurrent. */
    window: text("window"),
    max: real("max").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [index("limits_user_idx").on(table.userId), index("limits_llm_idx").on(table.llmId), index("limits_token_idx").on(table.tokenId)],
);
