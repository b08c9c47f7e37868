import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLlm } from "../../server/llms/create";
import { openaiStreamFrames, sendSse, sleep, type FakeUpstream, type RecordedRequest } from "../helpers/fake-upstream";
import type { RunningGateway, ServeMode } from "../helpers/gateway";
import { auditFor, type SeededTokens, operator } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway } from "../helpers/seeded-gateway";
import { expectOpenAIError, postTo, ssePayloads } from "../security/requests";

const anthropicEvent = (payload: Record<string, unknown>) => `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`;
const ANTHROPIC_START = [
  anthropicEvent({
    type: "message_start",
    message: {
      id: "msg_fault",
      type: "message",
      role: "assistant",
      model: "claude-fault",
      content: [],
      stop_reason: null,
      usage: { input_tokens: 5, output_tokens: 1 },
    },
  }),
  anthropicEvent({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
  anthropicEvent({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "partial" } }),
];
const ANTHROPIC_REST = [
  anthropicEvent({ type: "content_block_stop", index: 0 }),
  anthropicEvent({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 2 } }),
  anthropicEvent({ type: "message_stop" }),
];
const MALFORMED_OPENAI_FRAME = 'data: {"choices":[{"delta":{"content":"broken\n\n';
const MALFORMED_USAGE_FRAME = 'data: {"usage":{"prompt_tokens":oops}\n\n';
const INVALID_JSON = '{"id":"chatcmpl-broken","choices":[{"message":';

/** One fault per prompt; the path tells the wire format (`/messages` is Anthropic). */
async function misbehave(request: RecordedRequest, response: ServerResponse): Promise<void> {
  const prompt = JSON.stringify(request.json?.messages ?? "");
  const anthropic = request.url.endsWith("/messages");
  const head = () => response.writeHead(200, { "content-type": "text/event-stream" });
  if (prompt.includes("reset before headers")) return void response.destroy();
  if (prompt.includes("reset after first byte")) {
    head();
    response.write(anthropic ? ANTHROPIC_START.join("") : openaiStreamFrames(request, ["partial"])[0]!);
    await sleep(50);
    return void response.destroy();
  }
  if (prompt.includes("silent after first chunk")) {
    head();
    response.write(anthropic ? ANTHROPIC_START.join("") : openaiStreamFrames(request, ["partial"]).slice(0, 2).join(""));
    return; // held open until the gateway gives up on it
  }
  if (prompt.includes("error event then silence")) {
    head();
    response.write([...ANTHROPIC_START, anthropicEvent({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })].join(""));
    return; // held open: the gateway must close the stream and let the upstream go on its own
  }
  if (prompt.includes("reset after message_stop")) {
    head();
    response.write([...ANTHROPIC_START, ...ANTHROPIC_REST].join(""));
    await sleep(50);
    return void response.destroy();
  }
  if (prompt.includes("malformed sse")) {
    if (anthropic) return sendSse(response, [...ANTHROPIC_START, "event: content_block_delta\ndata: {this is not json\n\n", ...ANTHROPIC_REST]);
    const frames = openaiStreamFrames(request, ["fine"]);
    return sendSse(response, [frames[0]!, MALFORMED_OPENAI_FRAME, MALFORMED_USAGE_FRAME, ...frames.slice(1)]);
  }
  if (prompt.includes("invalid json")) {
    response.writeHead(200, { "content-type": "application/json" });
    return void response.end(INVALID_JSON);
  }
  if (prompt.includes("html error")) {
    response.writeHead(503, { "content-type": "text/html" });
    return void response.end("<html><body>Service Unavailable</body></html>");
  }
  response.writeHead(500).end("unexpected prompt");
}

