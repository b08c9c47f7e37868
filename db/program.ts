import type { SQL } from "drizzle-orm";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type * as sqliteSchema from "./sqlite/schema";

/**
 * Domain code reads and writes through programs: generator functions that yield each query
 * instead of awaiting it. The store runs a program synchronously inside a better-sqlite3
 * transaction on SQLite and with awaits inside a node-postgres transaction on PostgreSQL, so
 * domain code never holds a transaction open across an await and is written once for both.
 *
 * Queries are built with the SQLite declarations' types; on PostgreSQL the same calls build on
 * its own tables, which declare the same columns with the same JavaScript types (a test compares
 * the two schema sets). Build with `db` and `t`, run with `rows`, `one`, `run` and `raw`; never
 * call `.all()`, `.get()` or `.run()` on a query directly (PostgreSQL has none of them).
 */
export type Tables = typeof sqliteSchema;
export type QueryDb = BetterSQLite3Database<Tables>;

export interface Scope {
  db: QueryDb;
  t: Tables;
  engine: Engine;
}

export type Engine = "sqlite" | "postgres";

export type Op = { kind: "all"; query: unknown } | { kind: "get"; query: unknown } | { kind: "run"; query: unknown } | { kind: "raw"; query: SQL };

export type Program<T> = Generator<Op, T, unknown>;
export type ProgramOf<T> = (scope: Scope) => Program<T>;

/** Every row the query returns. */
export function* rows<T>(query: { all(): T[] }): Program<T[]> {
  return (yield { kind: "all", query }) as T[];
}

/** The first row, or undefined. */
export function* one<T>(query: { get(): T | undefined }): Program<T | undefined> {
  return (yield { kind: "get", query }) as T | undefined;
}

/** Runs a write; `.returning()` queries go through `rows`/`one` instead. */
export function* run(query: { run(): unknown }): Program<void> {
  yield { kind: "run", query };
}

/** Raw SQL returning rows as the driver gives them (column names as written in the SQL). */
export function* raw<T extends Record<string, unknown>>(query: SQL): Program<T[]> {
  return (yield { kind: "raw", query }) as T[];
}

/** Runs a program whose queries complete synchronously (SQLite). */
export function runSync<T>(program: Program<T>, execute: (op: Op) => unknown): T {
  let step = program.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = execute(step.value);
    } catch (error) {
      step = program.throw(error);
      continue;
    }
    step = program.next(result);
  }
  return step.value;
}

/** Runs a program whose queries are awaited (PostgreSQL). */
export async function runAsync<T>(program: Program<T>, execute: (op: Op) => Promise<unknown>): Promise<T> {
  let step = program.next();
  while (!step.done) {
    let result: unknown;
    try {
      result = await execute(step.value);
    } catch (error) {
      step = program.throw(error);
      continue;
    }
    step = program.next(result);
  }
  return step.value;
}
