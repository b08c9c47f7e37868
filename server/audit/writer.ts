import type { Store } from "../../db/store";
import { log } from "../ops/log";
import type { NewAuditRow } from "./types";

// Inference rows and token last-use times are written in batches off the hot path: one
// transaction per flush, scheduled shortly after the first pending write.
const FLUSH_DELAY_MS = 50;
const MAX_BATCH = 1000;
const TOKEN_USE_RESOLUTION_MS = 60_000;

class AuditWriter {
  private pendingRows: NewAuditRow[] = [];
  private readonly pendingTokenUse = new Map<number, number>();
  private readonly lastRecordedTokenUse = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly store: Store) {}

  enqueue(row: NewAuditRow): void {
    this.pendingRows.push(row);
    if (this.pendingRows.length >= MAX_BATCH) void this.flush();
    else this.schedule();
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
    if (this.pendingRows.length === 0 && this.pendingTokenUse.size === 0) return Promise.resolve();
    const rows = this.pendingRows;
    const tokenUse = [...this.pendingTokenUse];
    this.pendingRows = [];
    this.pendingTokenUse.clear();
    const flushing = this.store.insertAuditBatch(rows, tokenUse).then(
      () => {
        this.flushing = null;
      },
      (error: unknown) => {
        this.flushing = null;
        this.pendingRows = rows.concat(this.pendingRows);
        for (const [tokenId, usedAt] of tokenUse) if (!this.pendingTokenUse.has(tokenId)) this.pendingTokenUse.set(tokenId, usedAt);
        log.error({ msg: "audit write failed; retrying", rows: rows.length, error: error instanceof Error ? error.message : String(error) });
        this.schedule();
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

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), FLUSH_DELAY_MS);
    this.timer.unref();
  }
}

// Shared through globalThis: under `next start` the route files and instrumentation each load
// their own copy of this module, and the exit path must reach every writer.
interface Registry {
  writers: Map<Store, AuditWriter>;
  exitHooks: Array<() => void>;
  exitHandler: boolean;
}
const REGISTRY = Symbol.for("llm-gateway.audit-writers");
const registry: Registry = ((globalThis as Record<symbol, unknown>)[REGISTRY] as Registry | undefined) ?? {
  writers: new Map(),
  exitHooks: [],
  exitHandler: false,
};
(globalThis as Record<symbol, unknown>)[REGISTRY] = registry;

/** The store's batched audit writer (one per store in this process). */
export function auditWriter(store: Store): AuditWriter {
  let writer = registry.writers.get(store);
  if (!writer) {
    writer = new AuditWriter(store);
    registry.writers.set(store, writer);
  }
  return writer;
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
