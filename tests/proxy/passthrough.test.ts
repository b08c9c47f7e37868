import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openaiCompletion, openaiStreamFrames, sendJson, sendSse, type FakeUpstream, type RecordedRequest } from "../helpers/fake-upstream";
import type { RunningGateway, ServeMode } from "../helpers/gateway";
import { startSeededGateway, stopSeededGateway } from "../helpers/seeded-gateway";
import { auditFor, OPENAI_KEY, openaiClient, URL_SHAPES, type SeededTokens } from "../helpers/seed";

const TOOL_FRAMES = [
  {
    choices: [
      {
        index: 0,
        delta: {
          role: "assistant",
          content: null,
          tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } }],
        },
        finish_reason: null,
      },
    ],
  },
  { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, finish_reason: null }] },
  {
    choices: [
      {
        index: 0,
        delta: { tool_calls: [{ index: 1, id: "call_b", type: "function", function: { name: "get_time", arguments: '{"tz":"UTC"}' } }] },
        finish_reason: null,
      },
    ],
  },
  { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, finish_reason: null }] },
  { choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] },
].map((chunk) => `data: ${JSON.stringify({ id: "chatcmpl-tools", object: "chat.completion.chunk", created: 1700000000, model: "gpt-4o", ...chunk })}\n\n`);

/** Resolved by the test once its client has the response headers: only then does the first frame go. */
let releaseFirstFrame: () => void = () => undefined;

function answer(request: RecordedRequest, response: import("node:http").ServerResponse) {
  const prompt = JSON.stringify(request.json?.messages ?? "");
  if (prompt.includes("think first")) {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.flushHeaders();
    return new Promise<void>((resolve) => (releaseFirstFrame = resolve)).then(() => {
      for (const frame of openaiStreamFrames(request, ["thought"])) response.write(frame);
      response.end();
    });
  }
  if (prompt.includes("use tools")) return sendSse(response, [...TOOL_FRAMES, "data: [DONE]\n\n"]);
  if (request.json?.stream) return sendSse(response, openaiStreamFrames(request, ["Hel", "lo", " there"]), { headers: { "x-request-id": "upstream-req-1" } });
  return sendJson(response, 200, openaiCompletion("Hello there"), { "x-request-id": "upstream-req-1" });
}

