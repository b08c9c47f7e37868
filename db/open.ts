import { openPostgresStore } from "./postgres/store";
import { isConnectionError } from "./postgres/unavailable";
import { redactedUrl } from "./postgres/url";
import { openSqliteStore } from "./sqlite/store";
import type { Store } from "./store";

export interface StoreOptions {
  /** `postgres://…`, or null for SQLite at `sqliteFile`. */
  databaseUrl: string | null;
  sqliteFile: string;
  /** Where db/ lives (the package root), for the migrations. */
  appRoot: string;
}

/** Opens and migrates the configured database; errors are one line that names it (never its password). */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (!options.databaseUrl) return openSqliteStore({ file: options.sqliteFile, appRoot: options.appRoot });
  try {
    return await openPostgresStore({ url: options.databaseUrl, appRoot: options.appRoot });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.name === "NewerSchemaError") throw error;
    const location = redactedUrl(options.databaseUrl);
    if (isConnectionError(error)) throw new Error(`database unavailable: cannot reach the PostgreSQL database at ${location} (${message})`);
    throw new Error(`Cannot use the PostgreSQL database at ${location}: ${message}`);
  }
}
