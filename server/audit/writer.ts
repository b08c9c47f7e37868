import type { EngineStore } from "../../db/store";
import { isAppError } from "../errors";
import { log } from "../ops/log";
import { auditRowsDropped, auditRowsPending } from "../ops/metrics";
import type { NewAuditRow } from "./types";

// Inference rows and token last-use times are written in batches off the hot path: one
// transaction per flush, scheduled shortly after the first pending write.
const FLUSH_DELAY_MS = 50;
const MAX_BATCH = 1000;
const TOKEN_USE_RESOLUTION_MS = 60_000;
// While the database is away, rows wait in memory up to this many (about 100 MB at worst); past
// it the oldest are dropped, counted in gateway_audit_rows_dropped_total and logged.
export const MAX_PENDING_AUDIT_ROWS = 100_000;
// Dropped a thousand at a time: one splice and one log line per thousand, not per call.
const DROP_CHUNK = 1000;
const RETRY_DELAY_MS = 1000;

class AuditWriter {
  private pendingRows: NewAuditRow[] = [];
  private readonly pendingTokenUse = new Map<number, number>();
  private readonly lastRecordedTokenUse = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private failing = false;

  constructor(private readonly store: EngineStore) {}

  enqueue(row: NewAuditRow): void {
    this.pendingRows.push(row);
    if (this.pendingRows.length > MAX_PENDING_AUDIT_ROWS) this.dropOldest();
    // A write already under way takes what piled up when it ends (see flush); no call waits on another here.
    if (this.pendingRows.length >= MAX_BATCH && !this.failing && !this.flushing) void this.flush();
    else this.schedule();
  }

  private dropOldest(): void {
    const dropped = Math.max(DROP_CHUNK, this.pendingRows.length - MAX_PENDING_AUDIT_ROWS);
    this.pendingRows.splice(0, dropped);
    auditRowsDropped.inc({ reason: "overflow" }, dropped);
    log.error({ msg: "audit buffer full while the database is away; dropped the oldest rows", dropped, bound: MAX_PENDING_AUDIT_ROWS });
  }

  /** Records that a token was used; written at most once a minute per token. */
  noteTokenUse(tokenId: number, now: number): void {
    const last = this.lastRecordedTokenUse.get(tokenId) ?? 0;
    if (now - last < TOKEN_USE_RESOLUTION_MS) return;
    this.lastRecordedTokenUse.set(tokenId, now);
    this.pendingTokenUse.set(tokenId, now);
    this.schedule();
  }

  get pending(): number {
    return this.pendingRows.length;
  }

  /** Writes everything pending; a failed write keeps the rows for the next try. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.flushing) return this.flushing.then(() => this.flush());
    auditRowsPending.set(pendingAuditRows());
    if (this.pendingRows.length === 0 && this.pendingTokenUse.size === 0) return Promise.resolve();
    const rows = this.pendingRows;
    const tokenUse = [...this.pendingTokenUse];
    this.pendingRows = [];
    this.pendingTokenUse.clear();
    const flushing = this.store.insertAuditBatch(rows, tokenUse).then(
      () => {
        this.flushing = null;
        if (this.failing) log.info({ msg: "audit writes resumed", pending: this.pendingRows.length });
        this.failing = false;
        if (this.pendingRows.length > 0) this.schedule();
      },
      async (error: unknown) => {
        // A row the database refuses (not a database that is away) must not hold up the others.
        if (!isAppError(error) && !isBusy(error)) await this.writeOneByOne(rows);
        else {
          this.pendingRows = rows.concat(this.pendingRows);
          if (this.pendingRows.length > MAX_PENDING_AUDIT_ROWS) this.dropOldest();
          if (!this.failing) log.error({ msg: "audit write failed; keeping the rows and retrying", rows: rows.length, error: describe(error) });
          this.failing = true;
        }
        for (const [tokenId, usedAt] of tokenUse) if (!this.pendingTokenUse.has(tokenId)) this.pendingTokenUse.set(tokenId, usedAt);
        this.flushing = null;
        this.schedule(RETRY_DELAY_MS);
      },
    );
    this.flushing = flushing;
    return flushing;
  }

  /** At exit: hands whatever is pending to the store at once (written synchronously on SQLite). */
  flushAtExit(): void {
    if (this.pendingRows.length === 0 && this.pendingTokenUse.size === 0) return;
    void this.store.insertAuditBatch(this.pendingRows, [...this.pendingTokenUse]).catch(() => undefined);
    this.pendingRows = [];
    this.pendingTokenUse.clear();
  }

  private async writeOneByOne(rows: NewAuditRow[]): Promise<void> {
    for (const row of rows) {
      try {
        await this.store.insertAuditBatch([row], []);
      } catch (error) {
        if (isAppError(error) || isBusy(error)) {
          this.pendingRows.unshift(row);
          continue;
        }
        auditRowsDropped.inc({ reason: "rejected" });
        log.error({ msg: "audit row refused by the database; dropped", event: row.event, requestId: row.requestId ?? null, error: describe(error) });
      }
    }
  }

  private schedule(delayMs = FLUSH_DELAY_MS): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), delayMs);
    this.timer.unref();
  }
}

// Shared through globalThis: under `next start` the route files and instrumentation each load
// their own copy of this module, and the exit path must reach every writer.
interface Registry {
  writers: Map<EngineStore, AuditWriter>;
  exitHooks: Array<() => void>;
  exitHandler: boolean;
}
const REGISTRY = Symbol.for("llm-gateway.audit-writers");

// SQLite's lock held by another process past the busy timeout: the rows are fine, try again.
function isBusy(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "SQLITE_BUSY";
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
const registry: Registry = ((globalThis as Record<symbol, unknown>)[REGISTRY] as Registry | undefined) ?? {
  writers: new Map(),
  exitHooks: [],
  exitHandler: false,
};
(globalThis as Record<symbol, unknown>)[REGISTRY] = registry;

/** The store's batched audit writer (one per store in this process). */
export function auditWriter(store: EngineStore): AuditWriter {
  let writer = registry.writers.get(store);
  if (!writer) {
    writer = new AuditWriter(store);
    registry.writers.set(store, writer);
  }
  return writer;
}

/** Rows queued in this process and not written yet. */
export function pendingAuditRows(): number {
  let pending = 0;
  for (const writer of registry.writers.values()) pending += writer.pending;
  return pending;
}

/** Writes what every writer holds; resolves when written or given up for now. */
export async function flushAllAudit(): Promise<void> {
  await Promise.all([...registry.writers.values()].map((writer) => writer.flush()));
}

/** Registers a step that queues rows summarising what was counted, run before the last write. */
export function beforeFinalFlush(hook: () => void): void {
  registry.exitHooks.push(hook);
}

/** At shutdown: queues the summaries, then writes everything. */
export async function finalFlush(): Promise<void> {
  for (const hook of registry.exitHooks) hook();
  await flushAllAudit();
}

// A process that exits without a shutdown path still hands its rows over: written synchronously
// on SQLite (on PostgreSQL the shutdown paths await `finalFlush` instead).
if (!registry.exitHandler) {
  registry.exitHandler = true;
  process.on("exit", () => {
    for (const hook of registry.exitHooks) hook();
    for (const writer of registry.writers.values()) writer.flushAtExit();
  });
}
