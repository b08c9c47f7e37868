import { asc, count, gt, sql } from "drizzle-orm";
import { one, raw, rows, run, type Tables } from "../../db/program";
import type { Store } from "../../db/store";
import { AppError, ValidationError } from "../errors";

// Parents before children, so foreign keys hold at every insert.
const TABLES = [
  ["users", "users"],
  ["secrets", "secrets"],
  ["secret_keys", "secretKeys"],
  ["llms", "llms"],
  ["role_bindings", "roleBindings"],
  ["api_tokens", "apiTokens"],
  ["limits", "limits"],
  // What limits have counted this window (grants and replicas belong to running processes).
  ["limit_counters", "limitCounters"],
  ["sessions", "sessions"],
  ["gateway_settings", "gatewaySettings"],
  ["config_version", "configVersion"],
  ["audit_events", "auditEvents"],
  ["usage_daily", "usageDaily"],
] as const satisfies ReadonlyArray<readonly [string, keyof Tables]>;
// Tables whose ids come from an identity column: its counter moves past the copied ids.
const IDENTITY_TABLES = ["users", "secrets", "llms", "role_bindings", "api_tokens", "limits", "audit_events"];
// Rows per insert: under PostgreSQL's 65,535 parameters for the widest table (audit_events, 25 columns).
const BATCH = 2000;

export interface CopiedTable {
  table: string;
  source: number;
  target: number;
}

async function counts(store: Store): Promise<Record<string, number>> {
  return store.read(function* ({ db, t }) {
    const result: Record<string, number> = {};
    for (const [table, key] of TABLES) result[table] = (yield* one(db.select({ n: count() }).from(t[key])))!.n;
    return result;
  });
}

/**
 * Copies every row of `source` (SQLite) into `target` (an empty PostgreSQL database, migrated),
 * keeping ids, then compares the row counts table by table.
 */
export async function copyDatabase(source: Store, target: Store, progress: (line: string) => void = () => undefined): Promise<CopiedTable[]> {
  if (source.engine !== "sqlite") throw new ValidationError("db copy reads a SQLite deployment: unset GATEWAY_DATABASE_URL and point GATEWAY_DATA_DIR at it");
  if (target.engine !== "postgres") throw new ValidationError("--to: must be a postgres:// URL", "to");
  const present = Object.entries(await counts(target)).filter(([table, n]) => n > 0 && table !== "config_version" && table !== "gateway_settings");
  if (present.length > 0) {
    throw new AppError("conflict", `the target database is not empty (${present.map(([table, n]) => `${n} ${table}`).join(", ")}); copy into a new database`);
  }
  await target.write(({ db, t }) => run(db.delete(t.gatewaySettings)));
  await target.write(({ db, t }) => run(db.delete(t.configVersion)));
  for (const [table, key] of TABLES) {
    if (table === "audit_events") continue;
    const all = await source.read(({ db, t }) => rows(db.select().from(t[key])));
    for (let start = 0; start < all.length; start += BATCH) {
      const batch = all.slice(start, start + BATCH);
      await target.write(({ db, t }) => run(db.insert(t[key]).values(batch as never)));
    }
    progress(`${table}: ${all.length} rows`);
  }
  // The audit log can be large: keyset pages on id, one transaction per page, into months made first.
  const oldest = await source.read(({ db, t }) => one(db.select({ ts: t.auditEvents.ts }).from(t.auditEvents).orderBy(asc(t.auditEvents.ts)).limit(1)));
  if (oldest) await target.ensureAuditRange(oldest.ts);
  let after = 0;
  let copied = 0;
  for (;;) {
    const page = await source.read(({ db, t }) =>
      rows(db.select().from(t.auditEvents).where(gt(t.auditEvents.id, after)).orderBy(asc(t.auditEvents.id)).limit(BATCH)),
    );
    if (page.length === 0) break;
    await target.write(({ db, t }) => run(db.insert(t.auditEvents).values(page)));
    after = page[page.length - 1]!.id;
    copied += page.length;
    if (copied % 100_000 < BATCH) progress(`audit_events: ${copied} rows`);
  }
  progress(`audit_events: ${copied} rows`);
  await target.write(function* () {
    for (const table of IDENTITY_TABLES) {
      yield* raw(sql.raw(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`));
    }
  });
  const [before, after_] = await Promise.all([counts(source), counts(target)]);
  return TABLES.map(([table]) => ({ table, source: before[table]!, target: after_[table]! }));
}
