import type { ServerResponse } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { callInference, type InferenceAnswer } from "../../tests/helpers/inference";
import { ADMIN_CONTEXT, auditRows, contextFor, currentStore, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { openaiCompletion, sendJson, sleep, startFakeUpstream, type FakeUpstream, type RecordedRequest } from "../../tests/helpers/fake-upstream";
import { INFERENCE_EVENT } from "../audit/types";
import { createBinding } from "../bindings/create";
import { createLimit } from "../limits/create";
import { createLlm } from "../llms/create";
import { removeLlm } from "../llms/remove";
import { updateLlm } from "../llms/update";
import type { CreateLlmInput, RouteTarget } from "../llms/schemas";
import { handleApiRoute } from "../proxy/models";
import { log } from "../ops/log";
import { metricsResponse } from "../ops/metrics-endpoint";
import { createSecret } from "../secrets/create";
import { createToken } from "../tokens/create";
import { createUser } from "../users/create";

// Every target is one path on one fake provider: `/t/<name>/v1/...`; what it does is set per test.
type Behaviour =
  | "ok"
  | { status: number; retryAfter?: string }
  | "reset"
  | "silent"
  | "error-frame"
  | "cut-after-content"
  | "silent-after-open"
  | "silent-after-content"
  | "hold";

let upstream: FakeUpstream;
const behaviour = new Map<string, Behaviour>();
const requestsTo = (target: string) => upstream.requests.filter((request) => request.url.startsWith(`/t/${target}/`)).length;

function anthropicFrames(text: string): string[] {
  const event = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  return [
    event("message_start", {
      message: { id: "msg_1", type: "message", role: "assistant", model: "claude-sonnet-4-5", content: [], usage: { input_tokens: 7, output_tokens: 1 } },
    }),
    event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    event("content_block_delta", { index: 0, delta: { type: "text_delta", text } }),
    event("content_block_stop", { index: 0 }),
    event("message_delta", { delta: { stop_reason: "end_turn" }, usage: { output_tokens: 3 } }),
    event("message_stop", {}),
  ];
}

function openaiFrames(text: string): string[] {
  const base = { id: "chatcmpl-r", object: "chat.completion.chunk", created: 1, model: "gpt-4o" };
  const frame = (payload: object) => `data: ${JSON.stringify(payload)}\n\n`;
  return [
    frame({ ...base, choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] }),
    frame({ ...base, choices: [{ index: 0, delta: { content: text }, finish_reason: null }] }),
    frame({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }),
    frame({ ...base, choices: [], usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } }),
    "data: [DONE]\n\n",
  ];
}

async function answer(request: RecordedRequest, response: ServerResponse): Promise<void> {
  const target = request.url.split("/")[2] ?? "";
  const anthropic = request.url.endsWith("/messages");
  const stream = request.json?.stream === true;
  const how = behaviour.get(target) ?? "ok";
  const text = `from ${target}`;
  if (how === "silent" || how === "hold") return void (await request.closed);
  if (how === "reset") return void response.socket?.destroy();
  if (typeof how === "object") {
    const headers: Record<string, string> = how.retryAfter ? { "retry-after": how.retryAfter } : {};
    const body = anthropic
      ? { type: "error", error: { type: how.status === 529 ? "overloaded_error" : "api_error", message: `trouble at ${target}` } }
      : { error: { message: `trouble at ${target}`, type: how.status >= 500 ? "server_error" : "invalid_request_error", code: null } };
    return sendJson(response, how.status, body, headers);
  }
  if (!stream) {
    if (anthropic) {
      return sendJson(response, 200, {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "claude-sonnet-4-5",
        content: [{ type: "text", text }],
        stop_reason: "end_turn",
        usage: { input_tokens: 7, output_tokens: 3 },
      });
    }
    return sendJson(response, 200, openaiCompletion(text, "gpt-4o"));
  }
  response.writeHead(200, { "content-type": "text/event-stream" });
  const frames = anthropic ? anthropicFrames(text) : openaiFrames(text);
  if (how === "error-frame") {
    // The opening (role chunk / message_start), then the provider gives up before any content.
    response.write(frames[0]!);
    await sleep(10);
    const error = anthropic
      ? `event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } })}\n\n`
      : `data: ${JSON.stringify({ error: { message: "The server had an error", type: "server_error", code: null } })}\n\n`;
    return void response.end(error);
  }
  if (how === "silent-after-open" || how === "silent-after-content") {
    for (const frame of frames.slice(0, how === "silent-after-open" ? 1 : anthropic ? 3 : 2)) response.write(frame);
    return void (await request.closed);
  }
  if (how === "cut-after-content") {
    for (const frame of frames.slice(0, anthropic ? 3 : 2)) response.write(frame);
    await sleep(20);
    return void response.socket?.destroy();
  }
  for (const frame of frames) response.write(frame);
  response.end();
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.handle(answer);
});
afterAll(() => upstream?.close());

