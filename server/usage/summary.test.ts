import fs from "node:fs";
import path from "node:path";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { raw, rows, run } from "../../db/program";
import { REPO_ROOT } from "../../tests/helpers/paths";
import { INFERENCE_EVENT } from "../audit/types";
import { ADMIN_CONTEXT, contextFor, currentStore, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { insertAuditRows } from "../audit/test-rows";
import { DAY_MS, usageSummary } from "./summary";

const DAY = Date.UTC(2026, 10, 30);

describe("usageSummary", () => {
  useFreshDatabase();

  async function seed() {
    await insertAuditRows(currentStore(), [
      {
        ts: DAY + 1000,
        user: "alice",
        llm: "gpt",
        model: "gpt-4o",
        promptTokens: 100,
        completionTokens: 10,
        totalTokens: 110,
        costUsd: 0.5,
        priceSource: "table",
      },
      { ts: DAY + 2000, user: "bob", llm: "gpt", model: "gpt-4o", promptTokens: 50, completionTokens: 5, totalTokens: 55, costUsd: 0.25, priceSource: "table" },
      // The next UTC day; one call without a price, one without tokens (an error), one management event.
      {
        ts: DAY + DAY_MS + 5,
        user: "alice",
        llm: "claude",
        model: "claude-sonnet-4-5",
        promptTokens: 10,
        completionTokens: 1,
        totalTokens: 11,
        costUsd: 2,
        priceSource: "llm",
      },
      { ts: DAY + DAY_MS + 6, user: "alice", llm: "local", model: "llama3.2", promptTokens: 300, completionTokens: 30, totalTokens: 330, priceSource: "none" },
      { ts: DAY + DAY_MS + 7, user: "bob", llm: "gpt", status: 502, priceSource: "none" },
      { ts: DAY + DAY_MS + 8, event: "llm_created", user: "root", status: null },
      // Outside the range.
      { ts: DAY + 3 * DAY_MS, user: "alice", llm: "gpt", promptTokens: 1, completionTokens: 1, totalTokens: 2, costUsd: 100, priceSource: "table" },
    ]);
  }

  it("sums cost and tokens by UTC day, user and Llm, and lists what has no price", async () => {
    await seed();
    const summary = await usageSummary({ ctx: ADMIN_CONTEXT, input: { from: DAY, to: DAY + 2 * DAY_MS } });
    expect(summary.totals).toEqual({ calls: 5, promptTokens: 460, completionTokens: 46, totalTokens: 506, costUsd: 2.75, unpricedCalls: 1 });
    expect(summary.byDay).toEqual([
      { day: DAY, calls: 2, promptTokens: 150, completionTokens: 15, totalTokens: 165, costUsd: 0.75, unpricedCalls: 0 },
      { day: DAY + DAY_MS, calls: 3, promptTokens: 310, completionTokens: 31, totalTokens: 341, costUsd: 2, unpricedCalls: 1 },
    ]);
    // The largest spender first.
    expect(summary.byUser.map((row) => [row.user, row.costUsd, row.calls])).toEqual([
      ["alice", 2.5, 3],
      ["bob", 0.25, 2],
    ]);
    expect(summary.byLlm.map((row) => [row.llm, row.costUsd])).toEqual([
      ["claude", 2],
      ["gpt", 0.75],
      ["local", 0],
    ]);
    expect(summary.unpriced).toEqual([{ llm: "local", model: "llama3.2", calls: 1, totalTokens: 330 }]);
  });

  it("narrows to one user or Llm", async () => {
    await seed();
    const range = { from: DAY, to: DAY + 2 * DAY_MS };
    expect((await usageSummary({ ctx: ADMIN_CONTEXT, input: { ...range, user: "bob" } })).totals).toMatchObject({ calls: 2, costUsd: 0.25 });
    expect((await usageSummary({ ctx: ADMIN_CONTEXT, input: { ...range, llm: "gpt" } })).byUser.map((row) => row.user)).toEqual(["alice", "bob"]);
  });

  it("needs view:audit, and a range of at most a year that ends after it starts", async () => {
    await expect(usageSummary({ ctx: contextFor("eve", [{ role: "run", resource: "llms", name: null }]), input: { from: DAY, to: DAY + 1 } })).rejects.toThrow(
      "missing permission view:audit",
    );
    await expect(usageSummary({ ctx: ADMIN_CONTEXT, input: { from: DAY, to: DAY } })).rejects.toThrow(expect.objectContaining({ param: "to" }));
    await expect(usageSummary({ ctx: ADMIN_CONTEXT, input: { from: DAY - 400 * DAY_MS, to: DAY } })).rejects.toThrow(
      expect.objectContaining({ param: "from" }),
    );
    expect((await usageSummary({ ctx: ADMIN_CONTEXT, input: { from: DAY, to: DAY + DAY_MS } })).byDay).toEqual([]);
  });

  it("the daily rollup holds what the audit rows hold, and a range covers whole UTC days", async () => {
    await seed();
    const fromRollup = await usageSummary({ ctx: ADMIN_CONTEXT, input: { from: DAY + 12 * 3_600_000, to: DAY + DAY_MS + 1 } });
    // The same two days summed from the audit rows themselves.
    const [fromRows] = await currentStore().read(({ db, t }) =>
      rows(
        db
          .select({
            calls: sql<number>`count(*)`.mapWith(Number),
            totalTokens: sql<number>`sum(${t.auditEvents.totalTokens})`.mapWith(Number),
            costUsd: sql<number>`sum(${t.auditEvents.costUsd})`.mapWith(Number),
          })
          .from(t.auditEvents)
          .where(and(eq(t.auditEvents.event, INFERENCE_EVENT), gte(t.auditEvents.ts, DAY), lt(t.auditEvents.ts, DAY + 2 * DAY_MS))),
      ),
    );
    expect(fromRollup.totals).toMatchObject(fromRows!);
    expect(fromRollup.byDay.map((row) => row.day)).toEqual([DAY, DAY + DAY_MS]);
  });

  it("an upgraded database: the rollup's migration fills it from the audit rows already there", async () => {
    const store = currentStore();
    await seed();
    const expected = await usageSummary({ ctx: ADMIN_CONTEXT, input: { from: DAY, to: DAY + 2 * DAY_MS } });
    // As before the rollup existed: the audit rows alone.
    await store.write(({ db, t }) => run(db.delete(t.usageDaily)));
    expect((await usageSummary({ ctx: ADMIN_CONTEXT, input: { from: DAY, to: DAY + 2 * DAY_MS } })).totals.calls).toBe(0);
    const folder = path.join(REPO_ROOT, "db", store.engine, "migrations");
    const migration = fs.readFileSync(path.join(folder, fs.readdirSync(folder).find((name) => name.endsWith("_usage_daily.sql"))!), "utf8");
    const backfill = migration
      .split("--> statement-breakpoint")
      .map((statement) => statement.trim())
      .find((statement) => statement.startsWith("INSERT"))!;
    await store.write(() => raw(sql.raw(`${backfill.replace(/;$/, "")} RETURNING day`)));
    expect(await usageSummary({ ctx: ADMIN_CONTEXT, input: { from: DAY, to: DAY + 2 * DAY_MS } })).toEqual(expected);
  });

  it("pruning the audit log prunes the rollup's days with it", async () => {
    await seed();
    await currentStore().pruneAudit(DAY + DAY_MS);
    const summary = await usageSummary({ ctx: ADMIN_CONTEXT, input: { from: DAY, to: DAY + 4 * DAY_MS } });
    expect(summary.byDay.map((row) => row.day)).toEqual([DAY + DAY_MS, DAY + 3 * DAY_MS]);
  });
});
