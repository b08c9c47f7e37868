import fs from "node:fs";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { getConfig } from "../server/config";
import { migrateDatabase } from "./migrate";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

let instance: Db | null = null;

/** The process's database connection: opened, tuned and migrated on first use. */
export function getDb(): Db {
  if (instance) return instance;
  const config = getConfig();
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const sqlite = new Database(config.databasePath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  const db = drizzle(sqlite, { schema }) as Db;
  migrateDatabase(db);
  instance = db;
  return db;
}

export function closeDb(): void {
  instance?.$client.close();
  instance = null;
}
