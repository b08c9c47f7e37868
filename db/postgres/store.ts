import path from "node:path";
import { sql } from "drizzle-orm";
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { AUDIT_COLUMNS } from "../audit-columns";
import { usageDailyDeltas, usageDailyUpsert } from "../usage-rollup";
import { ChangeTracker } from "../change-tracker";
import { runAsync, type Op, type ProgramOf, type QueryDb, type Scope, type Tables } from "../program";
import type { AuditInsert, EngineStore } from "../store";
import { listenForChanges, CHANGES_CHANNEL } from "./change-feed";
import { migratePostgres } from "./migrate";
import { ensureAuditPartitions, pruneAuditPartitions } from "./partitions";
import { whileReachable } from "./unavailable";
import { redactedUrl } from "./url";
import * as schema from "./schema";

type PgDb = NodePgDatabase<typeof schema>;

// A notification missed while the listening connection was down is never replayed: poll as well.
const POLL_INTERVAL_MS = 2000;

// int8 (counts, epoch milliseconds) as JavaScript numbers: every value we store is far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

async function execute(db: PgDb, op: Op): Promise<unknown> {
  switch (op.kind) {
    case "all":
      return await (op.query as PromiseLike<unknown>);
    case "get":
      return ((await (op.query as PromiseLike<unknown[]>)) as unknown[])[0];
    case "run":
      return void (await (op.query as PromiseLike<unknown>));
    case "raw":
      return (await db.execute(op.query)).rows;
  }
}

