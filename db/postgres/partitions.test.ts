import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertAuditRows } from "../../server/audit/test-rows";
import { pruneAuditRows } from "../../server/audit/prune";
import { TEST_ENGINE } from "../../tests/helpers/engine";
import { currentStore, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { raw } from "../program";

describe.runIf(TEST_ENGINE === "postgres")("the audit log's monthly partitions", () => {
  useFreshDatabase();

  const partitions = async () =>
    (
      await currentStore().read(() =>
        raw<{ name: string }>(
          sql`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_events'::regclass ORDER BY 1`,
        ),
      )
    ).map((row) => row.name);

  it("puts each row in its month, and retention drops whole months", async () => {
    const store = currentStore();
    const now = Date.UTC(2026, 11, 4);
    await store.ensureAuditRange(Date.UTC(2026, 5, 15));
    await insertAuditRows(store, [
      { ts: Date.UTC(2026, 5, 20), requestId: "june" },
      { ts: Date.UTC(2026, 6, 20), requestId: "july" },
      { ts: Date.UTC(2026, 8, 10), requestId: "september" },
      { ts: Date.UTC(2026, 11, 1), requestId: "december" },
    ]);
    const placed = await store.read(() =>
      raw<{ part: string; request: string }>(sql`SELECT tableoid::regclass::text AS part, request_id AS request FROM audit_events ORDER BY ts`),
    );
    expect(placed).toEqual([
      { part: "audit_events_2026_06", request: "june" },
      { part: "audit_events_2026_07", request: "july" },
      { part: "audit_events_2026_09", request: "september" },
      { part: "audit_events_2026_12", request: "december" },
    ]);
    // 90 days before 4 December 2026 is 5 September: June, July and August end before it.
    expect(await pruneAuditRows(store, now)).toEqual({ deleted: 2 });
    const left = await partitions();
    expect(left).not.toContain("audit_events_2026_06");
    expect(left).not.toContain("audit_events_2026_07");
    expect(left).not.toContain("audit_events_2026_08");
    expect(left).toEqual(expect.arrayContaining(["audit_events_2026_09", "audit_events_2026_12", "audit_events_default"]));
    const kept = await store.read(() => raw<{ request: string }>(sql`SELECT request_id AS request FROM audit_events ORDER BY ts`));
    expect(kept.map((row) => row.request)).toEqual(["september", "december"]);
  });
});