function call(
  token: string,
  llm: string,
  options: { stream?: boolean; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<InferenceAnswer> {
  const body = { messages: [{ role: "user", content: "hi" }], max_tokens: 5, stream: options.stream ?? false };
  return callInference(currentStore(), token, llm, body, options);
}

/** The text a stream carried, and what else it held. */
function readStream(text: string): { content: string; roleChunks: number; errors: number; done: boolean } {
  let content = "";
  let roleChunks = 0;
  let errors = 0;
  let done = false;
  for (const frame of text.split("\n\n")) {
    const data = frame.replace(/^data: /, "");
    if (!data) continue;
    if (data === "[DONE]") {
      done = true;
      continue;
    }
    const parsed = JSON.parse(data) as { error?: unknown; choices?: Array<{ delta: { role?: string; content?: string } }> };
    if (parsed.error) errors += 1;
    for (const choice of parsed.choices ?? []) {
      if (choice.delta.role) roleChunks += 1;
      content += choice.delta.content ?? "";
    }
  }
  return { content, roleChunks, errors, done };
}

/** `GET /api/v1/llms/{name}/targets` as `token`. */
async function targetsOf(token: string, name: string) {
  const response = await handleApiRoute(currentStore(), { kind: "targets", llmName: name }, { authorization: `Bearer ${token}` });
  return { status: response.status, json: JSON.parse(Buffer.from(response.body as Uint8Array).toString("utf8")) };
}

const KEY = { secret: "keys", key: "api_key" };

async function target(name: string, provider: "openai" | "anthropic" = "openai", extra: Partial<CreateLlmInput> = {}): Promise<void> {
  const model = provider === "openai" ? "gpt-4o" : "claude-sonnet-4-5";
  await createLlm({ ctx: ADMIN_CONTEXT, input: { name, provider, model, url: `${upstream.url}/t/${name}/v1`, apiKeyRef: KEY, timeoutMs: 1000, ...extra } });
}

let routeCount = 0;
/** A new route (its own cooldown state) over the given targets. */
async function route(targets: RouteTarget[], settings: Omit<NonNullable<CreateLlmInput["routing"]>, "targets"> = {}): Promise<string> {
  routeCount += 1;
  const name = `route-${routeCount}`;
  await createLlm({ ctx: ADMIN_CONTEXT, input: { name, provider: "route", routing: { targets, ...settings } } });
  return name;
}

async function lastAudit() {
  const rows = await auditRows();
  return rows.find((row) => row.event === INFERENCE_EVENT)!;
}

describe("routes", () => {
  useFreshDatabase();
  let alice: string;

  beforeEach(async () => {
    behaviour.clear();
    upstream.requests.length = 0;
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "keys", values: { api_key: "sk-route-test" } } });
    for (const name of ["a", "b", "c", "d", "x"]) await target(name);
    await target("claude", "anthropic", { defaults: { max_tokens: 100 } });
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "refused", provider: "openai", model: "gpt-4o", url: "http://127.0.0.1:9/v1", apiKeyRef: KEY } });
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "alice-password" } });
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "alice", role: "run", resource: "llms" } });
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "alice", role: "view", resource: "llms" } });
    alice = (await createToken({ ctx: ADMIN_CONTEXT, input: { user: "alice" } })).token;
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("spreads calls over a group by weight", async () => {
    const name = await route([
      { llm: "a", weight: 3 },
      { llm: "b", weight: 1 },
    ]);
    const served = { a: 0, b: 0 };
    for (let index = 0; index < 400; index += 1) {
      const answer = await call(alice, name);
      expect(answer.status).toBe(200);
      served[answer.json!.choices![0]!.message.content === "from a" ? "a" : "b"] += 1;
    }
    // 300 expected for a; 240..360 is about seven standard deviations either way.
    expect(served.a).toBeGreaterThan(240);
    expect(served.a).toBeLessThan(360);
    expect(served.a + served.b).toBe(400);
  });

  it("tries lower groups first and falls back to the next group only when they fail", async () => {
    const name = await route([
      { llm: "b", group: 1 },
      { llm: "a", group: 0 },
    ]);
    for (let index = 0; index < 5; index += 1) expect((await call(alice, name)).json!.choices![0]!.message.content).toBe("from a");
    expect(requestsTo("b")).toBe(0);
    behaviour.set("a", { status: 500 });
    expect((await call(alice, name)).json!.choices![0]!.message.content).toBe("from b");
    const row = await lastAudit();
    expect(row).toMatchObject({ llm: name, servedBy: "b", attempts: 2, status: 200, provider: "openai", model: "gpt-4o" });
  });

  const RETRYABLE: Array<[string, Behaviour | "refused"]> = [
    ...[408, 409, 429, 500, 502, 503, 529, 401, 402, 403, 404].map((status): [string, Behaviour] => [`HTTP ${status}`, { status }]),
    ["a reset connection", "reset"],
    ["a refused connection", "refused"],
    ["silence before the first byte", "silent"],
  ];

  it.each(RETRYABLE)("%s is served by the next target", async (_label, how) => {
    const first = how === "refused" ? "refused" : "x";
    if (how !== "refused") behaviour.set("x", how);
    const name = await route([
      { llm: first, group: 0 },
      { llm: "a", group: 1 },
    ]);
    for (const stream of [false, true]) {
      const answer = await call(alice, name, { stream });
      expect(answer.status).toBe(200);
      if (stream) expect(readStream(answer.text)).toEqual({ content: "from a", roleChunks: 1, errors: 0, done: true });
      else expect(answer.json!.choices![0]!.message.content).toBe("from a");
      expect(await lastAudit()).toMatchObject({ llm: name, servedBy: "a", attempts: 2, status: 200, error: null });
    }
  });

  it.each([400, 413, 422])("HTTP %i is the request's own fault: answered as it is, not retried", async (status) => {
    behaviour.set("x", { status });
    const name = await route([
      { llm: "x", group: 0 },
      { llm: "a", group: 1 },
    ]);
    const answer = await call(alice, name);
    expect(answer.status).toBe(status);
    expect(answer.json!.error!.message).toBe("trouble at x");
    expect(requestsTo("a")).toBe(0);
    expect(await lastAudit()).toMatchObject({ servedBy: "x", attempts: 1, status });
  });

  it("a stream whose provider fails before any content reaches the client as one clean stream from the next target", async () => {
    behaviour.set("x", "error-frame");
    const name = await route([
      { llm: "x", group: 0 },
      { llm: "a", group: 1 },
    ]);
    const answer = await call(alice, name, { stream: true });
    expect(answer.status).toBe(200);
    expect(readStream(answer.text)).toEqual({ content: "from a", roleChunks: 1, errors: 0, done: true });
    expect(requestsTo("x")).toBe(1);
    expect(await lastAudit()).toMatchObject({ servedBy: "a", attempts: 2, status: 200, totalTokens: 10 });
  });

  it("a stream that failed after its content began gets its error frame and is not retried", async () => {
    behaviour.set("x", "cut-after-content");
    const name = await route([
      { llm: "x", group: 0 },
      { llm: "a", group: 1 },
    ]);
    const answer = await call(alice, name, { stream: true });
    expect(answer.status).toBe(200);
    const read = readStream(answer.text);
    expect(read).toMatchObject({ content: "from x", errors: 1, done: false });
    expect(requestsTo("a")).toBe(0);
    const row = await lastAudit();
    expect(row).toMatchObject({ servedBy: "x", attempts: 1, status: 200 });
    expect(row.error).toContain("ended before it was complete");
  });

  it("a stream silent after its opening is retried on the next target; one silent after its content began times out without a retry", async () => {
    behaviour.set("x", "silent-after-open");
    const name = await route([
      { llm: "x", group: 0 },
      { llm: "a", group: 1 },
    ]);
    const retried = await call(alice, name, { stream: true });
    expect(readStream(retried.text)).toEqual({ content: "from a", roleChunks: 1, errors: 0, done: true });
    expect(await lastAudit()).toMatchObject({ servedBy: "a", attempts: 2, status: 200 });
    behaviour.set("x", "silent-after-content");
    const cut = await call(alice, name, { stream: true });
    expect(readStream(cut.text)).toMatchObject({ content: "from x", errors: 1, done: false });
    expect(cut.text).toContain('"type":"timeout_error"');
    expect(requestsTo("a")).toBe(1);
    expect(await lastAudit()).toMatchObject({ servedBy: "x", attempts: 1, status: 200, error: "The upstream provider did not answer in time" });
  });

  it("makes no second upstream call once the client has left", async () => {
    behaviour.set("x", "hold");
    const name = await route([
      { llm: "x", group: 0 },
      { llm: "a", group: 1 },
    ]);
    for (const stream of [false, true]) {
      const client = new AbortController();
      const before = requestsTo("x");
      const pending = call(alice, name, { stream, signal: client.signal });
      while (requestsTo("x") === before) await sleep(5);
      client.abort();
      await pending;
      await sleep(50);
      expect(requestsTo("a")).toBe(0);
      expect(await lastAudit()).toMatchObject({ servedBy: "x", attempts: 1, status: 499 });
    }
  });

  it("cools a target down after failures in a row, probes it when the cooldown ends, and trusts it again after a good probe", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    behaviour.set("x", { status: 500 });
    const name = await route(
      [
        { llm: "x", group: 0 },
        { llm: "a", group: 1 },
      ],
      { failureThreshold: 2, cooldownS: 30 },
    );
    await call(alice, name);
    await call(alice, name);
    expect(requestsTo("x")).toBe(2);
    const cooling = await targetsOf(alice, name);
    expect(cooling.status).toBe(200);
    expect(cooling.json.targets).toEqual([
      {
        llm: "x",
        group: 0,
        weight: 1,
        state: "cooling",
        coolingUntil: Date.now() + 30_000,
        inFlight: 0,
        failures: 2,
        recentErrors: [
          { at: Date.now(), message: "trouble at x" },
          { at: Date.now(), message: "trouble at x" },
        ],
      },
      { llm: "a", group: 1, weight: 1, state: "available", coolingUntil: null, inFlight: 0, failures: 0, recentErrors: [] },
    ]);
    // Cooling: straight to a.
    expect(await call(alice, name)).toMatchObject({ status: 200 });
    expect(requestsTo("x")).toBe(2);
    expect(await lastAudit()).toMatchObject({ servedBy: "a", attempts: 1 });
    vi.setSystemTime(Date.now() + 29_000);
    await call(alice, name);
    expect(requestsTo("x")).toBe(2);
    // Cooldown over: one probe, which fails and cools the target again at once.
    vi.setSystemTime(Date.now() + 2_000);
    await call(alice, name);
    expect(requestsTo("x")).toBe(3);
    await call(alice, name);
    expect(requestsTo("x")).toBe(3);
    // The next probe succeeds: x serves again.
    behaviour.set("x", "ok");
    vi.setSystemTime(Date.now() + 31_000);
    expect((await call(alice, name)).json!.choices![0]!.message.content).toBe("from x");
    expect((await call(alice, name)).json!.choices![0]!.message.content).toBe("from x");
    expect(requestsTo("x")).toBe(5);
  });

  it("a probe whose client left before any answer leaves the probe to the next call", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    behaviour.set("x", { status: 500 });
    const name = await route(
      [
        { llm: "x", group: 0 },
        { llm: "a", group: 1 },
      ],
      { failureThreshold: 1, cooldownS: 30 },
    );
    await call(alice, name);
    vi.setSystemTime(Date.now() + 31_000);
    behaviour.set("x", "hold");
    const client = new AbortController();
    const pending = call(alice, name, { signal: client.signal });
    while (requestsTo("x") < 2) await sleep(5);
    expect((await targetsOf(alice, name)).json.targets[0]).toMatchObject({ llm: "x", state: "probing", inFlight: 1 });
    client.abort();
    await pending;
    behaviour.set("x", "ok");
    expect((await call(alice, name)).json!.choices![0]!.message.content).toBe("from x");
  });

  it("a 429 with Retry-After cools the target at once for as long as it asked, when longer than the cooldown", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    behaviour.set("x", { status: 429, retryAfter: "120" });
    const name = await route(
      [
        { llm: "x", group: 0 },
        { llm: "a", group: 1 },
      ],
      { failureThreshold: 3, cooldownS: 30 },
    );
    expect((await call(alice, name)).json!.choices![0]!.message.content).toBe("from a");
    behaviour.set("x", "ok");
    vi.setSystemTime(Date.now() + 60_000);
    expect((await call(alice, name)).json!.choices![0]!.message.content).toBe("from a");
    vi.setSystemTime(Date.now() + 61_000);
    expect((await call(alice, name)).json!.choices![0]!.message.content).toBe("from x");
  });

  it("fails fast with 503 and Retry-After when every target is cooling down", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    behaviour.set("x", { status: 500 });
    behaviour.set("b", { status: 503, retryAfter: "45" });
    const name = await route([{ llm: "x" }, { llm: "b" }], { failureThreshold: 1, cooldownS: 30 });
    const failed = await call(alice, name);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await lastAudit()).toMatchObject({ attempts: 2 });
    const before = upstream.requests.length;
    const refused = await call(alice, name);
    expect(refused.status).toBe(503);
    // The earliest recovery: x after the 30 s cooldown (b asked for 45, which lengthens its own).
    expect(refused.headers["retry-after"]).toBe("30");
    expect(refused.json!.error!.message).toContain(`Every target of route '${name}' is cooling down`);
    expect(upstream.requests.length).toBe(before);
    expect(await lastAudit()).toMatchObject({ status: 503, attempts: 0, servedBy: null });
  });

  it("falls back across providers: Anthropic failing to OpenAI, and OpenAI failing to Anthropic, streamed or not", async () => {
    for (const [failing, serving] of [
      ["claude", "a"],
      ["a", "claude"],
    ] as const) {
      behaviour.clear();
      behaviour.set(failing, { status: failing === "claude" ? 529 : 503 });
      const name = await route([
        { llm: failing, group: 0 },
        { llm: serving, group: 1 },
      ]);
      const plain = await call(alice, name);
      expect(plain.json!.choices![0]!.message.content).toBe(`from ${serving}`);
      expect(await lastAudit()).toMatchObject({
        servedBy: serving,
        attempts: 2,
        provider: serving === "claude" ? "anthropic" : "openai",
        model: serving === "claude" ? "claude-sonnet-4-5" : "gpt-4o",
      });
      behaviour.set(failing, "error-frame");
      const streamed = await call(alice, name, { stream: true });
      expect(readStream(streamed.text)).toEqual({ content: `from ${serving}`, roleChunks: 1, errors: 0, done: true });
      expect(await lastAudit()).toMatchObject({ servedBy: serving, attempts: 2, status: 200 });
    }
  });

  it("when every attempt fails the client gets the last target's error, and the audit names it", async () => {
    behaviour.set("x", { status: 500 });
    behaviour.set("a", { status: 502 });
    const name = await route([
      { llm: "x", group: 0 },
      { llm: "a", group: 1 },
    ]);
    const warnings = vi.spyOn(log, "warn");
    const answer = await call(alice, name);
    expect(answer.status).toBe(502);
    expect(answer.json!.error!.message).toBe("trouble at a");
    expect(await lastAudit()).toMatchObject({ llm: name, servedBy: "a", attempts: 2, status: 502, error: "trouble at a" });
    // One log line per failed attempt.
    const lines = warnings.mock.calls.map(([line]) => line as unknown as Record<string, unknown>).filter((line) => line.msg === "route attempt failed");
    warnings.mockRestore();
    expect(lines).toEqual([
      expect.objectContaining({ route: name, target: "x", attempt: 1, error: "trouble at x", willRetry: true }),
      expect.objectContaining({ route: name, target: "a", attempt: 2, error: "trouble at a", willRetry: false }),
    ]);
    // And /metrics shows both targets' state and the attempts.
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "alice", role: "view", resource: "audit" } });
    const metrics = await metricsResponse(currentStore(), `Bearer ${alice}`, null);
    expect(metrics.body).toContain(`gateway_route_target_failures{route="${name}",target="x"} 1`);
    expect(metrics.body).toContain(`gateway_route_target_state{route="${name}",target="a"} 0`);
    expect(metrics.body).toContain(`gateway_route_attempts_total{route="${name}",target="x",outcome="failed"} 1`);
  });

  it("stops after maxAttempts", async () => {
    for (const name of ["a", "b", "c", "d"]) behaviour.set(name, { status: 500 });
    const name = await route([{ llm: "a" }, { llm: "b" }, { llm: "c" }, { llm: "d" }], { maxAttempts: 2 });
    const answer = await call(alice, name);
    expect(answer.status).toBe(500);
    expect(requestsTo("a") + requestsTo("b") + requestsTo("c") + requestsTo("d")).toBe(2);
    expect(await lastAudit()).toMatchObject({ attempts: 2 });
  });

  it("skips a target over its own limit like a cooling one, and prices the call at the serving target", async () => {
    await updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "b", pricing: { input: 1000, output: 1000 } } });
    await createLimit({ ctx: ADMIN_CONTEXT, input: { scope: { llm: "a" }, metric: "requests", window: "day", max: 1 } });
    const name = await route([
      { llm: "a", group: 0 },
      { llm: "b", group: 1 },
    ]);
    expect((await call(alice, name)).json!.choices![0]!.message.content).toBe("from a");
    expect((await call(alice, name)).json!.choices![0]!.message.content).toBe("from b");
    expect(requestsTo("a")).toBe(1);
    const row = await lastAudit();
    expect(row).toMatchObject({ servedBy: "b", attempts: 1, priceSource: "llm" });
    // 9 prompt and 3 completion tokens at $1000 per million each.
    expect(row.costUsd).toBeCloseTo(0.012, 9);
  });

  it("a cost budget on the route reserves what its dearest target would cost", async () => {
    await updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "b", pricing: { input: 1000, output: 1000 } } });
    const name = await route([{ llm: "a" }, { llm: "b" }]);
    // About 5 prompt and 5 completion tokens at b's $1000 per million: $0.01, over this budget.
    await createLimit({ ctx: ADMIN_CONTEXT, input: { scope: { llm: name }, metric: "cost_usd", window: "day", max: 0.005 } });
    const refused = await call(alice, name);
    expect(refused.status).toBe(429);
    expect(refused.headers["x-should-retry"]).toBe("false");
    expect(upstream.requests.length).toBe(0);
  });

  it("with session affinity, one session's calls stay on one target", async () => {
    const name = await route([{ llm: "a" }, { llm: "b" }, { llm: "c" }, { llm: "d" }], { affinity: "session" });
    const servedFor = async (session: string) => (await call(alice, name, { headers: { "x-session-id": session } })).json!.choices![0]!.message.content;
    const first = await servedFor("session-1");
    for (let index = 0; index < 10; index += 1) expect(await servedFor("session-1")).toBe(first);
    const spread = new Set<string>();
    for (let index = 0; index < 20; index += 1) spread.add(await servedFor(`session-${index}`));
    expect(spread.size).toBeGreaterThan(1);
    // Its target down, the session moves, and comes back when the target does.
    behaviour.set(first.replace("from ", ""), { status: 500 });
    expect(await servedFor("session-1")).not.toBe(first);
  });
});

