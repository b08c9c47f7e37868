import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { NewerSchemaError, newestShippedMigration } from "../migration-journal";

// Any constant works; it only has to be the same in every replica.
const MIGRATION_LOCK = 7_341_650_113;

/** Applies the committed migrations under an advisory lock, so replicas that start together migrate once. */
export async function migratePostgres(url: string, folder: string, location: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    const applied = await client.query<{ last: string | null }>(
      "SELECT CASE WHEN to_regclass('drizzle.__drizzle_migrations') IS NULL THEN NULL ELSE (SELECT max(created_at)::text FROM drizzle.__drizzle_migrations) END AS last",
    );
    const last = applied.rows[0]?.last;
    if (last !== null && last !== undefined && Number(last) > newestShippedMigration(folder)) throw new NewerSchemaError(location);
    await migrate(drizzle(client), { migrationsFolder: folder });
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
