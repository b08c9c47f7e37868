import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, contextFor, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { auditHourly, HOUR_MS } from "./hourly";
import { insertAuditRows } from "./test-rows";

describe("auditHourly", () => {
  useFreshDatabase();
  const base = Date.UTC(2025, 0, 1, 10);

  it("counts inference calls per hour by status class, for the filter", async () => {
    await insertAuditRows(currentStore(), [
      { ts: base + 1, status: 200, user: "alice" },
      { ts: base + 2, status: 499, user: "alice" },
      { ts: base + 3, status: 502, user: "bob" },
      { ts: base + HOUR_MS + 5, status: 201, user: "alice" },
      { ts: base + HOUR_MS + 6, status: null, user: "alice" },
      { ts: base + 7, event: "login", status: null, user: "alice" },
    ]);
    const result = await auditHourly({ ctx: ADMIN_CONTEXT, input: { from: base, to: base + 2 * HOUR_MS } });
    expect(result).toEqual({
      from: base,
      to: base + 2 * HOUR_MS,
      hours: [
        { hour: base, ok: 1, clientError: 1, serverError: 1, other: 0 },
        { hour: base + HOUR_MS, ok: 1, clientError: 0, serverError: 0, other: 1 },
      ],
    });
    expect((await auditHourly({ ctx: ADMIN_CONTEXT, input: { from: base, to: base + 2 * HOUR_MS, user: "bob" } })).hours).toEqual([
      { hour: base, ok: 0, clientError: 0, serverError: 1, other: 0 },
    ]);
  });

  it("defaults to the last 7 days in whole hours and caps long ranges", async () => {
    const now = base + 30 * 60 * 1000;
    const recent = await auditHourly({ ctx: ADMIN_CONTEXT, input: {}, now });
    expect(recent.to).toBe(base + HOUR_MS);
    expect(recent.to - recent.from).toBe(7 * 24 * HOUR_MS);
    const capped = await auditHourly({ ctx: ADMIN_CONTEXT, input: { from: 0 }, now });
    expect(capped.to - capped.from).toBe(92 * 24 * HOUR_MS);
  });

  it("is forbidden without view:audit", async () => {
    await expect(auditHourly({ ctx: contextFor("eve", [{ role: "view", resource: "llms", name: null }]), input: {} })).rejects.toThrow(
      "missing permission view:audit",
    );
  });
});
