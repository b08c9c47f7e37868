import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { NewerSchemaError, newestShippedMigration } from "../migration-journal";
import { ensureAuditPartitions } from "./partitions";

// Any constant works; it only has to be the same in every replica.
const MIGRATION_LOCK = 7_341_650_113;

/** Applies the committed migrations under an advisory lock, so replicas that start together migrate once. */
export async function migratePostgres(url: string, folder: string, location: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    const journal = await client.query<{ table: string | null }>("SELECT to_regclass('drizzle.__drizzle_migrations')::text AS table");
    if (journal.rows[0]?.table) {
      const applied = await client.query<{ last: string | null }>("SELECT max(created_at)::text AS last FROM drizzle.__drizzle_migrations");
      const last = applied.rows[0]?.last;
      if (last && Number(last) > newestShippedMigration(folder)) throw new NewerSchemaError(location);
    }
    await migrate(drizzle(client), { migrationsFolder: folder });
    await ensureAuditPartitions(client, Date.now());
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
