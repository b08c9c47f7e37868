import { afterEach, describe, expect, it } from "vitest";
import { openaiCompletion, sendJson, type RecordedRequest } from "../helpers/fake-upstream";
import type { ServerResponse } from "node:http";
import { startSeededGateway, stopSeededGateway, type SeededGateway } from "../helpers/seeded-gateway";
import { auditFor } from "../helpers/seed";
import { expectOpenAIErrorBody, postTo } from "../security/requests";

/** Held open until the gateway lets go; everything else answers at once. */
function answer(request: RecordedRequest, response: ServerResponse) {
  if (JSON.stringify(request.json?.messages ?? "").includes("hold")) return;
  sendJson(response, 200, openaiCompletion("ok"));
}

/** One caller holding many slow calls must not stall the others. */
describe("starvation", () => {
  let seeded: SeededGateway | null = null;
  const held: AbortController[] = [];
  afterEach(async () => {
    for (const controller of held.splice(0)) controller.abort();
    if (seeded) await stopSeededGateway(seeded);
    seeded = null;
  });

  const hold = (token: string, llm: string) => {
    const controller = new AbortController();
    held.push(controller);
    void postTo(seeded!.gateway.url, `/api/v1/llms/${llm}/infer`, {
      token,
      body: { messages: [{ role: "user", content: "hold" }] },
      signal: controller.signal,
    }).catch(() => undefined);
  };
  const holding = () => seeded!.upstream.requests.filter((request) => JSON.stringify(request.json).includes("hold")).length;

  it("300 calls held on one Llm leave the connections of another Llm on the same origin free", async () => {
    seeded = await startSeededGateway("lean", answer, { env: { GATEWAY_USER_MAX_CONCURRENCY: "1000" } });
    for (let index = 0; index < 300; index += 1) hold(seeded.tokens.alice, "gpt");
    // The held Llm's pool is full (256 connections); the rest of its calls wait in its own queue.
    await expect.poll(holding, { timeout: 20_000 }).toBe(256);
    const other = await postTo(seeded.gateway.url, "/api/v1/llms/local/infer", { token: seeded.tokens.alice });
    expect(other.status).toBe(200);
  });

  it("a user at the concurrency cap gets a 429 that is audited and never sent upstream; other users go on", async () => {
    seeded = await startSeededGateway("lean", answer, { env: { GATEWAY_USER_MAX_CONCURRENCY: "2" } });
    hold(seeded.tokens.alice, "gpt");
    hold(seeded.tokens.alice, "local");
    await expect.poll(holding, { timeout: 10_000 }).toBe(2);
    const before = seeded.upstream.requests.length;
    const refused = await postTo(seeded.gateway.url, "/api/v1/llms/gpt/infer", { token: seeded.tokens.alice });
    expect(refused.headers.get("retry-after")).toBe("1");
    const body = await expectOpenAIErrorBody(
      refused,
      429,
      "rate_limit_error",
      "Too many concurrent calls: user 'alice' has 2 in flight (GATEWAY_USER_MAX_CONCURRENCY)",
    );
    expect(body.error.code).toBe("concurrency_limit_exceeded");
    expect((await auditFor(refused.headers.get("x-request-id")))[0]).toMatchObject({ status: 429, user: "alice", llm: "gpt" });
    expect(seeded.upstream.requests.length).toBe(before);
    expect((await postTo(seeded.gateway.url, "/api/v1/llms/gpt/infer", { token: seeded.tokens.bob })).status).toBe(200);
    // A call that ends (here: its client leaves) gives its slot back.
    for (const controller of held.splice(0)) controller.abort();
    await expect
      .poll(async () => (await postTo(seeded!.gateway.url, "/api/v1/llms/gpt/infer", { token: seeded!.tokens.alice })).status, { timeout: 10_000 })
      .toBe(200);
  });
});
