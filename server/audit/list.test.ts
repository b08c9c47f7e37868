import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, contextFor, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { listAudit } from "./list";
import { enqueueAuditRow, flushAudit } from "./writer";

describe("listAudit", () => {
  useFreshDatabase();

  it("pages newest first by time with a keyset cursor, even when ids and times disagree", () => {
    // Batched writes can store a later call before an earlier one.
    for (const [requestId, ts] of [
      ["b", 2000],
      ["a", 1000],
      ["d", 4000],
      ["c", 3000],
      ["e", 5000],
    ] as const) {
      enqueueAuditRow({ ts, event: "llm_inference_call", requestId, status: requestId === "c" ? 502 : 200, llm: "gpt", user: "alice" });
    }
    flushAudit();
    const first = listAudit({ ctx: ADMIN_CONTEXT, input: { limit: 2 } });
    expect(first.rows.map((row) => row.requestId)).toEqual(["e", "d"]);
    const second = listAudit({ ctx: ADMIN_CONTEXT, input: { limit: 2, before: first.nextCursor! } });
    expect(second.rows.map((row) => row.requestId)).toEqual(["c", "b"]);
    const third = listAudit({ ctx: ADMIN_CONTEXT, input: { limit: 2, before: second.nextCursor! } });
    expect(third.rows.map((row) => row.requestId)).toEqual(["a"]);
    expect(third.nextCursor).toBeNull();
    expect(listAudit({ ctx: ADMIN_CONTEXT, input: { statusClass: 5 } }).rows.map((row) => row.requestId)).toEqual(["c"]);
    expect(listAudit({ ctx: ADMIN_CONTEXT, input: { from: 2000, to: 4000 } }).rows.map((row) => row.requestId)).toEqual(["c", "b"]);
  });

  it("needs view:audit", () => {
    expect(() => listAudit({ ctx: contextFor("bob", [{ role: "run", resource: "llms", name: null }]), input: {} })).toThrow("missing permission view:audit");
  });
});
