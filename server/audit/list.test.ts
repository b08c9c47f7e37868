import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, contextFor, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { listAudit } from "./list";
import { auditWriter } from "./writer";

describe("listAudit", () => {
  useFreshDatabase();

  it("pages newest first by time with a keyset cursor, even when ids and times disagree", async () => {
    // Batched writes can store a later call before an earlier one.
    for (const [requestId, ts] of [
      ["b", 2000],
      ["a", 1000],
      ["d", 4000],
      ["c", 3000],
      ["e", 5000],
    ] as const) {
      const api = requestId === "b" || requestId === "d" ? "messages" : "chat";
      auditWriter(currentStore()).enqueue({
        ts,
        event: "llm_inference_call",
        requestId,
        status: requestId === "c" ? 502 : 200,
        llm: "gpt",
        user: "alice",
        api,
      });
    }
    await auditWriter(currentStore()).flush();
    const first = await listAudit({ ctx: ADMIN_CONTEXT, input: { limit: 2 } });
    expect(first.rows.map((row) => row.requestId)).toEqual(["e", "d"]);
    const second = await listAudit({ ctx: ADMIN_CONTEXT, input: { limit: 2, before: first.nextCursor! } });
    expect(second.rows.map((row) => row.requestId)).toEqual(["c", "b"]);
    const third = await listAudit({ ctx: ADMIN_CONTEXT, input: { limit: 2, before: second.nextCursor! } });
    expect(third.rows.map((row) => row.requestId)).toEqual(["a"]);
    expect(third.nextCursor).toBeNull();
    expect((await listAudit({ ctx: ADMIN_CONTEXT, input: { statusClass: 5 } })).rows.map((row) => row.requestId)).toEqual(["c"]);
    expect((await listAudit({ ctx: ADMIN_CONTEXT, input: { from: 2000, to: 4000 } })).rows.map((row) => row.requestId)).toEqual(["c", "b"]);
    expect((await listAudit({ ctx: ADMIN_CONTEXT, input: { api: "messages" } })).rows.map((row) => row.requestId)).toEqual(["d", "b"]);
    await expect(listAudit({ ctx: ADMIN_CONTEXT, input: { api: "completions" as never } })).rejects.toThrow(/api/);
  });

  it("needs view:audit", async () => {
    await expect(listAudit({ ctx: contextFor("bob", [{ role: "run", resource: "llms", name: null }]), input: {} })).rejects.toThrow(
      "missing permission view:audit",
    );
  });
});
