import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// One row per failed login and key (user+address, address, user), shared by every replica; rows
// older than the lockout window are deleted as new failures arrive.
export const loginFailures = sqliteTable(
  "login_failures",
  {
    key: text("key").notNull(),
    failedAt: integer("failed_at").notNull(),
  },
  (table) => [index("login_failures_key_idx").on(table.key, table.failedAt), index("login_failures_at_idx").on(table.failedAt)],
);