describe.each<ServeMode>(["lean", "next"])("pass-through providers served by %s", (mode) => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let tokens: SeededTokens;

  beforeAll(async () => {
    ({ upstream, gateway, tokens } = await startSeededGateway(mode, answer));
  });
  afterAll(() => stopSeededGateway({ gateway, upstream }));

  it.each(URL_SHAPES)("non-streaming through the SDK on the %s URL shape", async (shape) => {
    const { client, model } = openaiClient(gateway.url, tokens.alice, "gpt", shape);
    const { data, response } = await client.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }] }).withResponse();
    expect(data.choices[0]!.message.content).toBe("Hello there");
    expect(data.usage?.total_tokens).toBe(12);
    const sent = upstream.requests.at(-1)!;
    expect(sent.url).toBe("/v1/chat/completions");
    expect(sent.json).toMatchObject({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }] });
    expect(sent.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(response.headers.get("x-upstream-request-id")).toBe("upstream-req-1");
    const [row, ...more] = await auditFor(response.headers.get("x-request-id"));
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      event: "llm_inference_call",
      llm: "gpt",
      provider: "openai",
      model: "gpt-4o-2024-08-06",
      user: "alice",
      status: 200,
      streaming: false,
      promptTokens: 9,
      completionTokens: 3,
      totalTokens: 12,
      upstreamRequestId: "upstream-req-1",
      // gpt-4o in the bundled price table: $2.50 in, $10 out per million tokens.
      costUsd: expect.closeTo((9 * 2.5 + 3 * 10) / 1e6, 12),
      priceSource: "table",
    });
    expect(row!.tokenSha).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.ttftMs).not.toBeNull();
  });

  it.each(URL_SHAPES)("streaming through the SDK on the %s URL shape, usage audited without include_usage", async (shape) => {
    const { client, model } = openaiClient(gateway.url, tokens.alice, "gpt", shape);
    const { data: stream, response } = await client.chat.completions
      .create({ model, messages: [{ role: "user", content: "hi" }], stream: true })
      .withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe("Hello there");
    // The gateway asked the upstream for usage and removed the usage-only chunk the client did not ask for.
    expect(upstream.requests.at(-1)!.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(chunks.some((chunk) => chunk.choices.length === 0)).toBe(false);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ status: 200, streaming: true, promptTokens: 11, completionTokens: 3, totalTokens: 14, error: null });
    // A stream is priced like any other call.
    expect(row).toMatchObject({ costUsd: expect.closeTo((11 * 2.5 + 3 * 10) / 1e6, 12), priceSource: "table" });
  });

  it("sends the stream's headers before its first chunk when the provider is still thinking", async () => {
    const response = await fetch(`${gateway.url}/api/v1/llms/gpt/infer`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.alice}`, "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ role: "user", content: "think first" }], stream: true }),
    });
    // Only reached if the headers came without a chunk: the provider sends nothing until released.
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    releaseFirstFrame();
    expect(await response.text()).toContain('"content":"thought"');
  });

  it("forwards the usage chunk when the client asks for it", async () => {
    const { client, model } = openaiClient(gateway.url, tokens.alice, "gpt", "llm-chat");
    const stream = client.chat.completions.stream({ model, messages: [{ role: "user", content: "hi" }], stream_options: { include_usage: true } });
    const completion = await stream.finalChatCompletion();
    expect(completion.choices[0]!.message.content).toBe("Hello there");
    expect(completion.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 });
  });

  it("does not ask upstreams that reject stream_options for usage (per-Llm switch)", async () => {
    const { client } = openaiClient(gateway.url, tokens.alice, "plain", "model-in-body");
    const { data: stream, response } = await client.chat.completions
      .create({ model: "plain", messages: [{ role: "user", content: "hi" }], stream: true })
      .withResponse();
    for await (const _ of stream) void _;
    expect(upstream.requests.at(-1)!.json).toMatchObject({ model: "qwen", stream: true });
    expect(upstream.requests.at(-1)!.json!.stream_options).toBeUndefined();
    // No usage frame comes, yet the audit names the model the provider reported in its chunks.
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ llm: "plain", model: "gpt-4o-2024-08-06", totalTokens: null, status: 200 });
  });

  it("streams parallel tool calls that the SDK assembles", async () => {
    const { client, model } = openaiClient(gateway.url, tokens.alice, "gpt", "infer");
    const completion = await client.chat.completions
      .stream({
        model,
        messages: [{ role: "user", content: "use tools" }],
        tools: [{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }],
      })
      .finalChatCompletion();
    const calls = completion.choices[0]!.message.tool_calls!;
    expect(calls.map((call) => call.type === "function" && [call.id, call.function.name, call.function.arguments])).toEqual([
      ["call_a", "get_weather", '{"city":"Paris"}'],
      ["call_b", "get_time", '{"tz":"UTC"}'],
    ]);
    expect(completion.choices[0]!.finish_reason).toBe("tool_calls");
    expect(upstream.requests.at(-1)!.json!.tools).toEqual([{ type: "function", function: { name: "get_weather", parameters: { type: "object" } } }]);
  });

  it("passes images through untouched", async () => {
    const { client, model } = openaiClient(gateway.url, tokens.alice, "local", "llm-chat");
    const content = [
      { type: "text" as const, text: "what is this?" },
      { type: "image_url" as const, image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" as const } },
    ];
    await client.chat.completions.create({ model, messages: [{ role: "user", content }] });
    expect(upstream.requests.at(-1)!.json).toMatchObject({ model: "llama3.2", messages: [{ role: "user", content }] });
    expect(upstream.requests.at(-1)!.headers.authorization).toBeUndefined();
  });

  it("never forwards the client's token, cookies or other headers", async () => {
    const response = await fetch(`${gateway.url}/api/v1/llms/gpt/infer`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${tokens.alice}`,
        "content-type": "application/json",
        cookie: "gw_session=client-cookie-value; other=1",
        "x-forwarded-for": "203.0.113.9",
        "x-custom-header": "client-value",
        "openai-organization": "org-client",
      },
      body: JSON.stringify({ model: "client-chosen-model", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(response.status).toBe(200);
    const sent = upstream.requests.at(-1)!;
    const forwarded = JSON.stringify(sent.headers);
    for (const value of [tokens.alice, "client-cookie-value", "203.0.113.9", "client-value", "org-client"]) expect(forwarded).not.toContain(value);
    expect(sent.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(sent.json!.model).toBe("gpt-4o");
  });
});
