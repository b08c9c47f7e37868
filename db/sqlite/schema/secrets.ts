import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const secrets = sqliteTable("secrets", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  backend: text("backend", { enum: ["local", "env", "openbao"] }).notNull(),
  description: text("description"),
  /** openbao only: KV v2 mount and path. */
  openbaoMount: text("openbao_mount"),
  openbaoPath: text("openbao_path"),
  /** JSON array of `scheme://host[:port]` the key may be sent to; NULL only before the backfill at migration. */
  allowedOrigins: text("allowed_origins"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
