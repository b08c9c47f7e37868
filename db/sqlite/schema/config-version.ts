import { integer, sqliteTable } from "drizzle-orm/sqlite-core";

// One row, bumped by every configuration change so other processes can drop their caches
// without reloading on audit writes.
export const configVersion = sqliteTable("config_version", {
  id: integer("id").primaryKey(),
  version: integer("version").notNull(),
});
