import type { Config } from "../server/config";
import type { MasterKeys } from "../server/secrets/master-key";
import type { Engine, ProgramOf } from "./program";

/** A row of the audit log as the batched writer inserts it. */
export type AuditInsert = Record<string, unknown>;

/**
 * The database, passed in on the Context, with the configuration it was opened under (`config`)
 * and the master keys of its Secrets (`keys`): a test's store carries the test's own. Every method
 * is async on both engines; what differs by engine lives in db/sqlite and db/postgres.
 */
export interface Store extends EngineStore {
  readonly config: Config;
  readonly keys: MasterKeys;
}

/** What each engine implements. */
export interface EngineStore {
  readonly engine: Engine;
  /** Where the data lives, for messages (a file path, or the PostgreSQL URL without its password). */
  readonly location: string;
  /** Runs a program outside a transaction (reads, and single statements). */
  read<T>(program: ProgramOf<T>): Promise<T>;
  /** Runs a program in one transaction. */
  write<T>(program: ProgramOf<T>): Promise<T>;
  /**
   * A configuration change: one transaction that also bumps the stored configuration version and
   * tells other processes. Resolves once this process's in-memory state has been rebuilt.
   */
  change<T>(program: ProgramOf<T>): Promise<T>;
  /** Counts configuration changes this process has seen (its own and other processes'). */
  readonly version: number;
  /** Called after each configuration change; the store awaits it before `change` resolves. */
  onChange(listener: () => Promise<void>): void;
  /** Looks for another process's change now instead of at the next poll or notification. */
  checkChanges(): Promise<void>;
  /** The batched audit writer's one statement: rows and token last-use times in one transaction. */
  insertAuditBatch(rows: AuditInsert[], tokenUse: Array<[tokenId: number, usedAt: number]>): Promise<void>;
  /** Makes room for audit rows from `fromTs` on (PostgreSQL: monthly partitions; SQLite: nothing to do). */
  ensureAuditRange(fromTs: number): Promise<void>;
  /** Deletes audit rows older than `cutoff` (PostgreSQL drops whole months); returns how many. */
  pruneAudit(cutoff: number): Promise<number>;
  /** Resolves when the database answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
