import type { ServerResponse } from "node:http";
import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBinding } from "../../server/bindings/create";
import { createLlm } from "../../server/llms/create";
import { openaiCompletion, openaiStreamFrames, sendJson, sendSse, sleep, type RecordedRequest } from "../helpers/fake-upstream";
import type { ServeMode } from "../helpers/gateway";
import { auditFor, operator } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway, type SeededGateway } from "../helpers/seeded-gateway";

// The seeded `claude` (Anthropic) and `gpt` (OpenAI) Llms share one fake provider; each can be
// told to fail. Routes over them are called with the real OpenAI SDK through a running gateway.
type Failure = "none" | "overloaded" | "error-before-content" | "server-error";
const failing: { anthropic: Failure; openai: Failure } = { anthropic: "none", openai: "none" };

function anthropicEvents(text: string): string[] {
  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  return [
    event("message_start", {
      message: { id: "msg_r", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [], usage: { input_tokens: 6, output_tokens: 1 } },
    }),
    event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    event("content_block_delta", { index: 0, delta: { type: "text_delta", text } }),
    event("content_block_stop", { index: 0 }),
    event("message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 4 } }),
    event("message_stop", {}),
  ];
}

async function answer(request: RecordedRequest, response: ServerResponse): Promise<void> {
  const anthropic = request.url.endsWith("/messages");
  const how = anthropic ? failing.anthropic : failing.openai;
  const stream = request.json?.stream === true;
  if (how === "overloaded") {
    return anthropic
      ? sendJson(response, 529, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } })
      : sendJson(response, 503, { error: { message: "The engine is currently overloaded", type: "server_error", code: null } });
  }
  if (how === "server-error") return sendJson(response, 500, { error: { message: "upstream exploded", type: "server_error", code: null } });
  if (how === "error-before-content" && stream) {
    response.writeHead(200, { "content-type": "text/event-stream" });
    if (anthropic) {
      response.write(anthropicEvents("")[0]!);
      await sleep(10);
      return void response.end(`event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })}\n\n`);
    }
    response.write(openaiStreamFrames(request, [])[0]!);
    await sleep(10);
    return void response.end(`data: ${JSON.stringify({ error: { message: "The server had an error", type: "server_error", code: null } })}\n\n`);
  }
  const text = anthropic ? "from claude" : "from gpt";
  if (anthropic) {
    if (!stream) {
      return sendJson(response, 200, {
        id: "msg_r",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-4-5",
        content: [{ type: "text", text }],
        stop_reason: "end_turn",
        usage: { input_tokens: 6, output_tokens: 4 },
      });
    }
    return sendSse(response, anthropicEvents(text));
  }
  return stream ? sendSse(response, openaiStreamFrames(request, [text])) : sendJson(response, 200, openaiCompletion(text));
}

describe.each<ServeMode>(["lean", "next"])("routes through the gateway served by %s, with the OpenAI SDK", (mode) => {
  let seeded: SeededGateway;
  let sdk: OpenAI;

  beforeAll(async () => {
    seeded = await startSeededGateway(mode, answer, {
      beforeStart: async () => {
        const route = (name: string, targets: Array<{ llm: string; group: number }>, failureThreshold = 3) =>
          createLlm({ ctx: operator(), input: { name, provider: "route", routing: { targets, failureThreshold } } });
        await route("claude-first", [
          { llm: "claude", group: 0 },
          { llm: "gpt", group: 1 },
        ]);
        await route("gpt-first", [
          { llm: "gpt", group: 0 },
          { llm: "claude", group: 1 },
        ]);
        await route("fragile", [{ llm: "gpt", group: 0 }], 1);
        await createBinding({ ctx: operator(), input: { user: "alice", role: "view", resource: "llms", name: "fragile" } });
      },
    });
    sdk = new OpenAI({ apiKey: seeded.tokens.alice, baseURL: `${seeded.gateway.url}/api/v1`, maxRetries: 0 });
  });
  afterAll(() => stopSeededGateway(seeded));
  beforeEach(() => {
    failing.anthropic = "none";
    failing.openai = "none";
  });

  async function streamed(model: string): Promise<{ text: string; requestId: string | null; roles: number }> {
    const { data: stream, response } = await sdk.chat.completions.create({ model, messages: [{ role: "user", content: "hi" }], stream: true }).withResponse();
    let text = "";
    let roles = 0;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.role) roles += 1;
      text += chunk.choices[0]?.delta.content ?? "";
    }
    return { text, requestId: response.headers.get("x-request-id"), roles };
  }

  it("Anthropic overloaded: the OpenAI target answers, streamed or not, and the audit says who served", async () => {
    failing.anthropic = "overloaded";
    const { data, response } = await sdk.chat.completions.create({ model: "claude-first", messages: [{ role: "user", content: "hi" }] }).withResponse();
    expect(data.choices[0]!.message.content).toBe("from gpt");
    expect((await auditFor(response.headers.get("x-request-id")))[0]).toMatchObject({ llm: "claude-first", servedBy: "gpt", attempts: 2, provider: "openai" });
    failing.anthropic = "error-before-content";
    const stream = await streamed("claude-first");
    expect(stream).toMatchObject({ text: "from gpt", roles: 1 });
    expect((await auditFor(stream.requestId))[0]).toMatchObject({ servedBy: "gpt", attempts: 2, status: 200, error: null });
  });

  it("OpenAI failing: the Anthropic target answers through the translation, as one clean stream", async () => {
    failing.openai = "error-before-content";
    const stream = await streamed("gpt-first");
    expect(stream).toMatchObject({ text: "from claude", roles: 1 });
    expect((await auditFor(stream.requestId))[0]).toMatchObject({
      llm: "gpt-first",
      servedBy: "claude",
      attempts: 2,
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      promptTokens: 6,
      completionTokens: 4,
    });
  });

  it("every target cooling down: the SDK gets 503 with Retry-After at once, and the provider is not called", async () => {
    failing.openai = "server-error";
    const first = await sdk.chat.completions.create({ model: "fragile", messages: [{ role: "user", content: "hi" }] }).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(OpenAI.InternalServerError);
    const before = seeded.upstream.requests.length;
    const refused = await sdk.chat.completions.create({ model: "fragile", messages: [{ role: "user", content: "hi" }] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    const error = refused as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(503);
    expect(Number(error.headers?.get("retry-after"))).toBeGreaterThanOrEqual(29);
    expect(error.message).toContain("Every target of route 'fragile' is cooling down");
    expect(seeded.upstream.requests.length).toBe(before);
    // The process that ran the calls says why.
    const targets = await fetch(`${seeded.gateway.url}/api/v1/llms/fragile/targets`, { headers: { authorization: `Bearer ${seeded.tokens.alice}` } });
    expect(targets.status).toBe(200);
    expect(await targets.json()).toMatchObject({ targets: [{ llm: "gpt", state: "cooling", failures: 1, recentErrors: [{ message: "upstream exploded" }] }] });
  });
});
