import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openaiCompletion, openaiStreamFrames, sendJson, sendSse, type FakeUpstream, type Handler } from "../helpers/fake-upstream";
import type { RunningGateway, ServeMode } from "../helpers/gateway";
import { auditFor, grantAuditor, useDataDir, type SeededTokens } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway } from "../helpers/seeded-gateway";

const slowStreams: Handler = (request, response) => {
  if (request.json?.stream)
    return sendSse(
      response,
      openaiStreamFrames(
        request,
        Array.from({ length: 30 }, (_, index) => `t${index} `),
      ),
      { delayMs: 50 },
    );
  return sendJson(response, 200, openaiCompletion("ok"));
};

describe.each<ServeMode>(["lean", "next"])("metrics and headers served by %s", (mode) => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let tokens: SeededTokens;
  let auditor = "";

  beforeAll(async () => {
    ({ upstream, gateway, tokens } = await startSeededGateway(mode, (_request, response) => sendJson(response, 200, openaiCompletion("ok")), {
      beforeStart: async () => {
        auditor = await grantAuditor();
      },
    }));
  });
  afterAll(() => stopSeededGateway({ gateway, upstream }));

  it("/metrics needs a bearer token with view:audit and counts calls, tokens and overhead", async () => {
    expect((await fetch(`${gateway.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${tokens.alice}` } })).status).toBe(403);
    const call = await fetch(`${gateway.url}/api/v1/llms/gpt/infer`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    expect(call.status).toBe(200);
    // Ollama has no default price: its usage is counted as unpriced, its cost is unknown.
    const unpriced = await fetch(`${gateway.url}/api/v1/llms/local/infer`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    expect(unpriced.status).toBe(200);
    expect((await auditFor(unpriced.headers.get("x-request-id")))[0]).toMatchObject({ totalTokens: 12, costUsd: null, priceSource: "none" });
    const response = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${auditor}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toMatch(/gateway_inference_requests_total\{llm="gpt",status="200",api="chat"\} 1/);
    expect(text).toMatch(/gateway_tokens_total\{llm="gpt",kind="prompt"\} 9/);
    expect(Number(/gateway_cost_usd_total\{llm="gpt"\} (\S+)/.exec(text)?.[1])).toBeCloseTo((9 * 2.5 + 3 * 10) / 1e6, 12);
    expect(text).toMatch(/gateway_unpriced_calls_total\{llm="local"\} 1/);
    expect(text).not.toMatch(/gateway_unpriced_calls_total\{llm="gpt"\}/);
    expect(text).toMatch(/gateway_overhead_seconds_count 2/);
    expect(text).toMatch(/gateway_upstream_ttft_seconds_count\{llm="gpt"\} 1/);
    expect(text).toContain("gateway_active_streams 0");
    expect(text).not.toContain(tokens.alice);
  });

  it("console pages carry the security headers and no permissive CORS", async () => {
    const response = await fetch(`${gateway.url}/login`, { headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await fetch(`${gateway.url}/api/v1/llms/gpt/infer`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST", "access-control-request-headers": "x-gateway-csrf" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    expect(preflight.headers.get("access-control-allow-headers")).toBeNull();
  });
});

describe("graceful shutdown", () => {
  it.each<ServeMode>(["lean", "next"])("served by %s, writes the pending audit row and log line of a call made just before SIGTERM", async (mode) => {
    const { upstream, gateway, tokens, dataDir } = await startSeededGateway(mode, slowStreams);
    const response = await fetch(`${gateway.url}/api/v1/llms/gpt/infer`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(200);
    const requestId = response.headers.get("x-request-id");
    await gateway.stop("SIGTERM");
    await useDataDir(dataDir);
    expect(await auditFor(requestId, 0)).toHaveLength(1);
    expect(gateway.output()).toContain(`"requestId":"${requestId}"`);
    await upstream.close();
  });

  it("finishes live streams, refuses new connections, flushes the audit and exits 0", async () => {
    const { upstream, gateway, tokens, dataDir } = await startSeededGateway("lean", slowStreams, { env: { GATEWAY_SHUTDOWN_GRACE_MS: "20000" } });
    const streams = await Promise.all(
      [0, 1, 2].map(() =>
        fetch(`${gateway.url}/api/v1/llms/gpt/infer`, {
          method: "POST",
          headers: { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" },
          body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], stream: true }),
        }),
      ),
    );
    const exited = gateway.stop("SIGTERM");
    const texts = await Promise.all(streams.map((response) => response.text()));
    for (const text of texts) {
      expect(text).toContain("t29 ");
      expect(text.trim().endsWith("data: [DONE]")).toBe(true);
    }
    await expect(fetch(`${gateway.url}/api/health`)).rejects.toThrow();
    expect(await exited).toBe(0);
    await useDataDir(dataDir);
    for (const response of streams) {
      const rows = await auditFor(response.headers.get("x-request-id"), 100);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 200, streaming: true, completionTokens: 30 });
    }
    await upstream.close();
  });

  it("cuts streams still running after the grace period, audits them, and exits 0", async () => {
    const { upstream, gateway, tokens, dataDir } = await startSeededGateway("lean", slowStreams, { env: { GATEWAY_SHUTDOWN_GRACE_MS: "300" } });
    const response = await fetch(`${gateway.url}/api/v1/llms/gpt/infer`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], stream: true }),
    });
    const reading = response.text().catch(() => "cut");
    expect(await gateway.stop("SIGTERM")).toBe(0);
    expect(await reading).not.toContain("[DONE]");
    await useDataDir(dataDir);
    const rows = await auditFor(response.headers.get("x-request-id"), 100);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe(499);
    await upstream.close();
  });
});
