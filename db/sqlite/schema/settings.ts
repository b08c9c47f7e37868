import { sqliteTable, text } from "drizzle-orm/sqlite-core";

// Facts about the deployment every process must agree on, e.g. the id of the master key that
// encrypts local Secrets (never the key).
export const gatewaySettings = sqliteTable("gateway_settings", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
});
