import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { limits } from "./limits";

// What the replicas share to enforce limits. A counter is one limit's usage in one window, for one
// subject (the user's id for a default limit, empty otherwise): `used` is the settled usage of
// every replica. A grant is the part of a limit's room one replica has taken to admit calls from
// memory (`amount`), of which `reserved` is held by calls still running; the database never hands
// out more than max − used in grants. A replica's grants count only while its heartbeat is fresh,
// so a replica that died gives its room back by expiry.
export const limitCounters = sqliteTable(
  "limit_counters",
  {
    limitId: integer("limit_id")
      .notNull()
      .references(() => limits.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    /** Epoch ms of the window's start (UTC calendar); 0 for concurrent. */
    windowStart: integer("window_start").notNull(),
    /** Epoch ms of the window's end; null for concurrent. */
    windowEnd: integer("window_end"),
    used: real("used").notNull(),
    /** The highest budget threshold already announced in this window: 0, 80 or 100. */
    notified: integer("notified").notNull(),
  },
  (table) => [primaryKey({ columns: [table.limitId, table.subject, table.windowStart] }), index("limit_counters_end_idx").on(table.windowEnd)],
);

export const limitGrants = sqliteTable(
  "limit_grants",
  {
    replica: text("replica").notNull(),
    limitId: integer("limit_id")
      .notNull()
      .references(() => limits.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    windowStart: integer("window_start").notNull(),
    amount: real("amount").notNull(),
    reserved: real("reserved").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.replica, table.limitId, table.subject, table.windowStart] }),
    index("limit_grants_counter_idx").on(table.limitId, table.subject, table.windowStart),
  ],
);

/** One row per running gateway process that holds grants; `heartbeatAt` moves at every sync. */
export const limitReplicas = sqliteTable("limit_replicas", {
  id: text("id").primaryKey(),
  heartbeatAt: integer("heartbeat_at").notNull(),
});
