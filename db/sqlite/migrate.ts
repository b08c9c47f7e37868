import path from "node:path";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type Database from "better-sqlite3";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { NewerSchemaError, newestShippedMigration } from "../migration-journal";
import { keyOrigin } from "../../server/llms/key-origin";
import type { Provider } from "../../server/llms/providers";

export function migrateSqlite(db: BetterSQLite3Database<Record<string, unknown>> & { $client: Database.Database }, appRoot: string): void {
  const folder = path.join(/*turbopackIgnore: true*/ appRoot, "db", "sqlite", "migrations");
  const applied = db.$client.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get()
    ? (db.$client.prepare("SELECT max(created_at) FROM __drizzle_migrations").pluck().get() as number | null)
    : null;
  if (applied !== null && applied > newestShippedMigration(folder)) throw new NewerSchemaError(db.$client.name);
  migrate(db, { migrationsFolder: folder });
  backfillAllowedOrigins(db.$client);
}

/**
 * Secrets from before allowed origins existed may go where the Llms using them sent them then,
 * and nowhere else. Runs once per such Secret (their column is NULL until this fills it).
 */
function backfillAllowedOrigins(sqlite: Database.Database): void {
  const pending = sqlite.prepare("SELECT name FROM secrets WHERE allowed_origins IS NULL").all() as Array<{ name: string }>;
  if (pending.length === 0) return;
  const users = sqlite.prepare("SELECT provider, url FROM llms WHERE api_key_secret = ?");
  const fill = sqlite.prepare("UPDATE secrets SET allowed_origins = ? WHERE name = ? AND allowed_origins IS NULL");
  sqlite
    .transaction(() => {
      for (const { name } of pending) {
        const llms = users.all(name) as Array<{ provider: Provider; url: string | null }>;
        fill.run(JSON.stringify([...new Set(llms.map((llm) => keyOrigin(llm.provider, llm.url)))]), name);
      }
    })
    .immediate();
}
