import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openaiCompletion, sendJson, type FakeUpstream } from "../helpers/fake-upstream";
import type { RunningGateway, ServeMode } from "../helpers/gateway";
import { auditFor, type SeededTokens } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway } from "../helpers/seeded-gateway";
import { managedData } from "./data-snapshot";
import { expectOpenAIError, postTo, rawRequest, sendChunkedUntilAnswered } from "./requests";

const MAX_BODY = 5 * 1024 * 1024;
const DEPTH = 100_000;
const ANTHROPIC_MESSAGE = {
  id: "msg_1",
  type: "message",
  role: "assistant",
  model: "claude-x",
  content: [{ type: "text", text: "ok" }],
  stop_reason: "end_turn",
  usage: { input_tokens: 1, output_tokens: 1 },
};

// Path segments as they go on the wire: traversal (plain, encoded, double-encoded), SQL, control and unicode characters.
const HOSTILE_SEGMENTS = [
  "..%2F..%2Fhealth",
  "%2e%2e%2f",
  "%252e%252e%252f",
  "a%2Fb",
  "a%5Cb",
  "'%20OR%201=1%20--",
  "%22;%20DROP%20TABLE%20users;%20--",
  "%00%0a%1b",
  "%E2%80%AEgpt",
  "%F0%9F%98%80",
  "x".repeat(4000),
];

