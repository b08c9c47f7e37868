import { sql } from "drizzle-orm";
import { getDb, type Db } from "../db/client";

// Caches compare against one process-wide version. It is shared through globalThis because the
// lean server and Next's bundle each load their own copy of this module in the same process.
const SHARED_KEY = Symbol.for("llm-gateway.config-version");
const POLL_INTERVAL_MS = 250;

interface SharedVersion {
  version: number;
}

const shared: SharedVersion = ((globalThis as Record<symbol, unknown>)[SHARED_KEY] as SharedVersion | undefined) ?? { version: 0 };
(globalThis as Record<symbol, unknown>)[SHARED_KEY] = shared;

let lastPollAt = 0;
let lastDataVersion = -1;
let lastStoredVersion = -1;

export type Transaction = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** A transaction or the connection itself, for reads that run in either. */
export type Queryable = Db | Transaction;

/**
 * Runs a configuration change in one transaction and bumps the stored version with it, so this
 * process drops its caches at once and other processes (the CLI, a second server) within a poll.
 */
export function runConfigChange<T>(change: (tx: Transaction) => T): T {
  const db = getDb();
  // better-sqlite3 transactions are synchronous; no awaits here. IMMEDIATE takes the write lock
  // up front: a deferred one that read first fails at once (SQLITE_BUSY) when another process
  // (the inference server's audit writer, the CLI) committed in between, instead of waiting.
  const result = db.transaction(
    (tx) => {
      const value = change(tx);
      tx.run(sql`INSERT INTO config_version (id, version) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET version = version + 1`);
      return value;
    },
    { behavior: "immediate" },
  );
  shared.version += 1;
  return result;
}

/** The current configuration version; polls the database at most every 250 ms. */
export function configVersion(): number {
  const now = Date.now();
  if (now - lastPollAt >= POLL_INTERVAL_MS) {
    lastPollAt = now;
    pollDatabase();
  }
  return shared.version;
}

/** Looks for another process's change now, without waiting for the next poll. */
export function checkConfigChanges(): void {
  lastPollAt = Date.now();
  pollDatabase();
}

function pollDatabase(): void {
  const sqlite = getDb().$client;
  // data_version changes only when another connection committed; cheap, no page reads.
  const dataVersion = sqlite.pragma("data_version", { simple: true }) as number;
  if (dataVersion === lastDataVersion) return;
  lastDataVersion = dataVersion;
  const row = sqlite.prepare("SELECT version FROM config_version WHERE id = 1").get() as { version: number } | undefined;
  const stored = row?.version ?? 0;
  if (stored !== lastStoredVersion) {
    if (lastStoredVersion !== -1) shared.version += 1;
    lastStoredVersion = stored;
  }
}

/** A value derived from configuration, rebuilt when the configuration changes. */
export function versioned<T>(load: () => T): () => T {
  let value: T | undefined;
  let loadedAt = -1;
  return () => {
    const version = configVersion();
    if (loadedAt !== version || value === undefined) {
      value = load();
      loadedAt = version;
    }
    return value;
  };
}

/** Tests switch databases inside one process: forget everything derived from the old one. */
export function resetChangeTracking(): void {
  shared.version += 1;
  lastPollAt = 0;
  lastDataVersion = -1;
  lastStoredVersion = -1;
}
