import path from "node:path";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { getConfig } from "../server/config";

export function migrateDatabase(db: BetterSQLite3Database<Record<string, unknown>>): void {
  migrate(db, { migrationsFolder: path.join(/*turbopackIgnore: true*/ getConfig().appRoot, "db", "migrations") });
}
