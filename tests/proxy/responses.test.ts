import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLimit } from "../../server/limits/create";
import { createLlm } from "../../server/llms/create";
import { sendJson, sendSse, sleep, type RecordedRequest } from "../helpers/fake-upstream";
import type { ServeMode } from "../helpers/gateway";
import { auditFor, OPENAI_KEY, operator, waitForAuditRows } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway, type SeededGateway } from "../helpers/seeded-gateway";

// OpenAI's Responses and embeddings APIs in front of the gateway, driven by the real `openai` SDK:
// Responses native to the seeded `gpt` (OpenAI) Llm, translated for `local` (Ollama) and `claude`
// (Anthropic, through both translations) and through a route; embeddings native.

const fixture = (file: string) => readFileSync(new URL(`../../server/proxy/apis/__fixtures__/${file}`, import.meta.url), "utf8");
const NATIVE_STREAM = fixture("openai-responses-text.sse.txt");

const NATIVE_RESPONSE = {
  id: "resp_native",
  object: "response",
  created_at: 1741476542,
  status: "completed",
  error: null,
  incomplete_details: null,
  model: "gpt-4.1-2025-04-14",
  output: [
    {
      id: "msg_1",
      type: "message",
      status: "completed",
      role: "assistant",
      content: [{ type: "output_text", text: "Native answer.", annotations: [] }],
    },
  ],
  parallel_tool_calls: true,
  tool_choice: "auto",
  tools: [],
  usage: { input_tokens: 20, input_tokens_details: { cached_tokens: 5 }, output_tokens: 3, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 23 },
};

const TOOL_COMPLETION = {
  id: "chatcmpl-local",
  object: "chat.completion",
  created: 1700000000,
  model: "llama3.2",
  choices: [
    {
      index: 0,
      message: {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_ls", type: "function", function: { name: "exec_command", arguments: '{"cmd":"ls"}' } }],
      },
      finish_reason: "tool_calls",
    },
  ],
  usage: { prompt_tokens: 40, completion_tokens: 8, total_tokens: 48 },
};

const event = (payload: Record<string, unknown>) => `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`;
const ANTHROPIC_STREAM = [
  event({
    type: "message_start",
    message: { id: "msg_a", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [], usage: { input_tokens: 15, output_tokens: 1 } },
  }),
  event({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
  event({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "From Claude." } }),
  event({ type: "content_block_stop", index: 0 }),
  event({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 4 } }),
  event({ type: "message_stop" }),
];

const next: { failure: { status: number; body: unknown; headers?: Record<string, string> } | null; midStreamError: boolean } = {
  failure: null,
  midStreamError: false,
};

async function answer(request: RecordedRequest, response: ServerResponse): Promise<void> {
  if (request.body.includes("go silent")) return void (await request.closed);
  if (request.url.startsWith("/slow/")) {
    if (request.url.endsWith("/embeddings")) return void (await request.closed);
    if (request.url.endsWith("/responses")) return sendSse(response, NATIVE_STREAM.split(/(?<=\n\n)/), { delayMs: 150 });
    return sendSse(response, fixture("openai-text.chunks.txt").split(/(?<=\n\n)/), { delayMs: 150 });
  }
  if (next.failure) return sendJson(response, next.failure.status, next.failure.body, next.failure.headers);
  const stream = request.json?.stream === true;
  if (request.url === "/v1/responses") {
    return stream
      ? sendSse(response, [NATIVE_STREAM], { headers: { "x-request-id": "req_resp" } })
      : sendJson(response, 200, NATIVE_RESPONSE, { "x-request-id": "req_resp" });
  }
  if (request.url === "/v1/embeddings") {
    return sendJson(response, 200, {
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [0.25, -0.5, 0.125] }],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
  }
  if (request.url === "/v1/messages") return sendSse(response, ANTHROPIC_STREAM);
  if (!stream) return sendJson(response, 200, TOOL_COMPLETION);
  if (next.midStreamError) {
    const opening = fixture("openai-text.chunks.txt")
      .split(/(?<=\n\n)/)
      .slice(0, 3);
    return sendSse(response, [...opening, `data: ${JSON.stringify({ error: { message: "The server had an error", type: "server_error", code: null } })}\n\n`]);
  }
  return sendSse(response, [fixture("openai-tools.chunks.txt")]);
}

