import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLimit } from "../../server/limits/create";
import { createLlm } from "../../server/llms/create";
import { sendJson, sendSse, sleep, type RecordedRequest } from "../helpers/fake-upstream";
import type { ServeMode } from "../helpers/gateway";
import { ANTHROPIC_KEY, auditFor, grantAuditor, OPENAI_KEY, operator } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway, type SeededGateway } from "../helpers/seeded-gateway";

// Anthropic's Messages API in front of the gateway, driven by the real @anthropic-ai/sdk: native to
// the seeded `claude` (Anthropic) Llm, translated to `gpt` (OpenAI) and through a route.

const fixture = (file: string) => readFileSync(new URL(`../../server/proxy/apis/__fixtures__/${file}`, import.meta.url), "utf8");
const event = (payload: Record<string, unknown>) => `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`;

const NATIVE_STREAM = [
  event({
    type: "message_start",
    message: {
      id: "msg_native",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [],
      stop_reason: null,
      usage: { input_tokens: 30, cache_read_input_tokens: 10, cache_creation_input_tokens: 0, output_tokens: 1 },
    },
  }),
  event({ type: "ping" }),
  event({ type: "content_block_start", index: 0, content_block: { type: "thinking", thinking: "", signature: "" } }),
  event({ type: "content_block_delta", index: 0, delta: { type: "thinking_delta", thinking: "Weather tool." } }),
  event({ type: "content_block_delta", index: 0, delta: { type: "signature_delta", signature: "EqQBCgIYAhIM" } }),
  event({ type: "content_block_stop", index: 0 }),
  event({ type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_1", name: "get_weather", input: {} } }),
  event({ type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "" } }),
  event({ type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"city":' } }),
  event({ type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '"Paris"}' } }),
  event({ type: "content_block_stop", index: 1 }),
  event({ type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 25 } }),
  event({ type: "message_stop" }),
].join("");

const NATIVE_MESSAGE = {
  id: "msg_plain",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5-20250929",
  content: [{ type: "text", text: "Bonjour" }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 4, output_tokens: 2 },
};

const TOOL_COMPLETION = {
  id: "chatcmpl-tools",
  object: "chat.completion",
  created: 1700000000,
  model: "gpt-4o-2024-08-06",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: "Let me check.",
        refusal: null,
        tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
      },
      logprobs: null,
      finish_reason: "tool_calls",
    },
  ],
  usage: { prompt_tokens: 50, completion_tokens: 12, total_tokens: 62, prompt_tokens_details: { cached_tokens: 20 } },
};

/** What the fake providers do next; reset before each test. */
const next: { failure: { status: number; body: unknown; headers?: Record<string, string> } | null; openaiStream: string; midStreamError: boolean } = {
  failure: null,
  openaiStream: "",
  midStreamError: false,
};

