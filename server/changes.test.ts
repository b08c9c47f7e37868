import path from "node:path";
import Database from "better-sqlite3";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { useFreshDatabase } from "../tests/helpers/fresh-db";
import { getDb } from "../db/client";
import { auditEvents } from "../db/schema";
import { enqueueAuditRow, flushAudit, pendingAuditRows } from "./audit/writer";
import { runConfigChange } from "./changes";

describe("writes shared with other processes", () => {
  const { dataDir } = useFreshDatabase();

  /** Another process's connection that gives up at once instead of waiting for the lock. */
  function otherProcess() {
    const connection = new Database(path.join(dataDir(), "gateway.db"));
    connection.pragma("busy_timeout = 0");
    return connection;
  }

  it("a configuration change holds the write lock from its first statement", () => {
    const other = otherProcess();
    let otherWrite: unknown = null;
    runConfigChange((tx) => {
      tx.get(sql`SELECT count(*) FROM users`);
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

  it("an audit flush that cannot get the lock keeps its rows and writes them on the next try", () => {
    const other = otherProcess();
    other.exec("BEGIN IMMEDIATE");
    getDb().$client.pragma("busy_timeout = 0");
    enqueueAuditRow({ ts: Date.now(), event: "llm_inference_call", requestId: "kept-1", status: 200, streaming: false });
    flushAudit();
    expect(pendingAuditRows()).toBe(1);
    other.exec("ROLLBACK");
    other.close();
    flushAudit();
    expect(pendingAuditRows()).toBe(0);
    expect(getDb().select().from(auditEvents).where(eq(auditEvents.requestId, "kept-1")).all()).toHaveLength(1);
  });
});