const MAX_BODY = 300_000;

const EXEC_TOOL = {
  type: "function" as const,
  name: "exec_command",
  description: "Run a command",
  strict: false,
  parameters: { type: "object", properties: { cmd: { type: "string" } } },
};

describe.each<ServeMode>(["lean", "next"])("OpenAI Responses and embeddings in, served by %s", (mode) => {
  let seeded: SeededGateway;
  let sdk: OpenAI;

  beforeAll(async () => {
    seeded = await startSeededGateway(mode, answer, {
      env: { GATEWAY_MAX_BODY_BYTES: String(MAX_BODY) },
      beforeStart: async (_dataDir, upstreamUrl) => {
        await createLlm({ ctx: operator(), input: { name: "slow-embed", provider: "vllm", model: "bge", url: `${upstreamUrl}/slow/v1` } });
        await createLlm({
          ctx: operator(),
          input: {
            name: "codex",
            provider: "route",
            routing: {
              targets: [
                { llm: "down", group: 0 },
                { llm: "local", group: 1 },
              ],
            },
          },
        });
      },
    });
    sdk = new OpenAI({ apiKey: seeded.tokens.alice, baseURL: `${seeded.gateway.url}/api/v1`, maxRetries: 0 });
  });
  afterAll(() => stopSeededGateway(seeded));
  beforeEach(() => {
    next.failure = null;
    next.midStreamError = false;
  });

  const lastUpstream = () => seeded.upstream.requests.at(-1)!;

  it("to an OpenAI Llm: passed through with the Llm's model and the provider key; the answer untouched and its usage audited", async () => {
    const params = {
      model: "gpt",
      input: [{ role: "user" as const, content: "Say something" }],
      instructions: "Be brief.",
      store: false,
      reasoning: { effort: "low" as const },
      include: ["reasoning.encrypted_content" as const],
    };
    const { data, response } = await sdk.responses.create(params, { headers: { "session-id": "codex-session-1" } }).withResponse();
    expect(data.output_text).toBe("Native answer.");
    expect(lastUpstream()).toMatchObject({ url: "/v1/responses", json: { ...params, model: "gpt-4o" } });
    expect(lastUpstream().headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(lastUpstream().headers["session-id"]).toBeUndefined();
    expect((await auditFor(response.headers.get("x-request-id")))[0]).toMatchObject({
      api: "responses",
      llm: "gpt",
      provider: "openai",
      model: "gpt-4.1-2025-04-14",
      promptTokens: 20,
      completionTokens: 3,
      cacheReadTokens: 5,
      sessionId: "codex-session-1",
      upstreamRequestId: "req_resp",
    });
  });

  it("to an OpenAI Llm, streamed: the events reach the client byte for byte; usage from response.completed", async () => {
    const raw = await fetch(`${seeded.gateway.url}/api/v1/responses`, {
      method: "POST",
      headers: { authorization: `Bearer ${seeded.tokens.alice}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt", input: "story", stream: true }),
    });
    expect(await raw.text()).toBe(NATIVE_STREAM);
    expect((await auditFor(raw.headers.get("x-request-id")))[0]).toMatchObject({
      api: "responses",
      streaming: true,
      promptTokens: 37,
      completionTokens: 11,
      cacheReadTokens: 12,
    });
    const final = await sdk.responses.stream({ model: "gpt", input: "story" }).finalResponse();
    expect(final.output_text).toBe("In a quiet forest, a unicorn slept.");
  });

  it("to an Ollama Llm: translated to Chat Completions; the tool call comes back as a function_call item", async () => {
    const { data, response } = await sdk.responses
      .create({
        model: "local",
        instructions: "You are a coding agent.",
        tools: [EXEC_TOOL, { type: "web_search" }],
        input: [
          { role: "user", content: "List files" },
          { type: "function_call", call_id: "call_0", name: "exec_command", arguments: '{"cmd":"pwd"}' },
          { type: "function_call_output", call_id: "call_0", output: "/work" },
        ],
      })
      .withResponse();
    expect(lastUpstream().url).toBe("/v1/chat/completions");
    expect(lastUpstream().json).toEqual({
      model: "llama3.2",
      messages: [
        { role: "system", content: "You are a coding agent." },
        { role: "user", content: "List files" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_0", type: "function", function: { name: "exec_command", arguments: '{"cmd":"pwd"}' } }] },
        { role: "tool", tool_call_id: "call_0", content: "/work" },
      ],
      tools: [{ type: "function", function: { name: "exec_command", description: "Run a command", strict: false, parameters: EXEC_TOOL.parameters } }],
    });
    expect(data.output).toMatchObject([{ type: "function_call", call_id: "call_ls", name: "exec_command", arguments: '{"cmd":"ls"}', status: "completed" }]);
    expect(data.usage).toMatchObject({ input_tokens: 40, output_tokens: 8, total_tokens: 48 });
    expect((await auditFor(response.headers.get("x-request-id")))[0]).toMatchObject({ api: "responses", provider: "ollama", promptTokens: 40 });
  });

  it("streamed to an Anthropic Llm: through both translations, the SDK assembles the answer; usage audited", async () => {
    const stream = sdk.responses.stream({ model: "claude", input: "hi", max_output_tokens: 100 });
    const final = await stream.finalResponse();
    expect(lastUpstream().url).toBe("/v1/messages");
    expect(final.output_text).toBe("From Claude.");
    expect(final.usage).toMatchObject({ input_tokens: 15, output_tokens: 4 });
  });

  it("through a route: the unreachable target is skipped, the Ollama target answers as one clean Responses stream", async () => {
    const { events, final, requestId } = await streamed({ model: "codex", input: "weather and time", tools: [EXEC_TOOL] });
    expect(events.filter((name) => name === "response.created")).toHaveLength(1);
    expect(final?.output).toMatchObject([
      { type: "function_call", name: "get_weather", arguments: '{"location": "Paris, France"}' },
      { type: "function_call", name: "get_time", arguments: '{"tz": "Europe/Paris"}' },
    ]);
    expect((await auditFor(requestId))[0]).toMatchObject({ api: "responses", llm: "codex", servedBy: "local", attempts: 2, status: 200 });
  });

  it("stateless: previous_response_id and stored-response paths are answered 400 with what to do instead", async () => {
    const error = await sdk.responses.create({ model: "gpt", input: "hi", previous_response_id: "resp_1" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain("previous_response_id: not supported; the gateway keeps no responses");
    const retrieve = await sdk.responses.retrieve("resp_1").catch((caught: unknown) => caught);
    expect(retrieve).toBeInstanceOf(OpenAI.BadRequestError);
    expect((retrieve as InstanceType<typeof OpenAI.BadRequestError>).message).toContain("the gateway keeps no responses");
  });

  it("errors in OpenAI's shape: authentication, permission, unknown Llm, a provider's 429 and 500, a body too large, a silent provider", async () => {
    const errorOf = (promise: Promise<unknown>) =>
      promise.then(
        () => null,
        (caught: unknown) => caught,
      );
    const ask = (client: OpenAI, model: string) => errorOf(client.responses.create({ model, input: "hi" }));
    const client = (token: string) => new OpenAI({ apiKey: token, baseURL: `${seeded.gateway.url}/api/v1`, maxRetries: 0 });
    expect(await ask(client("gw_not_a_token"), "gpt")).toBeInstanceOf(OpenAI.AuthenticationError);
    const denied = await ask(client(seeded.tokens.bob), "local");
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((denied as InstanceType<typeof OpenAI.APIError>).message).toContain("run:llms:local");
    expect(await ask(sdk, "no-such-llm")).toBeInstanceOf(OpenAI.NotFoundError);
    next.failure = {
      status: 429,
      body: { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
      headers: { "retry-after": "3" },
    };
    const limited = await ask(sdk, "gpt");
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")).toBe("3");
    next.failure = { status: 500, body: { error: { message: "boom", type: "server_error", code: null } } };
    expect(await ask(sdk, "local")).toBeInstanceOf(OpenAI.InternalServerError);
    next.failure = null;
    const tooLarge = await errorOf(sdk.responses.create({ model: "gpt", input: "x".repeat(MAX_BODY) }));
    expect(tooLarge).toMatchObject({ status: 413, error: { type: "request_too_large" } });
    const silent = await errorOf(sdk.responses.create({ model: "slow", input: "go silent" }));
    expect(silent).toMatchObject({ status: 504, error: { type: "timeout_error" } });
    const embeddingsTooLarge = await errorOf(sdk.embeddings.create({ model: "gpt", input: "x".repeat(MAX_BODY) }));
    expect(embeddingsTooLarge).toMatchObject({ status: 413, error: { type: "request_too_large" } });
  });

  it("a translated stream that fails after it began ends with response.failed, and the audit keeps the error", async () => {
    next.midStreamError = true;
    const { events, final, requestId } = await streamed({ model: "local", input: "hi" });
    expect(events.at(-1)).toBe("response.failed");
    expect(final).toMatchObject({ status: "failed", error: { message: "The server had an error" } });
    expect((await auditFor(requestId))[0]).toMatchObject({ api: "responses", status: 200, error: "The server had an error" });
  });

  it("a client that leaves mid-stream is audited as 499 and the provider call is cut", async () => {
    const controller = new AbortController();
    const { data, response } = await sdk.responses.create({ model: "slow", input: "hi", stream: true }, { signal: controller.signal }).withResponse();
    let deltas = 0;
    try {
      for await (const streamEvent of data) {
        if (streamEvent.type !== "response.output_text.delta") continue;
        deltas += 1;
        controller.abort();
      }
    } catch {
      // The SDK may end the iteration or raise the abort; either way the client has left.
    }
    expect(deltas).toBe(1);
    const upstream = seeded.upstream.requests.at(-1)!;
    await upstream.closed;
    expect(upstream.closedEarly).toBe(true);
    const requestId = response.headers.get("x-request-id");
    expect((await auditFor(requestId))[0]).toMatchObject({ api: "responses", llm: "slow", status: 499 });
  });

  it("embeddings: passed to OpenAI-compatible providers on both paths, audited with tokens; a clear 400 for the others", async () => {
    const { data, response } = await sdk.embeddings.create({ model: "gpt", input: "hello world", encoding_format: "float" }).withResponse();
    expect(data.data[0]!.embedding).toEqual([0.25, -0.5, 0.125]);
    expect(lastUpstream()).toMatchObject({ url: "/v1/embeddings", json: { model: "gpt-4o", input: "hello world", encoding_format: "float" } });
    expect((await auditFor(response.headers.get("x-request-id")))[0]).toMatchObject({
      api: "embeddings",
      llm: "gpt",
      promptTokens: 5,
      totalTokens: 5,
      streaming: false,
      status: 200,
    });
    const byPath = new OpenAI({ apiKey: seeded.tokens.alice, baseURL: `${seeded.gateway.url}/api/v1/llms/local`, maxRetries: 0 });
    const local = await byPath.embeddings.create({ model: "ignored", input: ["a", "b"] });
    expect(local.data).toHaveLength(1);
    expect(lastUpstream().json).toMatchObject({ model: "llama3.2", input: ["a", "b"] });

    const refused = await sdk.embeddings.create({ model: "claude", input: "x" }).catch((caught: unknown) => caught);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).message).toContain("llm 'claude' (provider anthropic) does not serve the embeddings API");
    const denied = await new OpenAI({ apiKey: seeded.tokens.bob, baseURL: `${seeded.gateway.url}/api/v1`, maxRetries: 0 }).embeddings
      .create({ model: "local", input: "x" })
      .catch((caught: unknown) => caught);
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
  });

  it("embeddings: a client that leaves while the provider works is audited as 499, and the provider call is cut", async () => {
    const controller = new AbortController();
    const before = seeded.upstream.requests.length;
    const call = fetch(`${seeded.gateway.url}/api/v1/embeddings`, {
      method: "POST",
      headers: { authorization: `Bearer ${seeded.tokens.alice}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "slow-embed", input: "x" }),
      signal: controller.signal,
    }).catch(() => null);
    for (let wait = 0; wait < 400 && seeded.upstream.requests.length === before; wait += 1) await sleep(25);
    const upstream = seeded.upstream.requests.at(-1)!;
    expect(upstream.url).toBe("/slow/v1/embeddings");
    controller.abort();
    await call;
    await upstream.closed;
    expect(upstream.closedEarly).toBe(true);
    expect((await auditFor(await latestRequestIdFor("slow-embed")))[0]).toMatchObject({ api: "embeddings", status: 499 });
  });

  it("a limit refuses Responses, embeddings and count_tokens calls alike, before the provider is called", async () => {
    await createLimit({ ctx: operator(), input: { scope: { user: "bob", llm: "gpt" }, metric: "requests", window: "day", max: 1 } });
    const bob = new OpenAI({ apiKey: seeded.tokens.bob, baseURL: `${seeded.gateway.url}/api/v1`, maxRetries: 0 });
    const ask = () =>
      bob.responses.create({ model: "gpt", input: "hi" }).then(
        () => null,
        (caught: unknown) => caught,
      );
    let refused: unknown = null;
    for (let attempt = 0; attempt < 200 && !refused; attempt += 1) {
      refused = await ask();
      if (!refused) await sleep(25);
    }
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).message).toContain("Limit reached: user bob on llm gpt");
    const before = seeded.upstream.requests.length;
    expect(await bob.embeddings.create({ model: "gpt", input: "x" }).catch((caught: unknown) => caught)).toBeInstanceOf(OpenAI.RateLimitError);
    const count = await fetch(`${seeded.gateway.url}/api/v1/messages/count_tokens`, {
      method: "POST",
      headers: { "x-api-key": seeded.tokens.bob, "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(count.status).toBe(429);
    expect(await count.json()).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
    expect(seeded.upstream.requests.length).toBe(before);
  });

  /** A streamed Responses call read event by event: the event types, the final response, the request id. */
  async function streamed(params: Omit<OpenAI.Responses.ResponseCreateParamsStreaming, "stream">) {
    const { data, response } = await sdk.responses.create({ ...params, stream: true }).withResponse();
    const events: string[] = [];
    let final: OpenAI.Responses.Response | null = null;
    for await (const streamEvent of data) {
      events.push(streamEvent.type);
      if (streamEvent.type === "response.completed" || streamEvent.type === "response.failed") final = streamEvent.response;
    }
    return { events, final, requestId: response.headers.get("x-request-id") };
  }

  /** The newest audit row's request id for an Llm (a call whose client left has no response to read it from). */
  async function latestRequestIdFor(llm: string): Promise<string> {
    const [row] = await waitForAuditRows((candidate) => candidate.llm === llm, 1);
    if (!row?.requestId) throw new Error(`no audit row for ${llm}`);
    return row.requestId;
  }
});
