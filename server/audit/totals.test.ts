import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, contextFor, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { insertAuditRows } from "./test-rows";
import { auditTotals } from "./totals";

describe("auditTotals", () => {
  useFreshDatabase();

  it("sums calls, errors and tokens for the same filter as the list", async () => {
    await insertAuditRows(currentStore(), [
      { ts: 1000, user: "alice", llm: "a", status: 200, promptTokens: 10, completionTokens: 5, totalTokens: 15, costUsd: 0.25, priceSource: "table" },
      { ts: 2000, user: "alice", llm: "a", status: 200, error: "stream reset", promptTokens: 1, completionTokens: 1, totalTokens: 2, priceSource: "none" },
      { ts: 2500, user: "carol", llm: "c", status: 200, promptTokens: 4, completionTokens: 4, totalTokens: 8, costUsd: 0.5, priceSource: "llm" },
      { ts: 3000, user: "bob", llm: "a", status: 403 },
      { ts: 4000, user: "alice", llm: "b", status: 502 },
      { ts: 5000, event: "login", user: "alice", status: null },
    ]);
    expect(await auditTotals({ ctx: ADMIN_CONTEXT, input: {} })).toEqual({
      events: 6,
      calls: 5,
      errors: 3,
      promptTokens: 15,
      completionTokens: 10,
      totalTokens: 25,
      // The call with tokens but no price is counted apart, not as $0.
      costUsd: 0.75,
      unpricedCalls: 1,
    });
    expect(await auditTotals({ ctx: ADMIN_CONTEXT, input: { user: "carol" } })).toMatchObject({ costUsd: 0.5, unpricedCalls: 0 });
    expect(await auditTotals({ ctx: ADMIN_CONTEXT, input: { user: "alice", llm: "a" } })).toMatchObject({ events: 2, calls: 2, errors: 1, promptTokens: 11 });
    expect(await auditTotals({ ctx: ADMIN_CONTEXT, input: { statusClass: 4 } })).toMatchObject({ calls: 1, errors: 1 });
    expect(await auditTotals({ ctx: ADMIN_CONTEXT, input: { from: 2000, to: 4000 } })).toMatchObject({ events: 3, calls: 3 });
  });

  it("is zero on an empty log and forbidden without view:audit", async () => {
    expect(await auditTotals({ ctx: ADMIN_CONTEXT, input: {} })).toEqual({
      events: 0,
      calls: 0,
      errors: 0,
      promptTokens: 0,
      completionTokens: 0,
      totalTokens: 0,
      costUsd: 0,
      unpricedCalls: 0,
    });
    await expect(auditTotals({ ctx: contextFor("eve", []), input: {} })).rejects.toThrow("missing permission view:audit");
  });
});
