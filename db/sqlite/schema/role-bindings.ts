import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./users";

export const roleBindings = sqliteTable(
  "role_bindings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: ["view", "edit", "run", "admin"] }).notNull(),
    resource: text("resource").notNull(),
    name: text("name"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("role_bindings_user_idx").on(table.userId)],
);
