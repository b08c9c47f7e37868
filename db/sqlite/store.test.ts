import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditWriter, MAX_PENDING_AUDIT_ROWS } from "../../server/audit/writer";
import { auditRowsDropped } from "../../server/ops/metrics";
import { REPO_ROOT } from "../../tests/helpers/paths";
import { raw, rows } from "../program";
import type { EngineStore } from "../store";
import { openSqliteStore } from "./store";

describe("the SQLite store's writes shared with other processes", () => {
  let dir = "";
  let store: EngineStore;
  const file = () => path.join(dir, "gateway.db");

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-sqlite-store-"));
    store = openSqliteStore({ file: file(), appRoot: REPO_ROOT, busyTimeoutMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Another process's connection that gives up at once instead of waiting for the lock. */
  function otherProcess() {
    const connection = new Database(file());
    connection.pragma("busy_timeout = 0");
    return connection;
  }

  it("a configuration change holds the write lock from its first statement", async () => {
    const other = otherProcess();
    let otherWrite: unknown = null;
    await store.change(function* () {
      yield* raw(sql`SELECT count(*) AS n FROM users`);
      // Had the change only read so far (a deferred transaction), this write would succeed and the
      // change's own write would then fail with SQLITE_BUSY; holding the lock, it is the other that waits.
      try {
        other.prepare("INSERT INTO config_version (id, version) VALUES (1, 100) ON CONFLICT(id) DO UPDATE SET version = version + 100").run();
      } catch (error) {
        otherWrite = error;
      }
    });
    expect((otherWrite as { code?: string } | null)?.code).toBe("SQLITE_BUSY");
    other.close();
  });

  it("an audit flush that cannot get the lock keeps its rows and writes them on the next try", async () => {
    const other = otherProcess();
    other.exec("BEGIN IMMEDIATE");
    const writer = auditWriter(store);
    writer.enqueue({ ts: Date.now(), event: "llm_inference_call", requestId: "kept-1", status: 200, streaming: false });
    await writer.flush();
    expect(writer.pending).toBe(1);
    other.exec("ROLLBACK");
    other.close();
    await writer.flush();
    expect(writer.pending).toBe(0);
    const kept = await store.read(({ db, t }) => rows(db.select().from(t.auditEvents).where(eq(t.auditEvents.requestId, "kept-1"))));
    expect(kept).toHaveLength(1);
  });

  it("while the database cannot be written, audit rows wait up to the bound; the oldest beyond it are dropped and counted", async () => {
    const other = otherProcess();
    other.exec("BEGIN IMMEDIATE");
    const writer = auditWriter(store);
    const droppedBefore = (await auditRowsDropped.get()).values.find((value) => value.labels.reason === "overflow")?.value ?? 0;
    for (let index = 0; index < MAX_PENDING_AUDIT_ROWS + 1500; index += 1) {
      writer.enqueue({ ts: index, event: "llm_inference_call", requestId: `r${index}`, status: 200 });
    }
    await writer.flush();
    expect(writer.pending).toBeLessThanOrEqual(MAX_PENDING_AUDIT_ROWS);
    const dropped = ((await auditRowsDropped.get()).values.find((value) => value.labels.reason === "overflow")?.value ?? 0) - droppedBefore;
    expect(dropped).toBeGreaterThanOrEqual(1500);
    other.exec("ROLLBACK");
    other.close();
    await writer.flush();
    expect(writer.pending).toBe(0);
    const written = await store.read(() => raw<{ n: number; oldest: number }>(sql`SELECT count(*) AS n, min(ts) AS oldest FROM audit_events`));
    // Every row was either written or counted as dropped, and the dropped ones were the oldest.
    expect(written[0]!.n + dropped).toBe(MAX_PENDING_AUDIT_ROWS + 1500);
    expect(written[0]!.oldest).toBe(dropped);
  });

  it("sees another process's configuration change at the next check", async () => {
    let rebuilt = 0;
    store.onChange(async () => {
      rebuilt += 1;
    });
    const before = store.version;
    const other = otherProcess();
    other.prepare("INSERT INTO config_version (id, version) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET version = version + 1").run();
    other.close();
    await store.checkChanges();
    expect(store.version).toBe(before + 1);
    expect(rebuilt).toBe(1);
  });
});
