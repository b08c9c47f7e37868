import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { ChangeTracker } from "../change-tracker";
import { runSync, type Op, type ProgramOf, type QueryDb, type Scope } from "../program";
import type { AuditInsert, EngineStore } from "../store";
import { AUDIT_COLUMNS } from "../audit-columns";
import { usageDailyDeltas, usageDailyUpsert } from "../usage-rollup";
import { migrateSqlite } from "./migrate";
import * as schema from "./schema";

// data_version changes only when another connection committed; polling it is cheap (no page reads).
const POLL_INTERVAL_MS = 250;

const dialect = new SQLiteSyncDialect();

function execute(connection: Database.Database, op: Op): unknown {
  switch (op.kind) {
    case "all":
      return (op.query as { all(): unknown }).all();
    case "get":
      return (op.query as { get(): unknown }).get();
    case "run":
      return void (op.query as { run(): unknown }).run();
    case "raw": {
      const query = dialect.sqlToQuery(op.query);
      const statement = connection.prepare(query.sql);
      // A statement that returns no rows (ANALYZE, DDL) runs and yields none.
      if (!statement.reader) {
        statement.run(...query.params);
        return [];
      }
      return statement.all(...query.params);
    }
  }
}

/** The embedded engine: one better-sqlite3 connection; programs run synchronously inside. */
export function openSqliteStore(options: { file: string; appRoot: string; busyTimeoutMs?: number }): EngineStore {
  fs.mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
  const connection = new Database(options.file);
  connection.pragma("journal_mode = WAL");
  connection.pragma("synchronous = NORMAL");
  connection.pragma("foreign_keys = ON");
  connection.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  const db = drizzle(connection, { schema });
  migrateSqlite(db, options.appRoot);

  const tracker = new ChangeTracker();
  const readVersion = connection.prepare("SELECT version FROM config_version WHERE id = 1").pluck();
  const bumpVersion = connection.prepare(
    "INSERT INTO config_version (id, version) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET version = version + 1 RETURNING version",
  );
  let lastDataVersion = -1;
  const poll = (): Promise<void> => {
    const dataVersion = connection.pragma("data_version", { simple: true }) as number;
    if (dataVersion === lastDataVersion) return Promise.resolve();
    lastDataVersion = dataVersion;
    return tracker.seen((readVersion.get() as number | undefined) ?? 0);
  };
  void poll();
  const timer = setInterval(() => void poll(), POLL_INTERVAL_MS);
  timer.unref();

  const scopeOf = (queryDb: QueryDb): Scope => ({ db: queryDb, t: schema, engine: "sqlite" });
  // IMMEDIATE takes the write lock up front: a deferred transaction that read first fails at once
  // (SQLITE_BUSY) when another process committed in between, instead of waiting.
  const transaction = <T>(body: (tx: QueryDb) => T): T => db.transaction((tx) => body(tx as unknown as QueryDb), { behavior: "immediate" });

  const insertAudit = connection.prepare(
    `INSERT INTO audit_events (${AUDIT_COLUMNS.map(([column]) => `"${column}"`).join(", ")}) VALUES (${AUDIT_COLUMNS.map(() => "?").join(", ")})`,
  );
  const touchToken = connection.prepare("UPDATE api_tokens SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?");
  const addUsage = connection.prepare(usageDailyUpsert(1, () => "?"));
  const auditBatch = connection.transaction((rows: AuditInsert[], tokenUse: Array<[number, number]>) => {
    for (const row of rows) insertAudit.run(AUDIT_COLUMNS.map(([, field]) => toSqlite(row[field])));
    for (const sum of usageDailyDeltas(rows)) addUsage.run(sum);
    for (const [tokenId, usedAt] of tokenUse) touchToken.run(usedAt, tokenId);
  });

  return {
    engine: "sqlite",
    location: options.file,
    get version() {
      return tracker.version;
    },
    async read(program) {
      return runSync(program(scopeOf(db)), (op) => execute(connection, op));
    },
    async write(program) {
      return transaction((tx) => runSync(program(scopeOf(tx)), (op) => execute(connection, op)));
    },
    async change<T>(program: ProgramOf<T>) {
      let stored = 0;
      const result = transaction((tx) => {
        const value = runSync(program(scopeOf(tx)), (op) => execute(connection, op));
        stored = (bumpVersion.get() as { version: number }).version;
        return value;
      });
      lastDataVersion = connection.pragma("data_version", { simple: true }) as number;
      await tracker.seen(stored);
      return result;
    },
    onChange(listener) {
      tracker.onChange(listener);
    },
    checkChanges: poll,
    async insertAuditBatch(rows, tokenUse) {
      auditBatch.immediate(rows, tokenUse);
    },
    async ensureAuditRange() {},
    async pruneAudit(cutoff) {
      return connection.transaction(() => {
        connection.prepare("DELETE FROM usage_daily WHERE day + 86400000 <= ?").run(cutoff);
        return connection.prepare("DELETE FROM audit_events WHERE ts < ?").run(cutoff).changes;
      })();
    },
    async ping() {
      db.run(sql`SELECT 1`);
    },
    async close() {
      clearInterval(timer);
      connection.close();
    },
  };
}

function toSqlite(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}