describe("who may use and edit routes", () => {
  useFreshDatabase();

  beforeEach(async () => {
    upstream.requests.length = 0;
    behaviour.clear();
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "keys", values: { api_key: "sk-route-test" } } });
    for (const name of ["a", "b"]) await target(name);
  });

  it("running the route is enough: the caller needs no permission on its targets", async () => {
    const name = await route([{ llm: "a" }]);
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "bob", password: "bob-password" } });
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "bob", role: "run", resource: "llms", name } });
    const bob = (await createToken({ ctx: ADMIN_CONTEXT, input: { user: "bob" } })).token;
    expect((await call(bob, name)).status).toBe(200);
    expect((await call(bob, "a")).status).toBe(403);
    // Seeing the targets' state needs view on the route, which running it does not give.
    expect((await targetsOf(bob, name)).json.error.message).toBe(`missing permission view:llms:${name}`);
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "bob", role: "view", resource: "llms", name } });
    expect((await targetsOf(bob, name)).json.targets.map((target: { llm: string }) => target.llm)).toEqual(["a"]);
    expect((await targetsOf(bob, "a")).status).toBe(403);
  });

  it("editing a route needs view on every target it names; denials are audited", async () => {
    const editor = contextFor("erin", [
      { role: "admin", resource: "llms", name: "r" },
      { role: "view", resource: "llms", name: "a" },
    ]);
    await expect(createLlm({ ctx: editor, input: { name: "r", provider: "route", routing: { targets: [{ llm: "a" }, { llm: "b" }] } } })).rejects.toThrow(
      "missing permission view:llms:b to send a route's calls to it",
    );
    await createLlm({ ctx: editor, input: { name: "r", provider: "route", routing: { targets: [{ llm: "a" }] } } });
    await expect(updateLlm({ ctx: editor, input: { name: "r", routing: { targets: [{ llm: "b" }] } } })).rejects.toThrow("missing permission view:llms:b");
    await updateLlm({ ctx: editor, input: { name: "r", routing: { maxAttempts: 2 } } });
    const denials = (await auditRows()).filter((row) => row.event === "permission_denied");
    expect(denials.map((row) => row.target)).toEqual(["view:llms:b", "view:llms:b"]);
  });

  it("a route cannot target a route, itself, a missing Llm, or one twice; nor have a model, url or key of its own", async () => {
    const name = await route([{ llm: "a" }]);
    const attempt = (routing: NonNullable<CreateLlmInput["routing"]>, extra: Partial<CreateLlmInput> = {}) =>
      createLlm({ ctx: ADMIN_CONTEXT, input: { name: "r2", provider: "route", routing, ...extra } });
    await expect(attempt({ targets: [{ llm: name }] })).rejects.toThrow(`'${name}' is a route; a route cannot target a route`);
    await expect(attempt({ targets: [{ llm: "r2" }] })).rejects.toThrow("a route cannot target itself");
    await expect(attempt({ targets: [{ llm: "nope" }] })).rejects.toThrow("llm 'nope' does not exist");
    await expect(attempt({ targets: [{ llm: "a" }, { llm: "a" }] })).rejects.toThrow("llm 'a' is named twice");
    await expect(attempt({ targets: [] })).rejects.toThrow("a route needs at least one target");
    await expect(attempt({ targets: [{ llm: "a", weight: 0 }] })).rejects.toThrow("must be more than 0");
    await expect(attempt({ targets: [{ llm: "a" }] }, { model: "gpt-4o" })).rejects.toThrow("a route has no model of its own");
    await expect(attempt({ targets: [{ llm: "a" }] }, { url: `${upstream.url}/v1` })).rejects.toThrow("a route takes no url");
    await expect(createLlm({ ctx: ADMIN_CONTEXT, input: { name: "r3", provider: "route" } })).rejects.toThrow("a route needs at least one target");
    await expect(
      createLlm({ ctx: ADMIN_CONTEXT, input: { name: "r4", provider: "openai", model: "m", routing: { targets: [{ llm: "a" }] } } }),
    ).rejects.toThrow("only a route llm has targets");
    await expect(updateLlm({ ctx: ADMIN_CONTEXT, input: { name, routing: { targets: [{ llm: name }] } } })).rejects.toThrow("a route cannot target itself");
    // A target in use can be neither deleted nor made a route.
    await expect(removeLlm({ ctx: ADMIN_CONTEXT, input: { name: "a" } })).rejects.toThrow(`llm 'a' is a target of route '${name}'`);
    await expect(
      updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "route", url: null, apiKeyRef: null, routing: { targets: [{ llm: "b" }] } } }),
    ).rejects.toThrow(`llm 'a' is a target of route '${name}'`);
    await removeLlm({ ctx: ADMIN_CONTEXT, input: { name } });
    await removeLlm({ ctx: ADMIN_CONTEXT, input: { name: "a" } });
  });
});
