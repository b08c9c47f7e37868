import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { one, rows as allRows } from "../../db/program";
import { openaiCompletion, sendJson, type FakeUpstream } from "../helpers/fake-upstream";
import type { RunningGateway, ServeMode } from "../helpers/gateway";
import { auditFor, grantAuditor, seededStore, useDataDir, type SeededTokens } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway } from "../helpers/seeded-gateway";
import { postTo } from "./requests";

const CALLS = 300;
const FULL_ROWS = 10;

/** What an unauthenticated caller can make the gateway keep: no metric series, no row or log line per call. */
describe.each<ServeMode>(["lean", "next"])("unauthenticated floods served by %s", (mode) => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let tokens: SeededTokens;
  let auditor = "";

  beforeAll(async () => {
    ({ upstream, gateway, tokens } = await startSeededGateway(mode, (_request, response) => sendJson(response, 200, openaiCompletion("ok")), {
      env: { GATEWAY_AUDIT_UNAUTHENTICATED_PER_MINUTE: String(FULL_ROWS) },
      beforeStart: async () => {
        auditor = await grantAuditor();
      },
    }));
  });
  afterAll(() => stopSeededGateway({ gateway, upstream }));

  const metrics = async (token: string) => (await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();

  it("names from unauthenticated or failed calls never become metric labels or audit names, and repeats are summarised", async () => {
    const first = await postTo(gateway.url, `/api/v1/llms/${"x".repeat(8000)}/infer`, { token: "gw_not-a-token" });
    expect(first.status).toBe(401);
    const [firstRow] = await auditFor(first.headers.get("x-request-id"));
    expect(firstRow).toMatchObject({ status: 401, llm: null, clientIp: "127.0.0.1" });
    for (let index = 1; index < CALLS; index += 1) {
      const response = await postTo(gateway.url, `/api/v1/llms/flood-${index}-${"y".repeat(40)}/infer`, { token: null });
      expect(response.status).toBe(401);
    }
    // A valid name the caller may run but that does not exist keeps its name in the row, not in a label.
    const missing = await postTo(gateway.url, "/api/v1/llms/no-such-llm/infer", { token: tokens.alice });
    expect(missing.status).toBe(404);
    const [missingRow] = await auditFor(missing.headers.get("x-request-id"));
    expect(missingRow!.llm).toBe("no-such-llm");
    const formula = await postTo(gateway.url, `/api/v1/llms/${encodeURIComponent(";=1+1;")}/infer`, { token: tokens.alice });
    expect(formula.status).toBe(404);
    expect((await auditFor(formula.headers.get("x-request-id")))[0]!.llm).toBeNull();

    const text = await metrics(auditor);
    expect(text).not.toContain("flood-");
    expect(text).not.toContain("no-such-llm");
    expect(text).not.toContain("xxxxxxxx");
    const series = text.split("\n").filter((line) => line.startsWith("gateway_inference_requests_total{"));
    expect(series.length).toBeLessThanOrEqual(3);

    await useDataDir(gateway.dataDir);
    const unauthenticated = () =>
      seededStore().read(({ db, t }) =>
        allRows(
          db
            .select()
            .from(t.auditEvents)
            .where(and(eq(t.auditEvents.event, "llm_inference_call"), eq(t.auditEvents.status, 401))),
        ),
      );
    await expect.poll(async () => (await unauthenticated()).length, { timeout: 10_000 }).toBe(FULL_ROWS);
    // The count of the others is written at the end of the minute, or when the server stops
    // (`next start` exits 143 on SIGTERM, after its exit handlers ran).
    expect([0, 143]).toContain(await gateway.stop());
    const rows = await unauthenticated();
    expect(rows).toHaveLength(FULL_ROWS + 1);
    expect(rows.slice(0, FULL_ROWS).every((row) => row.requestId !== null)).toBe(true);
    expect(rows[FULL_ROWS]).toMatchObject({ clientIp: "127.0.0.1", llm: null, requestId: null });
    expect(rows[FULL_ROWS]!.ts).toBeGreaterThanOrEqual(rows[FULL_ROWS - 1]!.ts);
    expect(rows[FULL_ROWS]!.ts).toBeLessThanOrEqual(Date.now());
    expect(rows[FULL_ROWS]!.error).toMatch(new RegExp(`^${CALLS - FULL_ROWS} more unauthenticated calls from this address since \\d{4}-`));
    // Log lines likewise: the full rows' calls only.
    expect(
      gateway
        .output()
        .split("\n")
        .filter((line) => line.includes('"status":401')).length,
    ).toBe(FULL_ROWS);
  });

  it("a /metrics denial is audited like any other", async () => {
    const restarted = await startSeededGateway(mode, (_request, response) => sendJson(response, 200, openaiCompletion("ok")));
    try {
      const denied = await fetch(`${restarted.gateway.url}/metrics`, { headers: { authorization: `Bearer ${restarted.tokens.bob}` } });
      expect(denied.status).toBe(403);
      expect(await denied.json()).toEqual({ error: { message: "missing permission view:audit", type: "permission_error", param: null, code: null } });
      await useDataDir(restarted.dataDir);
      const row = () =>
        seededStore().read(({ db, t }) =>
          one(
            db
              .select()
              .from(t.auditEvents)
              .where(and(eq(t.auditEvents.event, "permission_denied"), eq(t.auditEvents.user, "bob"))),
          ),
        );
      await expect.poll(async () => (await row())?.target, { timeout: 10_000 }).toBe("view:audit");
      expect((await row())!.clientIp).toBe("127.0.0.1");
    } finally {
      await stopSeededGateway(restarted);
    }
  });
});