async function answer(request: RecordedRequest, response: ServerResponse): Promise<void> {
  if (request.body.includes("go silent")) return void (await request.closed);
  if (request.url.startsWith("/flaky/")) return sendJson(response, 529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
  if (request.url.startsWith("/slow/")) {
    const frames = fixture("openai-text.chunks.txt").split(/(?<=\n\n)/);
    return sendSse(response, frames, { delayMs: 150 });
  }
  if (next.failure) return sendJson(response, next.failure.status, next.failure.body, next.failure.headers);
  if (request.url === "/v1/messages/count_tokens") return sendJson(response, 200, { input_tokens: 42 });
  if (request.url === "/v1/messages") {
    if (request.json?.stream) return sendSse(response, [NATIVE_STREAM], { headers: { "request-id": "req_native_stream" } });
    return sendJson(response, 200, NATIVE_MESSAGE, { "request-id": "req_native" });
  }
  if (!request.json?.stream) return sendJson(response, 200, TOOL_COMPLETION);
  if (next.midStreamError) {
    const opening = fixture("openai-text.chunks.txt")
      .split(/(?<=\n\n)/)
      .slice(0, 3);
    return sendSse(response, [...opening, `data: ${JSON.stringify({ error: { message: "The server had an error", type: "server_error", code: null } })}\n\n`]);
  }
  return sendSse(response, [next.openaiStream || fixture("openai-tools.chunks.txt")]);
}

const MAX_BODY = 300_000;

const WEATHER_TOOL = {
  name: "get_weather",
  description: "Weather in a city",
  input_schema: { type: "object" as const, properties: { city: { type: "string" } } },
};

describe.each<ServeMode>(["lean", "next"])("Anthropic Messages in, served by %s", (mode) => {
  let seeded: SeededGateway;
  let sdk: Anthropic;

  beforeAll(async () => {
    seeded = await startSeededGateway(mode, answer, {
      env: { GATEWAY_MAX_BODY_BYTES: String(MAX_BODY) },
      beforeStart: async (_dataDir, upstreamUrl) => {
        await createLlm({
          ctx: operator(),
          input: {
            name: "flaky",
            provider: "anthropic",
            model: "claude-haiku-4-5",
            url: `${upstreamUrl}/flaky/v1`,
            apiKeyRef: { secret: "anthropic", key: "api_key" },
          },
        });
        await createLlm({
          ctx: operator(),
          input: {
            name: "agents",
            provider: "route",
            routing: {
              targets: [
                { llm: "flaky", group: 0 },
                { llm: "gpt", group: 1 },
              ],
            },
          },
        });
      },
    });
    sdk = new Anthropic({ apiKey: seeded.tokens.alice, baseURL: `${seeded.gateway.url}/api`, maxRetries: 0 });
  });
  afterAll(() => stopSeededGateway(seeded));
  beforeEach(() => {
    next.failure = null;
    next.openaiStream = "";
    next.midStreamError = false;
  });

  const lastUpstream = () => seeded.upstream.requests.at(-1)!;

  it("to an Anthropic Llm: the body goes as sent with the Llm's model, the client's version and beta headers, the provider key; the answer untouched", async () => {
    const params = {
      model: "claude",
      max_tokens: 300,
      system: [{ type: "text" as const, text: "Be brief.", cache_control: { type: "ephemeral" as const } }],
      messages: [{ role: "user" as const, content: "Say hello in French" }],
      metadata: { user_id: "user-42" },
    };
    const { data, response } = await sdk.messages
      .create(params, { headers: { "anthropic-beta": "context-1m-2025-08-07", "x-claude-code-session-id": "session-abc" } })
      .withResponse();
    expect(data).toEqual(NATIVE_MESSAGE);
    const sent = lastUpstream();
    expect(sent.url).toBe("/v1/messages");
    expect(sent.json).toEqual({ ...params, model: "claude-sonnet-4-5" });
    expect(sent.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    expect(sent.headers["anthropic-version"]).toBe("2026-10-21");
    expect(sent.headers["anthropic-beta"]).toBe("context-1m-2025-08-07");
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers["x-claude-code-session-id"]).toBeUndefined();
    expect(JSON.stringify(sent.headers)).not.toContain(seeded.tokens.alice);
    expect(response.headers.get("x-upstream-request-id")).toBe("req_native");
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({
      api: "messages",
      llm: "claude",
      provider: "anthropic",
      model: "claude-sonnet-4-5-20250929",
      status: 200,
      streaming: false,
      promptTokens: 24,
      completionTokens: 2,
      cacheReadTokens: 4,
      sessionId: "session-abc",
      upstreamRequestId: "req_native",
    });
    expect(row!.costUsd).toBeGreaterThan(0);
  });

  it("to an Anthropic Llm, streamed: the SSE bytes reach the client untouched and the usage is read on the way", async () => {
    const raw = await fetch(`${seeded.gateway.url}/api/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": seeded.tokens.alice, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify({ model: "claude", max_tokens: 100, stream: true, messages: [{ role: "user", content: "weather?" }] }),
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get("content-type")).toBe("text/event-stream");
    expect(await raw.text()).toBe(NATIVE_STREAM);
    expect(lastUpstream().headers["anthropic-version"]).toBe("2023-06-01");
    expect((await auditFor(raw.headers.get("x-request-id")))[0]).toMatchObject({
      api: "messages",
      streaming: true,
      promptTokens: 40,
      completionTokens: 25,
      cacheReadTokens: 10,
      error: null,
    });

    const message = await sdk.messages
      .stream({ model: "claude", max_tokens: 100, messages: [{ role: "user", content: "weather?" }], tools: [WEATHER_TOOL] })
      .finalMessage();
    expect(message.content).toEqual([
      { type: "thinking", thinking: "Weather tool.", signature: "EqQBCgIYAhIM" },
      { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
    ]);
  });

  it("count_tokens: passed to an Anthropic Llm; estimated by the gateway for any other, without calling it", async () => {
    const { data, response } = await sdk.messages.countTokens({ model: "claude", messages: [{ role: "user", content: "How many?" }] }).withResponse();
    expect(data).toEqual({ input_tokens: 42 });
    expect(lastUpstream()).toMatchObject({
      url: "/v1/messages/count_tokens",
      json: { model: "claude-sonnet-4-5", messages: [{ role: "user", content: "How many?" }] },
    });
    expect((await auditFor(response.headers.get("x-request-id")))[0]).toMatchObject({ api: "count_tokens", llm: "claude", status: 200, totalTokens: null });

    const before = seeded.upstream.requests.length;
    const estimate = await sdk.messages.countTokens({ model: "gpt", system: "Be brief.", messages: [{ role: "user", content: "x".repeat(400) }] });
    expect(estimate.input_tokens).toBeGreaterThanOrEqual(100);
    expect(estimate.input_tokens).toBeLessThan(130);
    expect(seeded.upstream.requests.length).toBe(before);
  });

  it("to an OpenAI Llm: the request is translated to Chat Completions and the answer back to a message", async () => {
    const { data, response } = await sdk.messages
      .create({
        model: "gpt",
        max_tokens: 200,
        system: "Use tools.",
        tools: [WEATHER_TOOL],
        tool_choice: { type: "auto", disable_parallel_tool_use: true },
        messages: [
          { role: "user", content: "Weather in Paris?" },
          { role: "assistant", content: [{ type: "tool_use", id: "toolu_0", name: "get_weather", input: { city: "Lyon" } }] },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "toolu_0", content: "20°C" },
              { type: "text", text: "Now Paris." },
            ],
          },
        ],
      })
      .withResponse();
    expect(lastUpstream().url).toBe("/v1/chat/completions");
    expect(lastUpstream().headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(lastUpstream().json).toEqual({
      model: "gpt-4o",
      messages: [
        { role: "system", content: "Use tools." },
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "toolu_0", type: "function", function: { name: "get_weather", arguments: '{"city":"Lyon"}' } }],
        },
        { role: "tool", tool_call_id: "toolu_0", content: "20°C" },
        { role: "user", content: "Now Paris." },
      ],
      max_completion_tokens: 200,
      tools: [{ type: "function", function: { name: "get_weather", description: "Weather in a city", parameters: WEATHER_TOOL.input_schema } }],
      tool_choice: "auto",
      parallel_tool_calls: false,
    });
    expect(data).toMatchObject({
      id: "chatcmpl-tools",
      type: "message",
      role: "assistant",
      model: "gpt-4o-2024-08-06",
      content: [
        { type: "text", text: "Let me check." },
        { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
      ],
      stop_reason: "tool_use",
      usage: { input_tokens: 30, output_tokens: 12, cache_read_input_tokens: 20, cache_creation_input_tokens: 0 },
    });
    expect((await auditFor(response.headers.get("x-request-id")))[0]).toMatchObject({
      api: "messages",
      llm: "gpt",
      provider: "openai",
      promptTokens: 50,
      completionTokens: 12,
    });
  });

  it("to an OpenAI Llm, streamed: Anthropic's event sequence with tool input deltas, assembled by the SDK", async () => {
    const stream = sdk.messages.stream({ model: "gpt", max_tokens: 200, tools: [WEATHER_TOOL], messages: [{ role: "user", content: "Weather and time?" }] });
    const types: string[] = [];
    stream.on("streamEvent", (streamEvent) => types.push(streamEvent.type === "content_block_delta" ? streamEvent.delta.type : streamEvent.type));
    const message = await stream.finalMessage();
    expect(lastUpstream().json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(types[0]).toBe("message_start");
    expect(types).toContain("input_json_delta");
    expect(types.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(message.content).toEqual([
      { type: "tool_use", id: "call_DdmO9pD3xa9XTPNJ32zg2hcA", name: "get_weather", input: { location: "Paris, France" } },
      { type: "tool_use", id: "call_ABCDEFGHIJKLMNOPQRSTUVWX", name: "get_time", input: { tz: "Europe/Paris" } },
    ]);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage).toMatchObject({ input_tokens: 18, cache_read_input_tokens: 64, output_tokens: 36 });
    const requestId = (await stream.withResponse()).response.headers.get("x-request-id");
    expect((await auditFor(requestId))[0]).toMatchObject({ api: "messages", streaming: true, promptTokens: 82, completionTokens: 36, cacheReadTokens: 64 });
  });

  it("streamed to an Llm whose provider refuses stream_options: none is sent, and the stream still ends with message_stop", async () => {
    next.openaiStream = fixture("openai-text.chunks.txt");
    const message = await sdk.messages.stream({ model: "plain", max_tokens: 50, messages: [{ role: "user", content: "capital?" }] }).finalMessage();
    expect(lastUpstream().json).toMatchObject({ model: "qwen", stream: true });
    expect(lastUpstream().json?.stream_options).toBeUndefined();
    expect(message).toMatchObject({ content: [{ type: "text", text: "The capital of France is Paris." }], stop_reason: "end_turn" });
  });

  it("a gateway token is accepted as x-api-key or as a bearer token (ANTHROPIC_AUTH_TOKEN)", async () => {
    const bearer = new Anthropic({ authToken: seeded.tokens.alice, apiKey: null, baseURL: `${seeded.gateway.url}/api`, maxRetries: 0 });
    const viaBearer = await bearer.messages.create({ model: "claude", max_tokens: 10, messages: [{ role: "user", content: "hi" }] });
    expect(viaBearer.content).toEqual(NATIVE_MESSAGE.content);
    expect(lastUpstream().headers["x-api-key"]).toBe(ANTHROPIC_KEY);
  });

  it("through a route: the failing Anthropic target is skipped and the OpenAI target answers in Messages form, streamed", async () => {
    next.openaiStream = fixture("openai-text.chunks.txt");
    const stream = sdk.messages.stream({ model: "agents", max_tokens: 50, messages: [{ role: "user", content: "capital?" }] });
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: "text", text: "The capital of France is Paris." }]);
    const requestId = (await stream.withResponse()).response.headers.get("x-request-id");
    expect((await auditFor(requestId))[0]).toMatchObject({ api: "messages", llm: "agents", servedBy: "gpt", attempts: 2, status: 200 });
  });

  it("every error in Anthropic's shape, with its status", async () => {
    const errorOf = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (error: unknown) => error as InstanceType<typeof Anthropic.APIError>,
      );
    const ask = (client: Anthropic, model: string, extra: Record<string, unknown> = {}) =>
      errorOf(client.messages.create({ model, max_tokens: 10, messages: [{ role: "user", content: "hi" }], ...extra }));
    const client = (token: string) => new Anthropic({ apiKey: token, baseURL: `${seeded.gateway.url}/api`, maxRetries: 0 });
    // biome-ignore lint/suspicious/noExplicitAny: the SDK's error classes differ in their constructors
    const expectError = (error: unknown, kind: new (...args: any[]) => Error, status: number, type: string) => {
      expect(error).toBeInstanceOf(kind);
      const apiError = error as InstanceType<typeof Anthropic.APIError>;
      expect(apiError.status).toBe(status);
      expect(apiError.error).toMatchObject({ type: "error", error: { type } });
      expect(apiError.requestID).toBe(apiError.headers?.get("x-request-id"));
      return apiError;
    };

    expectError(await ask(client("gw_not_a_token"), "claude"), Anthropic.AuthenticationError, 401, "authentication_error");
    expectError(await ask(client(seeded.tokens.bob), "claude"), Anthropic.PermissionDeniedError, 403, "permission_error");
    const countDenied = await errorOf(client(seeded.tokens.bob).messages.countTokens({ model: "claude", messages: [{ role: "user", content: "hi" }] }));
    expectError(countDenied, Anthropic.PermissionDeniedError, 403, "permission_error");
    expectError(await ask(sdk, "no-such-llm"), Anthropic.NotFoundError, 404, "not_found_error");
    const missing = await fetch(`${seeded.gateway.url}/api/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": seeded.tokens.alice, "content-type": "application/json" },
      body: JSON.stringify({ model: "claude", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ type: "error", error: { type: "invalid_request_error", message: expect.stringContaining("max_tokens") } });
    const serverTool = expectError(
      await ask(sdk, "gpt", { tools: [{ type: "web_search_20250305", name: "web_search" }] }),
      Anthropic.BadRequestError,
      400,
      "invalid_request_error",
    );
    expect(serverTool.message).toContain("tools[0].type");

    next.failure = {
      status: 429,
      body: { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
      headers: { "retry-after": "7" },
    };
    const limited = expectError(await ask(sdk, "gpt"), Anthropic.RateLimitError, 429, "rate_limit_error");
    expect(limited.headers?.get("retry-after")).toBe("7");
    next.failure = { status: 500, body: { error: { message: "boom", type: "server_error", code: null } } };
    expectError(await ask(sdk, "gpt"), Anthropic.InternalServerError, 500, "api_error");
    next.failure = { status: 529, body: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } } };
    expectError(await ask(sdk, "claude"), Anthropic.InternalServerError, 503, "overloaded_error");
    const tooLarge = await fetch(`${seeded.gateway.url}/api/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": seeded.tokens.alice, "content-type": "application/json" },
      body: JSON.stringify({ model: "claude", max_tokens: 5, messages: [{ role: "user", content: "x".repeat(MAX_BODY) }] }),
    });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ type: "error", error: { type: "request_too_large" } });
    const silent = await errorOf(sdk.messages.create({ model: "slow", max_tokens: 10, messages: [{ role: "user", content: "go silent" }] }));
    expectError(silent, Anthropic.InternalServerError, 504, "timeout_error");
    next.failure = { status: 401, body: { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } } };
    const keyRefused = expectError(await ask(sdk, "claude"), Anthropic.InternalServerError, 502, "api_error");
    expect(keyRefused.message).toContain("refused the API key of llm 'claude'");
    expect(keyRefused.message).not.toContain(ANTHROPIC_KEY);
  });

  it("an error after the stream began reaches the SDK as an error event, and the audit keeps it", async () => {
    next.midStreamError = true;
    const stream = sdk.messages.stream({ model: "gpt", max_tokens: 50, messages: [{ role: "user", content: "hi" }] });
    await expect(stream.finalMessage()).rejects.toThrow(/The server had an error/);
    const requestId = (await stream.withResponse()).response.headers.get("x-request-id");
    expect((await auditFor(requestId))[0]).toMatchObject({ api: "messages", status: 200, error: expect.stringContaining("The server had an error") });
  });

  it("a client that leaves mid-stream is audited as 499 and the provider call is cut", async () => {
    const controller = new AbortController();
    const stream = sdk.messages.stream({ model: "slow", max_tokens: 50, messages: [{ role: "user", content: "hi" }] }, { signal: controller.signal });
    stream.on("text", () => controller.abort());
    await expect(stream.finalMessage()).rejects.toThrow();
    const upstream = seeded.upstream.requests.at(-1)!;
    await upstream.closed;
    expect(upstream.closedEarly).toBe(true);
    const requestId = (await stream.withResponse()).response.headers.get("x-request-id");
    expect((await auditFor(requestId))[0]).toMatchObject({ api: "messages", llm: "slow", status: 499 });
  });

  it("/metrics counts the calls by the API the client spoke", async () => {
    const auditor = await grantAuditor();
    let text = "";
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const response = await fetch(`${seeded.gateway.url}/metrics`, { headers: { authorization: `Bearer ${auditor}` } });
      text = await response.text();
      if (response.status === 200) break;
      await sleep(25);
    }
    expect(text).toMatch(/gateway_inference_requests_total\{llm="claude",status="200",api="messages"\} \d+/);
    expect(text).toMatch(/gateway_inference_requests_total\{llm="claude",status="200",api="count_tokens"\} 1/);
    expect(text).toMatch(/gateway_inference_requests_total\{llm="gpt",status="200",api="messages"\} \d+/);
  });

  it("a limit refuses in Anthropic's shape before the provider is called", async () => {
    await createLimit({ ctx: operator(), input: { scope: { user: "bob", llm: "gpt" }, metric: "requests", window: "day", max: 1 } });
    const bob = new Anthropic({ apiKey: seeded.tokens.bob, baseURL: `${seeded.gateway.url}/api`, maxRetries: 0 });
    const ask = () =>
      bob.messages.create({ model: "gpt", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }).then(
        () => null,
        (error: unknown) => error,
      );
    // The gateway applies the new limit on its next change poll; bob's first counted call is the one allowed.
    let refused: unknown = null;
    for (let attempt = 0; attempt < 200 && !refused; attempt += 1) {
      refused = await ask();
      if (!refused) await sleep(25);
    }
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    const error = refused as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error.error).toMatchObject({
      type: "error",
      error: { type: "rate_limit_error", message: expect.stringContaining("Limit reached: user bob on llm gpt") },
    });
    expect(Number(error.headers?.get("retry-after"))).toBeGreaterThan(0);
    const before = seeded.upstream.requests.length;
    expect(await ask()).toBeInstanceOf(Anthropic.RateLimitError);
    expect(seeded.upstream.requests.length).toBe(before);
  });
});
