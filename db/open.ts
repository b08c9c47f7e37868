import { openPostgresStore } from "./postgres/store";
import { isConnectionError } from "./postgres/unavailable";
import { redactedUrl } from "./postgres/url";
import { openSqliteStore } from "./sqlite/store";
import type { Config } from "../server/config";
import { MasterKeys } from "../server/secrets/master-key";
import type { EngineStore, Store } from "./store";

/**
 * Opens and migrates the database `config` names (PostgreSQL at `databaseUrl`, else SQLite at
 * `databasePath`); errors are one line that names it (never its password).
 */
export async function openStore(config: Config, keys = new MasterKeys(config)): Promise<Store> {
  const engine = await openEngine(config);
  return Object.assign(engine, { config, keys });
}

async function openEngine(options: Config): Promise<EngineStore> {
  if (!options.databaseUrl) return openSqliteStore({ file: options.databasePath, appRoot: options.appRoot });
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