/** PostgreSQL: a pool for queries and one more connection that listens for other replicas' changes. */
export async function openPostgresStore(options: { url: string; appRoot: string }): Promise<EngineStore> {
  const location = redactedUrl(options.url);
  const pool = new pg.Pool({ connectionString: options.url, types, max: 10, connectionTimeoutMillis: 5000 });
  // A client that loses its server emits "error" (idle ones on the pool, checked-out ones on
  // themselves); without a listener that would end the process. The query in flight rejects anyway.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  try {
    await migratePostgres(options.url, path.join(/*turbopackIgnore: true*/ options.appRoot, "db", "postgres", "migrations"), location);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = drizzle(pool, { schema });
  const tracker = new ChangeTracker();
  const readVersion = async () => {
    const result = await pool.query<{ version: number }>("SELECT version FROM config_version WHERE id = 1");
    return result.rows[0]?.version ?? 0;
  };
  await tracker.seen(await readVersion());
  const poll = async () => {
    try {
      await tracker.seen(await readVersion());
    } catch {
      // The database is away; the next poll tries again.
    }
  };
  const feed = listenForChanges(options.url, types, (version) => void tracker.seen(version), poll);
  const timer = setInterval(() => void poll(), POLL_INTERVAL_MS);
  timer.unref();

  const reachable = <T>(work: () => Promise<T>) => whileReachable(location, work);
  const scopeOf = (queryDb: PgDb): Scope => ({ db: queryDb as unknown as QueryDb, t: schema as unknown as Tables, engine: "postgres" });
  const transaction = <T>(body: (tx: PgDb) => Promise<T>): Promise<T> => db.transaction((tx) => body(tx as unknown as PgDb));

  return {
    engine: "postgres",
    location,
    get version() {
      return tracker.version;
    },
    read(program) {
      return reachable(() => runAsync(program(scopeOf(db)), (op) => execute(db, op)));
    },
    write(program) {
      return reachable(() => transaction((tx) => runAsync(program(scopeOf(tx)), (op) => execute(tx, op))));
    },
    async change<T>(program: ProgramOf<T>) {
      let stored = 0;
      const result = await reachable(() =>
        transaction(async (tx) => {
          // The row lock orders configuration changes across replicas, as SQLite's write lock does.
          const bumped = await tx.execute<{ version: number }>(
            sql`INSERT INTO config_version (id, version) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET version = config_version.version + 1 RETURNING version`,
          );
          // A raw statement's bigint comes back as a string: compared as one, version "10" would sort before "9".
          stored = Number(bumped.rows[0]!.version);
          const value = await runAsync(program(scopeOf(tx)), (op) => execute(tx, op));
          await tx.execute(sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${String(stored)})`);
          return value;
        }),
      );
      await tracker.seen(stored);
      return result;
    },
    onChange(listener) {
      tracker.onChange(listener);
    },
    checkChanges: poll,
    async insertAuditBatch(rows, tokenUse) {
      await reachable(async () => {
        const client = await pool.connect();
        let failed: Error | undefined;
        try {
          await client.query("BEGIN");
          await insertAuditRows(client, rows, tokenUse);
          await client.query("COMMIT");
        } catch (error) {
          failed = error instanceof Error ? error : new Error(String(error));
          await client.query("ROLLBACK").catch(() => undefined);
          throw error;
        } finally {
          // A client that failed may have lost its connection: it is closed, not reused.
          client.release(failed);
        }
      });
    },
    ensureAuditRange(fromTs) {
      return reachable(() => ensureAuditPartitions(pool, Date.now(), fromTs));
    },
    pruneAudit(cutoff) {
      return reachable(async () => {
        await ensureAuditPartitions(pool, Date.now());
        await pool.query("DELETE FROM usage_daily WHERE day + 86400000 <= $1", [cutoff]);
        return pruneAuditPartitions(pool, cutoff);
      });
    },
    async ping() {
      await reachable(() => pool.query("SELECT 1"));
    },
    async close() {
      clearInterval(timer);
      await feed.close();
      await pool.end();
    },
  };
}

// The writer's statement runs for every batch of inference rows: its text is built once per batch
// size and its values go straight to node-postgres (drizzle's builder costs more per row).
const AUDIT_ROWS_PER_STATEMENT = 500;
const insertTexts = new Map<number, string>();

function auditInsertText(count: number): string {
  let text = insertTexts.get(count);
  if (!text) {
    const width = AUDIT_COLUMNS.length;
    const tuples = Array.from({ length: count }, (_, row) => `(${AUDIT_COLUMNS.map((_, column) => `$${row * width + column + 1}`).join(", ")})`);
    text = `INSERT INTO audit_events (${AUDIT_COLUMNS.map(([column]) => `"${column}"`).join(", ")}) VALUES ${tuples.join(", ")}`;
    insertTexts.set(count, text);
  }
  return text;
}

async function insertAuditRows(client: pg.PoolClient, rows: AuditInsert[], tokenUse: Array<[number, number]>): Promise<void> {
  for (let start = 0; start < rows.length; start += AUDIT_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + AUDIT_ROWS_PER_STATEMENT);
    const values: unknown[] = [];
    for (const row of chunk) for (const [, field] of AUDIT_COLUMNS) values.push(storable(row[field]));
    await client.query(auditInsertText(chunk.length), values);
  }
  const sums = usageDailyDeltas(rows);
  for (let start = 0; start < sums.length; start += AUDIT_ROWS_PER_STATEMENT) {
    const chunk = sums.slice(start, start + AUDIT_ROWS_PER_STATEMENT);
    await client.query(
      usageDailyUpsert(chunk.length, (index) => `$${index}`),
      chunk.flat().map(storable),
    );
  }
  for (const [tokenId, usedAt] of tokenUse) {
    await client.query("UPDATE api_tokens SET last_used_at = GREATEST(COALESCE(last_used_at, 0), $1) WHERE id = $2", [usedAt, tokenId]);
  }
}

// PostgreSQL text cannot hold NUL; SQLite can. Audit rows carry what callers sent (names, errors).
function storable(value: unknown): unknown {
  if (value === undefined) return null;
  return typeof value === "string" && value.includes("\u0000") ? value.replaceAll("\u0000", "\uFFFD") : value;
}