describe.each<ServeMode>(["lean", "next"])("hostile input to the inference API served by %s", (mode) => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let tokens: SeededTokens;
  let dataDir = "";

  beforeAll(async () => {
    ({ upstream, gateway, tokens, dataDir } = await startSeededGateway(
      mode,
      (request, response) => sendJson(response, 200, request.url.endsWith("/messages") ? ANTHROPIC_MESSAGE : openaiCompletion("ok")),
      { env: { GATEWAY_MAX_BODY_BYTES: String(MAX_BODY) } },
    ));
  });
  afterAll(() => stopSeededGateway({ gateway, upstream }));

  const infer = (options: Parameters<typeof postTo>[2] = {}) => postTo(gateway.url, "/api/v1/llms/gpt/infer", { token: tokens.alice, ...options });

  it("a body that is not one JSON object is a 400 and never reaches the upstream", async () => {
    const before = upstream.requests.length;
    const notUtf8 = new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]);
    for (const raw of ["", "null", "[]", '"messages"', "12", '{"messages":[{"role":"user","content":"x"}]} trailing', notUtf8])
      await expectOpenAIError(await infer({ raw }), 400, "invalid_request_error");
    expect(upstream.requests.length).toBe(before);
  });

  it("every content type but JSON is a 415, including a form post and no content type at all", async () => {
    for (const type of ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain", "application/jsonx", "text/json"])
      await expectOpenAIError(await infer({ headers: { "content-type": type } }), 415, "invalid_request_error");
    const bare = await rawRequest(
      gateway.url,
      "POST",
      "/api/v1/llms/gpt/infer",
      { authorization: `Bearer ${tokens.alice}` },
      '{"messages":[{"role":"user","content":"x"}]}',
    );
    expect(bare.status).toBe(415);
    expect(JSON.parse(bare.body)).toMatchObject({ error: { type: "invalid_request_error" } });
  });

  it("hundreds of thousands of tiny messages are a quick 400, not seconds of the event loop", async () => {
    const before = upstream.requests.length;
    const messages = Array.from({ length: 100_000 }, () => ({ role: "user", content: "x" }));
    await expectOpenAIError(
      await infer({ body: { messages } }),
      400,
      "invalid_request_error",
      "messages: at most 10000 items per request (this one has 100000)",
    );
    expect(upstream.requests.length).toBe(before);
    // Still served at once afterwards.
    expect((await infer()).status).toBe(200);
  });

  it("a chunked body over the limit (no Content-Length to trust) is a 413", async () => {
    const before = upstream.requests.length;
    const response = await sendChunkedUntilAnswered(
      gateway.url,
      "/api/v1/llms/gpt/infer",
      { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" },
      MAX_BODY * 2,
    );
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ error: { type: "request_too_large" } });
    const [row] = await auditFor(String(response.headers["x-request-id"]));
    expect(row!.status).toBe(413);
    expect(upstream.requests.length).toBe(before);
  });

  it.each([
    ["arrays", "[".repeat(DEPTH) + "]".repeat(DEPTH)],
    ["objects", `${'{"a":'.repeat(DEPTH)}1${"}".repeat(DEPTH)}`],
  ])("100k nested %s are a quick 400, not a crash or a hang", async (_kind, nested) => {
    for (const llm of ["gpt", "claude"]) {
      const raw = `{"messages":[{"role":"user","content":${nested}}]}`;
      const response = await postTo(gateway.url, `/api/v1/llms/${llm}/infer`, { token: tokens.alice, raw });
      await expectOpenAIError(response, 400, "invalid_request_error", /nested deeper/);
    }
    expect((await fetch(`${gateway.url}/api/health`)).status).toBe(200);
  });

  it("a string just under the body limit is forwarded whole", async () => {
    const content = "\u00e9\u{1F600}\u0000\u202e".repeat(Math.floor((MAX_BODY - 1024) / 16));
    const response = await infer({ body: { messages: [{ role: "user", content }] } });
    expect(response.status).toBe(200);
    expect((upstream.requests.at(-1)!.json!.messages as Array<{ content: string }>)[0]!.content).toBe(content);
  });

  it.each(["gpt", "claude"])("nearly 10k messages (the most one request may carry) go to %s in one clean call", async (llm) => {
    const messages = Array.from({ length: 9_998 }, (_, index) => ({ role: index % 2 ? "assistant" : "user", content: `m${index}` }));
    messages.push({ role: "user", content: "last" });
    const response = await postTo(gateway.url, `/api/v1/llms/${llm}/infer`, { token: tokens.alice, body: { messages } });
    expect(response.status).toBe(200);
    const sent = upstream.requests.at(-1)!.json!.messages as Array<{ content: unknown }>;
    expect(sent).toHaveLength(messages.length);
    expect(JSON.stringify(sent.at(-1))).toContain("last");
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ status: 200, llm });
  });

  it("hostile {name} segments get a clean OpenAI 404 (may run all) or 403 (may run gpt only), audited, data untouched", async () => {
    const before = await managedData(dataDir);
    const upstreamCalls = upstream.requests.length;
    for (const segment of HOSTILE_SEGMENTS) {
      for (const [token, status] of [
        [tokens.alice, 404],
        [tokens.bob, 403],
      ] as const) {
        const response = await rawRequest(
          gateway.url,
          "POST",
          `/api/v1/llms/${segment}/infer`,
          { authorization: `Bearer ${token}`, "content-type": "application/json" },
          '{"messages":[{"role":"user","content":"x"}]}',
        );
        expect(response.status, segment).toBe(status);
        expect(JSON.parse(response.body)).toMatchObject({ error: { type: status === 404 ? "not_found_error" : "permission_error" } });
        const [row] = await auditFor(String(response.headers["x-request-id"]));
        expect(row).toMatchObject({ event: "llm_inference_call", status });
      }
    }
    for (const model of ["' OR 1=1 --", '"; DROP TABLE users; --', "../claude", "gpt\u0000"]) {
      await expectOpenAIError(
        await postTo(gateway.url, "/api/v1/chat/completions", { token: tokens.bob, body: { model, messages: [{ role: "user", content: "x" }] } }),
        403,
        "permission_error",
      );
    }
    expect(upstream.requests.length).toBe(upstreamCalls);
    expect(await managedData(dataDir)).toEqual(before);
  });

  it("traversal out of {name} never reaches another llm or route with the caller's rights", async () => {
    const upstreamCalls = upstream.requests.length;
    for (const path of [
      "/api/v1/llms/gpt/../claude/infer",
      "/api/v1/llms/gpt%2F..%2Fclaude/infer",
      "/api/v1/llms/..%2Fclaude/infer",
      "/api/v1/llms/%2e%2e/claude/infer",
      "/api/v1/llms/gpt/..%2F..%2F..%2Fapi%2Fhealth",
    ]) {
      const response = await rawRequest(
        gateway.url,
        "POST",
        path,
        { authorization: `Bearer ${tokens.bob}`, "content-type": "application/json" },
        '{"messages":[{"role":"user","content":"x"}]}',
      );
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
    }
    expect(upstream.requests.length).toBe(upstreamCalls);
  });

  it("a control character in {name} cannot forge a log line", async () => {
    const forged = '{"level":"error","msg":"forged-by-client"}';
    await rawRequest(
      gateway.url,
      "POST",
      `/api/v1/llms/x%0A${encodeURIComponent(forged)}/infer`,
      { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" },
      "{}",
    );
    await expect.poll(() => gateway.output().includes("forged-by-client"), { timeout: 10_000 }).toBe(true);
    expect(
      gateway
        .output()
        .split("\n")
        .some((line) => line.startsWith(forged)),
    ).toBe(false);
  });
});

// Lean only: `next start` answers these with its own 500 before any route file runs.
describe("malformed percent-encoding in {name} served by lean", () => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let tokens: SeededTokens;

  beforeAll(async () => {
    // Never reached: every request here ends at the name.
    ({ upstream, gateway, tokens } = await startSeededGateway("lean", (_request, response) => sendJson(response, 500, { error: "unexpected" })));
  });
  afterAll(() => stopSeededGateway({ gateway, upstream }));

  it.each(["%E0%A4%A", "%C0%AE%C0%AE", "%"])("%s is a clean 404 naming the raw segment", async (segment) => {
    const response = await rawRequest(
      gateway.url,
      "POST",
      `/api/v1/llms/${segment}/infer`,
      { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" },
      '{"messages":[{"role":"user","content":"x"}]}',
    );
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ error: { type: "not_found_error", message: `llm '${segment}' not found` } });
  });
});
