import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users";

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** sha256 hex of the token; the token itself is never stored. */
    sha256: text("sha256").notNull().unique(),
    prefix: text("prefix").notNull(),
    expiresAt: integer("expires_at"),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
    /** JSON array of bindings (`role:resource[:name]`) the token is limited to; NULL = its user's permissions. */
    scopes: text("scopes"),
    /** The token that minted this one (through the API): this one never outlives it. */
    parentTokenId: integer("parent_token_id"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("api_tokens_user_idx").on(table.userId), index("api_tokens_prefix_idx").on(table.prefix)],
);
