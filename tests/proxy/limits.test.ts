import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLimit } from "../../server/limits/create";
import { removeLimit } from "../../server/limits/remove";
import { openaiCompletion, sendJson, sleep } from "../helpers/fake-upstream";
import { startGateway, type RunningGateway } from "../helpers/gateway";
import { auditFor, operator } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway, type SeededGateway } from "../helpers/seeded-gateway";

// The shortest lease there is (four syncs): the gateway started after the kill counts the dead one's room free after it.
const LEASE_MS = 1000;

describe("limits through the HTTP API", () => {
  let seeded: SeededGateway;
  let restarted: RunningGateway | null = null;

  beforeAll(async () => {
    seeded = await startSeededGateway("lean", async (request, response) => {
      if (JSON.stringify(request.json?.messages).includes("hold")) return void (await request.closed);
      sendJson(response, 200, openaiCompletion("ok", "gpt-4o"));
    });
  });
  afterAll(async () => {
    await restarted?.stop();
    await stopSeededGateway(seeded);
  });

  /** Waits until a limit created in this process is in force in the gateway (it reloads on the change). */
  async function inForce(probe: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await probe())) {
      if (Date.now() > deadline) throw new Error("the gateway never applied the limit");
      await sleep(20);
    }
  }

  it("the OpenAI SDK reads the rate-limit headers, and a refusal as RateLimitError with Retry-After; nothing reaches the provider", async () => {
    const created = await createLimit({ ctx: operator(), input: { scope: { user: "bob" }, metric: "requests", window: "day", max: 3 } });
    const sdk = new OpenAI({ apiKey: seeded.tokens.bob, baseURL: `${seeded.gateway.url}/api/v1/llms/gpt`, maxRetries: 0 });
    const ask = () => sdk.chat.completions.create({ model: "gpt", messages: [{ role: "user", content: "hi" }] }).withResponse();
    // Calls before the gateway loaded the limit are not counted; the first that shows its header is.
    let admitted = 0;
    await inForce(async () => {
      const { response } = await ask();
      admitted = response.headers.get("x-ratelimit-limit-requests") === "3" ? 1 : 0;
      return admitted === 1;
    });
    let last: Headers | null = null;
    while (admitted < 3) {
      last = (await ask()).response.headers;
      admitted += 1;
    }
    if (last) expect(last.get("x-ratelimit-remaining-requests")).toBe("0");
    const beforeRefusal = seeded.upstream.requests.length;
    const refused = await ask().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const error = refused as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.status).toBe(429);
    expect(error.type).toBe("rate_limit_exceeded");
    expect(error.code).toBe("rate_limit_exceeded");
    expect(error.message).toContain("Limit reached: user bob: requests per day ≤ 3");
    const retryAfter = Number(error.headers?.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(error.headers?.get("x-ratelimit-limit-requests")).toBe("3");
    expect(error.headers?.get("x-ratelimit-remaining-requests")).toBe("0");
    expect(seeded.upstream.requests.length, "the refused call never reached the provider").toBe(beforeRefusal);
    const [row] = await auditFor(error.headers?.get("x-request-id") ?? null);
    expect(row).toMatchObject({ status: 429, user: "bob", error: error.message.replace(/^429 /, "") });
    await removeLimit({ ctx: operator(), input: { id: created.id } });
  });

  it("a gateway killed with a call open: its concurrency slot comes back by expiry, to the gateway started after it", async () => {
    const created = await createLimit({ ctx: operator(), input: { scope: { user: "alice" }, metric: "concurrent", max: 1 } });
    const body = (content: string) => JSON.stringify({ messages: [{ role: "user", content }] });
    const post = (gateway: RunningGateway, content: string, signal?: AbortSignal) =>
      fetch(`${gateway.url}/api/v1/llms/gpt/infer`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${seeded.tokens.alice}` },
        body: body(content),
        signal,
      });
    // Hold the one slot, once the gateway has loaded the limit (a second call is refused then).
    await inForce(async () => {
      const holder = new AbortController();
      const held = seeded.upstream.requests.length;
      void post(seeded.gateway, "hold", holder.signal).catch(() => undefined);
      while (seeded.upstream.requests.length === held) await sleep(5);
      if ((await post(seeded.gateway, "probe")).status === 429) return true;
      holder.abort();
      return false;
    });
    const killedAt = Date.now();
    expect(await seeded.gateway.stop("SIGKILL")).toBeNull();
    // Whether a replica's room still counts is judged by the one asking, against its own lease:
    // a gateway with a long lease finds the dead one's slot still held...
    const patient = await startGateway({ mode: "lean", dataDir: seeded.dataDir, env: { GATEWAY_LIMIT_LEASE_MS: "600000" } });
    const held = await post(patient, "probe");
    expect(held.status).toBe(429);
    expect(held.headers.get("retry-after")).toBe("1");
    expect(await patient.stop()).toBe(0);
    // ...and one whose lease is shorter than the time since the kill finds it free.
    restarted = await startGateway({ mode: "lean", dataDir: seeded.dataDir, env: { GATEWAY_LIMIT_LEASE_MS: String(LEASE_MS) } });
    while (Date.now() - killedAt <= LEASE_MS) await sleep(50);
    expect((await post(restarted, "probe")).status).toBe(200);
    await removeLimit({ ctx: operator(), input: { id: created.id } });
  });
});
