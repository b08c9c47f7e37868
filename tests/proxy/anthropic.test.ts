import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTranscript, TRANSCRIPT_FILES } from "../../server/proxy/providers/anthropic/__fixtures__/transcripts";
import { sendJson, sendSse, type FakeUpstream, type RecordedRequest } from "../helpers/fake-upstream";
import type { RunningGateway, ServeMode } from "../helpers/gateway";
import { startSeededGateway, stopSeededGateway } from "../helpers/seeded-gateway";
import { ANTHROPIC_KEY, auditFor, openaiClient, URL_SHAPES, type SeededTokens } from "../helpers/seed";
import type { ServerResponse } from "node:http";

const event = (payload: Record<string, unknown>) => `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`;

const TWO_TOOLS = [
  event({
    type: "message_start",
    message: {
      id: "msg_tools",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [],
      stop_reason: null,
      usage: { input_tokens: 50, cache_read_input_tokens: 10, cache_creation_input_tokens: 5, output_tokens: 1 },
    },
  }),
  event({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
  event({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Checking." } }),
  event({ type: "content_block_stop", index: 0 }),
  event({ type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_1", name: "get_weather", input: {} } }),
  event({ type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"city":' } }),
  event({ type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '"Paris"}' } }),
  event({ type: "content_block_stop", index: 1 }),
  event({ type: "content_block_start", index: 2, content_block: { type: "tool_use", id: "toolu_2", name: "get_time", input: {} } }),
  event({ type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: '{"tz":"UTC"}' } }),
  event({ type: "content_block_stop", index: 2 }),
  event({ type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 40 } }),
  event({ type: "message_stop" }),
];

const MESSAGE = {
  id: "msg_plain",
  type: "message",
  role: "assistant",
  model: "claude-sonnet-4-5-20250929",
  content: [{ type: "text", text: "Bonjour" }],
  stop_reason: "end_turn",
  stop_sequence: null,
  usage: { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 4, output_tokens: 2 },
};

let transcript: string | null = null;
let failure: { status: number; body: unknown; headers?: Record<string, string> } | null = null;

function answer(request: RecordedRequest, response: ServerResponse) {
  if (failure) return sendJson(response, failure.status, failure.body, failure.headers);
  if (!request.json?.stream) return sendJson(response, 200, MESSAGE, { "request-id": "req_anthropic_1" });
  if (transcript) return sendSse(response, [transcript], { headers: { "request-id": "req_anthropic_2" } });
  if (JSON.stringify(request.json.messages).includes("use tools")) return sendSse(response, TWO_TOOLS);
  return sendSse(response, [loadTranscript("basic_response.txt")]);
}

describe.each<ServeMode>(["lean", "next"])("anthropic translation served by %s", (mode) => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let tokens: SeededTokens;

  beforeAll(async () => {
    ({ upstream, gateway, tokens } = await startSeededGateway(mode, answer));
  });
  afterAll(() => stopSeededGateway({ gateway, upstream }));

  it.each(URL_SHAPES)("non-streaming on the %s URL shape: request translated, answer mapped, usage audited", async (shape) => {
    const { client, model } = openaiClient(gateway.url, tokens.alice, "claude", shape);
    const { data, response } = await client.chat.completions
      .create({
        model,
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Say hello in French" },
        ],
        temperature: 1.7,
      })
      .withResponse();
    expect(data).toMatchObject({ id: "msg_plain", object: "chat.completion", model: "claude-sonnet-4-5-20250929" });
    expect(data.choices[0]).toMatchObject({ index: 0, finish_reason: "stop", message: { role: "assistant", content: "Bonjour" } });
    expect(data.usage).toMatchObject({ prompt_tokens: 24, completion_tokens: 2, total_tokens: 26, prompt_tokens_details: { cached_tokens: 4 } });
    const sent = upstream.requests.at(-1)!;
    expect(sent.url).toBe("/v1/messages");
    expect(sent.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    expect(sent.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.json).toEqual({
      model: "claude-sonnet-4-5",
      system: "Be brief.",
      messages: [{ role: "user", content: [{ type: "text", text: "Say hello in French" }] }],
      max_tokens: 1000,
      temperature: 1,
    });
    expect(response.headers.get("x-upstream-request-id")).toBe("req_anthropic_1");
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({
      provider: "anthropic",
      model: "claude-sonnet-4-5-20250929",
      status: 200,
      promptTokens: 24,
      completionTokens: 2,
      totalTokens: 26,
      cacheReadTokens: 4,
      cacheWriteTokens: 0,
      upstreamRequestId: "req_anthropic_1",
      // claude-sonnet-4-5: $3 in, $0.30 cache reads, $15 out per million tokens.
      costUsd: expect.closeTo((20 * 3 + 4 * 0.3 + 2 * 15) / 1e6, 12),
      priceSource: "table",
    });
  });

  it.each(URL_SHAPES)("streaming on the %s URL shape, with usage only when asked", async (shape) => {
    const { client, model } = openaiClient(gateway.url, tokens.alice, "claude", shape);
    const { data: stream, response } = await client.chat.completions
      .create({ model, messages: [{ role: "user", content: "hi" }], stream: true })
      .withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta.role).toBe("assistant");
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("Hello there!");
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("stop");
    expect(chunks.some((chunk) => "usage" in chunk)).toBe(false);
    expect(upstream.requests.at(-1)!.json).toMatchObject({ stream: true, max_tokens: 1000 });
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ streaming: true, status: 200, promptTokens: 11, completionTokens: 6, totalTokens: 17, model: "claude-opus-4-8" });
    // Priced as the Llm's configured model (claude-sonnet-4-5), whatever name the answer carries.
    expect(row).toMatchObject({ costUsd: expect.closeTo((11 * 3 + 6 * 15) / 1e6, 12), priceSource: "table" });
  });

  it("streams parallel tool calls with their own indices, and usage when asked", async () => {
    const { client, model } = openaiClient(gateway.url, tokens.alice, "claude", "infer");
    const completion = await client.chat.completions
      .stream({
        model,
        messages: [{ role: "user", content: "use tools" }],
        tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } } }],
        tool_choice: "required",
        parallel_tool_calls: false,
        stream_options: { include_usage: true },
      })
      .finalChatCompletion();
    const message = completion.choices[0]!.message;
    expect(message.content).toBe("Checking.");
    expect(message.tool_calls!.map((call) => call.type === "function" && [call.id, call.function.name, call.function.arguments])).toEqual([
      ["toolu_1", "get_weather", '{"city":"Paris"}'],
      ["toolu_2", "get_time", '{"tz":"UTC"}'],
    ]);
    expect(completion.choices[0]!.finish_reason).toBe("tool_calls");
    expect(completion.usage).toMatchObject({ prompt_tokens: 65, completion_tokens: 40, total_tokens: 105 });
    expect(upstream.requests.at(-1)!.json).toMatchObject({
      tools: [{ name: "get_weather", input_schema: { type: "object", properties: { city: { type: "string" } } } }],
      tool_choice: { type: "any", disable_parallel_tool_use: true },
    });
  });

  it("translates images and tool results in the request", async () => {
    const { client, model } = openaiClient(gateway.url, tokens.alice, "claude", "llm-chat");
    await client.chat.completions.create({
      model,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "what is this?" },
            { type: "image_url", image_url: { url: "data:image/jpg;base64,/9j/4AAQ" } },
            { type: "image_url", image_url: { url: "https://example.com/cat.png" } },
          ],
        },
        { role: "assistant", content: "", tool_calls: [{ id: "toolu_9", type: "function", function: { name: "lookup", arguments: '{"q":"cat"}' } }] },
        { role: "tool", tool_call_id: "toolu_9", content: "a cat" },
      ],
    });
    expect(upstream.requests.at(-1)!.json!.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "what is this?" },
          { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } },
          { type: "image", source: { type: "url", url: "https://example.com/cat.png" } },
        ],
      },
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_9", name: "lookup", input: { q: "cat" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_9", content: "a cat" }] },
    ]);
  });

  it.each(TRANSCRIPT_FILES)("recorded transcript %s becomes a stream the SDK assembles", async (file) => {
    transcript = loadTranscript(file);
    try {
      const { client, model } = openaiClient(gateway.url, tokens.alice, "claude", "llm-chat");
      const final = client.chat.completions
        .stream({ model, messages: [{ role: "user", content: "replay" }], stream_options: { include_usage: true } })
        .finalChatCompletion();
      const completion = await final;
      expect(completion.choices).toHaveLength(1);
      expect(["stop", "length", "tool_calls", "content_filter"]).toContain(completion.choices[0]!.finish_reason);
      expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
    } finally {
      transcript = null;
    }
  });

  it.each([
    {
      name: "529 overloaded → 503",
      status: 529,
      body: { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
      expected: { status: 503, type: "overloaded_error", code: null },
    },
    {
      name: "429 rate limit",
      status: 429,
      body: { type: "error", error: { type: "rate_limit_error", message: "Slow down" } },
      headers: { "retry-after": "7" },
      expected: { status: 429, type: "rate_limit_error", code: "rate_limit_exceeded", retryAfter: "7" },
    },
    {
      name: "429 spend limit → insufficient_quota",
      status: 429,
      body: { type: "error", error: { type: "rate_limit_error", message: "Spend limit reached", details: { error_code: "enforced_spend_limit_reached" } } },
      expected: { status: 429, type: "rate_limit_error", code: "insufficient_quota", shouldRetry: "false" },
    },
    {
      // The gateway's own key was refused: the caller's credentials are fine.
      name: "401 from the provider → 502 upstream_auth_failed",
      status: 401,
      body: { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } },
      expected: {
        status: 502,
        type: "api_error",
        code: "upstream_auth_failed",
        shouldRetry: "false",
        message: "The provider refused the API key of llm 'claude' (HTTP 401): invalid x-api-key",
      },
    },
  ])("maps upstream errors: $name", async ({ status, body, headers, expected }) => {
    failure = { status, body, headers };
    try {
      const response = await fetch(`${gateway.url}/api/v1/llms/claude/infer`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], stream: true }),
      });
      expect(response.status).toBe(expected.status);
      const json = (await response.json()) as { error: { type: string; code: string | null; message: string } };
      expect(json.error).toMatchObject({ type: expected.type, code: expected.code, message: expected.message ?? (body.error as { message: string }).message });
      if (expected.retryAfter) expect(response.headers.get("retry-after")).toBe(expected.retryAfter);
      if (expected.shouldRetry) expect(response.headers.get("x-should-retry")).toBe(expected.shouldRetry);
      const [row] = await auditFor(response.headers.get("x-request-id"));
      expect(row).toMatchObject({ status: expected.status, streaming: true });
      expect(row!.error).toContain((body.error as { message: string }).message);
    } finally {
      failure = null;
    }
  });

  it("rejects n > 1 with a 400 naming the parameter", async () => {
    const response = await fetch(`${gateway.url}/api/v1/llms/claude/infer`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], n: 2 }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({ type: "invalid_request_error", param: "n", code: "unsupported_value" });
  });
});