describe.each<ServeMode>(["lean", "next"])("upstream faults served by %s", (mode) => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let tokens: SeededTokens;

  beforeAll(async () => {
    const anthropic = {
      provider: "anthropic" as const,
      model: "claude-fault",
      apiKeyRef: { secret: "anthropic", key: "api_key" },
      defaults: { max_tokens: 100 },
    };
    ({ upstream, gateway, tokens } = await startSeededGateway(mode, misbehave, {
      beforeStart: async (_dataDir, upstreamUrl) => {
        await createLlm({ ctx: operator(), input: { name: "claude-slow", ...anthropic, url: `${upstreamUrl}/slow/v1`, timeoutMs: 1000 } });
        await createLlm({ ctx: operator(), input: { name: "claude-down", ...anthropic, url: "http://127.0.0.1:9/v1" } });
      },
    }));
  });
  afterAll(() => stopSeededGateway({ gateway, upstream }));

  const ask = (llm: string, content: string, stream: boolean) =>
    postTo(gateway.url, `/api/v1/llms/${llm}/infer`, { token: tokens.alice, body: { messages: [{ role: "user", content }], stream } });

  /** A stream that broke after its 200: content first, then exactly one error frame as the last frame, no [DONE]. */
  async function expectBrokenStream(response: Response, errorType: string) {
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const payloads = ssePayloads(await response.text());
    expect(payloads.join("")).toContain("partial");
    expect(payloads).not.toContain("[DONE]");
    const errors = payloads.filter((payload) => payload.startsWith('{"error"'));
    expect(errors).toHaveLength(1);
    expect(payloads.at(-1)).toBe(errors[0]);
    const error = JSON.parse(errors[0]!) as { error: { type: string; message: string } };
    expect(error.error.type).toBe(errorType);
    const rows = await auditFor(response.headers.get("x-request-id"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 200, streaming: true });
    expect(rows[0]!.error).toBeTruthy();
    return error;
  }

  it.each([
    ["gpt", false],
    ["gpt", true],
    ["claude", false],
    ["claude", true],
  ])("an upstream (%s) that resets before the headers gets 502 JSON, stream %s", async (llm, stream) => {
    const { body, row } = await expectOpenAIError(await ask(llm, "reset before headers", stream), 502, "api_error");
    expect(body.error.code).toBe("upstream_unreachable");
    expect(row).toMatchObject({ llm, streaming: stream });
  });

  it.each(["down", "claude-down"])("a refused connection on a stream request (%s) is a 502 JSON error, not an event stream", async (llm) => {
    const { body, row } = await expectOpenAIError(await ask(llm, "hi", true), 502, "api_error");
    expect(body.error.code).toBe("upstream_unreachable");
    expect(row.streaming).toBe(true);
  });

  it("an Anthropic stream reset after the first byte ends with one error frame and no [DONE]", async () => {
    const error = await expectBrokenStream(await ask("claude", "reset after first byte", true), "api_error");
    expect(error.error.message).toBe("Upstream stream ended before message_stop");
  });

  it("after an Anthropic error event the stream is closed and the upstream let go, though it keeps the connection open", async () => {
    const before = upstream.requests.length;
    const error = await expectBrokenStream(await ask("claude", "error event then silence", true), "overloaded_error");
    expect(error.error.message).toBe("Overloaded");
    const held = upstream.requests[before]!;
    await held.closed;
    expect(held.closedEarly).toBe(true);
  });

  it("an Anthropic stream reset after message_stop is a whole answer: [DONE] last, no error frame, no error audited", async () => {
    const response = await ask("claude", "reset after message_stop", true);
    const payloads = ssePayloads(await response.text());
    expect(payloads.join("")).toContain("partial");
    expect(payloads.at(-1)).toBe("[DONE]");
    expect(payloads.filter((payload) => payload.startsWith('{"error"'))).toEqual([]);
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ status: 200, streaming: true, error: null, completionTokens: 2 });
  });

  it.each([
    ["slow", "gpt"],
    ["claude-slow", "claude"],
  ])("a stream (%s) that goes silent after the first chunk ends with a timeout_error frame and the upstream is let go", async (llm) => {
    const before = upstream.requests.length;
    await expectBrokenStream(await ask(llm, "silent after first chunk", true), "timeout_error");
    const held = upstream.requests[before]!;
    await held.closed;
    expect(held.closedEarly).toBe(true);
  });

  it("malformed SSE from Anthropic becomes one api_error frame, no [DONE]", async () => {
    const error = await expectBrokenStream(await ask("claude", "malformed sse", true), "api_error");
    expect(error.error.message).toMatch(/not a JSON object/);
  });

  it("malformed SSE from a pass-through upstream is forwarded as it is (the gateway relays bytes, the client judges them)", async () => {
    const response = await ask("gpt", "malformed sse", true);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain(MALFORMED_OPENAI_FRAME);
    expect(text).toContain(MALFORMED_USAGE_FRAME);
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ status: 200, streaming: true, error: null });
  });

  it("invalid JSON in a 200 non-stream answer: pass-through forwards the bytes untouched", async () => {
    const response = await ask("gpt", "invalid json", false);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(INVALID_JSON);
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ status: 200, streaming: false, totalTokens: null });
  });

  it("invalid JSON in a 200 non-stream answer: Anthropic translation answers a clean 502", async () => {
    const { body, row } = await expectOpenAIError(await ask("claude", "invalid json", false), 502, "api_error", /not valid JSON/);
    expect(body.error.message).not.toContain(INVALID_JSON);
    expect(row.error).toMatch(/not valid JSON/);
  });

  it.each(["gpt", "claude"])("an HTML error page from the upstream (%s) keeps its status with a generic message", async (llm) => {
    const { body } = await expectOpenAIError(await ask(llm, "html error", false), 503, "api_error", /Upstream returned HTTP 503/);
    expect(body.error.message).not.toContain("<html>");
  });
});
