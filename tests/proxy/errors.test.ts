import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openaiCompletion, openaiStreamFrames, sendJson, sendSse, sleep, type FakeUpstream, type RecordedRequest } from "../helpers/fake-upstream";
import type { RunningGateway, ServeMode } from "../helpers/gateway";
import { startSeededGateway, stopSeededGateway } from "../helpers/seeded-gateway";
import { auditFor, OPENAI_KEY, useDataDir, type SeededTokens, operator } from "../helpers/seed";
import { updateSecret } from "../../server/secrets/update";

import type { ServerResponse } from "node:http";
import OpenAI from "openai";
import { expectOpenAIError, expectOpenAIErrorBody } from "../security/requests";

const MAX_BODY = 100_000;

async function answer(request: RecordedRequest, response: ServerResponse) {
  const prompt = JSON.stringify(request.json?.messages ?? "");
  if (request.url.startsWith("/slow/")) return; // never answers: the gateway's timeout must fire
  if (prompt.includes("hang")) return; // held open until the client (the gateway) goes away
  if (prompt.includes("rate limit")) {
    return sendJson(
      response,
      429,
      { error: { message: `Rate limit reached for key ${OPENAI_KEY}`, type: "requests", code: "rate_limit_exceeded" } },
      { "retry-after": "3", "x-request-id": "up-429" },
    );
  }
  if (prompt.includes("echo the key")) {
    const text = `your key is ${OPENAI_KEY}`;
    return request.json?.stream ? sendSse(response, openaiStreamFrames(request, [text])) : sendJson(response, 200, openaiCompletion(text));
  }
  if (prompt.includes("html answer")) {
    response.writeHead(200, { "content-type": "text/html" });
    return void response.end("<html><script>alert(document.cookie)</script></html>");
  }
  if (prompt.includes("refuse the key")) {
    if (request.url.endsWith("/messages"))
      return sendJson(response, 403, {
        type: "error",
        error: { type: "permission_error", message: "Your API key does not have permission to use the specified resource." },
      });
    return sendJson(
      response,
      401,
      { error: { message: `Incorrect API key provided: ${OPENAI_KEY}.`, type: "invalid_request_error", code: "invalid_api_key" } },
      { "retry-after": "1" },
    );
  }
  if (prompt.includes("explode")) return sendJson(response, 500, { error: { message: "upstream exploded", type: "server_error" } });
  if (prompt.includes("reset mid-stream")) {
    response.writeHead(200, { "content-type": "text/event-stream" });
    response.write(openaiStreamFrames(request, ["partial"])[0]!);
    await sleep(50);
    return void response.destroy();
  }
  if (prompt.includes("linger after done")) {
    response.writeHead(200, { "content-type": "text/event-stream" });
    for (const frame of openaiStreamFrames(request, ["all", " here"])) response.write(frame);
    await sleep(2000);
    return void response.end();
  }
  if (prompt.includes("slow stream"))
    return sendSse(
      response,
      openaiStreamFrames(
        request,
        Array.from({ length: 200 }, () => "x"),
      ),
      { delayMs: 20 },
    );
  if (request.json?.stream) return sendSse(response, openaiStreamFrames(request, ["ok"]));
  return sendJson(response, 200, openaiCompletion("ok"));
}

describe.each<ServeMode>(["lean", "next"])("statuses, denials and cancellation served by %s", (mode) => {
  let upstream: FakeUpstream;
  let gateway: RunningGateway;
  let tokens: SeededTokens;

  beforeAll(async () => {
    ({ upstream, gateway, tokens } = await startSeededGateway(mode, answer, { env: { GATEWAY_MAX_BODY_BYTES: String(MAX_BODY) } }));
  });
  afterAll(() => stopSeededGateway({ gateway, upstream }));

  function post(path: string, options: { token?: string | null; body?: unknown; raw?: string; headers?: Record<string, string>; signal?: AbortSignal } = {}) {
    const headers: Record<string, string> = { "content-type": "application/json", ...options.headers };
    if (options.token !== null) headers.authorization = `Bearer ${options.token ?? tokens.alice}`;
    return fetch(`${gateway.url}${path}`, {
      method: "POST",
      headers,
      body: options.raw ?? JSON.stringify(options.body ?? { messages: [{ role: "user", content: "hi" }] }),
      signal: options.signal,
    });
  }

  async function expectError(response: Response, status: number, type: string, message?: string | RegExp) {
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    return expectOpenAIError(response, status, type, message);
  }

  it("401 for missing, malformed, unknown, revoked and expired tokens and disabled users, with one message", async () => {
    const messages = new Set<string>();
    for (const token of [null, "not-a-gw-token", "gw_0000000000000000000000000000000000000000", tokens.revoked, tokens.expired, tokens.dave]) {
      const { body, row } = await expectError(await post("/api/v1/llms/gpt/infer", { token }), 401, "authentication_error");
      messages.add(body.error.message);
      expect(row.user).toBeNull();
      expect(row.tokenSha === null).toBe(token === null);
    }
    expect(messages.size).toBe(1);
  });

  it("403 names the missing permission and is decided before the llm is looked up", async () => {
    await expectError(await post("/api/v1/llms/claude/infer", { token: tokens.bob }), 403, "permission_error", "missing permission run:llms:claude");
    await expectError(await post("/api/v1/llms/does-not-exist/infer", { token: tokens.bob }), 403, "permission_error");
    await expectError(await post("/api/v1/llms/gpt/infer", { token: tokens.carol }), 403, "permission_error", "run:llms:gpt");
    await expectError(
      await post("/api/v1/chat/completions", { token: tokens.bob, body: { model: "claude", messages: [{ role: "user", content: "hi" }] } }),
      403,
      "permission_error",
    );
  });

  it("404 for an unknown llm when the caller may run everything", async () => {
    const { row } = await expectError(await post("/api/v1/llms/does-not-exist/infer"), 404, "not_found_error");
    expect(row).toMatchObject({ llm: "does-not-exist", user: "alice" });
    const viaBody = await expectError(
      await post("/api/v1/chat/completions", { body: { model: "nope", messages: [{ role: "user", content: "x" }], stream: true } }),
      404,
      "not_found_error",
    );
    expect(viaBody.row).toMatchObject({ llm: "nope", streaming: true });
  });

  it("an unknown llm on a path that names it is 404 whatever is wrong with the body", async () => {
    await expectError(await post("/api/v1/llms/does-not-exist/infer", { raw: "{not json" }), 404, "not_found_error");
    await expectError(await post("/api/v1/llms/does-not-exist/chat/completions", { raw: "x".repeat(MAX_BODY + 1) }), 404, "not_found_error");
    await expectError(await post("/api/v1/llms/does-not-exist/infer", { headers: { "content-type": "text/plain" } }), 404, "not_found_error");
  });

  it("a body's model of any type is ignored on a path that names the llm", async () => {
    for (const model of [null, 42, "some-other-model"]) {
      const response = await post("/api/v1/llms/gpt/chat/completions", { body: { model, messages: [{ role: "user", content: "hi" }] } });
      expect(response.status).toBe(200);
      expect(upstream.requests.at(-1)!.json?.model).toBe("gpt-4o");
    }
  });

  it("400 for invalid JSON, missing or empty messages, wrong types, and a missing model in the body", async () => {
    await expectError(await post("/api/v1/llms/gpt/infer", { raw: "{not json" }), 400, "invalid_request_error", /not valid JSON/);
    await expectError(await post("/api/v1/llms/gpt/infer", { body: { prompt: "hi" } }), 400, "invalid_request_error", /messages/);
    await expectError(await post("/api/v1/llms/gpt/infer", { body: { messages: [] } }), 400, "invalid_request_error", /messages/);
    await expectError(await post("/api/v1/llms/gpt/infer", { body: { messages: "hi" } }), 400, "invalid_request_error", /messages/);
    await expectError(
      await post("/api/v1/llms/gpt/infer", { body: { messages: [{ role: "user", content: "x" }], stream: "yes" } }),
      400,
      "invalid_request_error",
      /stream/,
    );
    await expectError(await post("/api/v1/chat/completions", { body: { messages: [{ role: "user", content: "x" }] } }), 400, "invalid_request_error", /model/);
    expect(upstream.requests.filter((request) => request.url.includes("chat/completions") && request.body.includes("prompt"))).toHaveLength(0);
  });

  it("413 for a body over GATEWAY_MAX_BODY_BYTES and 415 for a non-JSON content type", async () => {
    const big = { messages: [{ role: "user", content: "x".repeat(MAX_BODY + 10) }] };
    await expectError(await post("/api/v1/llms/gpt/infer", { body: big }), 413, "request_too_large");
    await expectError(await post("/api/v1/llms/gpt/infer", { headers: { "content-type": "text/plain" } }), 415, "invalid_request_error", /application\/json/);
  });

  it("500 with a secret-free message when the key cannot be resolved, which SDKs are told not to retry", async () => {
    const response = await post("/api/v1/llms/broken/infer");
    expect(response.headers.get("x-should-retry")).toBe("false");
    const { body } = await expectError(
      response,
      500,
      "api_error",
      "Could not resolve the API key for llm 'broken': secret 'broken' key 'api_key' has no usable value in the environment",
    );
    expect(body.error.message).not.toContain(OPENAI_KEY);
  });

  it("API calls beside /api/v1 get a JSON answer saying where the API is, which the SDK shows", async () => {
    for (const [path, belongs] of [
      ["/v1/chat/completions", "/api/v1/chat/completions"],
      ["/chat/completions", "/api/v1/chat/completions"],
      ["/responses", "/api/v1/responses"],
      ["/v1/models", "/api/v1/models"],
    ]) {
      const response = await post(path);
      expect(response.headers.get("x-request-id")).toBeTruthy();
      const body = await expectOpenAIErrorBody(
        response,
        404,
        "not_found_error",
        `the API is under /api/v1. Set your client's base URL to http(s)://<gateway>/api/v1 (this call belongs at ${belongs}).`,
      );
      expect(body.error.code).toBe("wrong_base_url");
    }
    const sdk = new OpenAI({ apiKey: tokens.alice, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const failure = await sdk.chat.completions.create({ model: "gpt", messages: [{ role: "user", content: "hi" }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.NotFoundError);
    expect(String((failure as Error).message)).toContain("the API is under /api/v1");

    // Anthropic's paths answer in Anthropic's shape, with the base URL its clients take.
    for (const [path, belongs] of [
      ["/messages", "/api/v1/messages"],
      ["/v1/messages", "/api/v1/messages"],
      ["/v1/messages/count_tokens", "/api/v1/messages/count_tokens"],
    ]) {
      const response = await post(path);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        type: "error",
        error: {
          type: "not_found_error",
          message: `No API endpoint POST ${path}: the API is under /api/v1. Anthropic clients (Claude Code's ANTHROPIC_BASE_URL, the Anthropic SDK's baseURL) take http(s)://<gateway>/api (this call belongs at ${belongs}).`,
        },
        request_id: response.headers.get("x-request-id"),
      });
    }
    const wrongMethod = await fetch(`${gateway.url}/api/v1/messages`, { headers: { authorization: `Bearer ${tokens.alice}` } });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(await wrongMethod.json()).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: "GET is not allowed on /api/v1/messages; use POST" },
    });
  });

  it("a pass-through answer goes out as the API's own content type with nosniff, whatever the upstream said", async () => {
    const response = await post("/api/v1/llms/gpt/infer", { body: { messages: [{ role: "user", content: "html answer" }] } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("a provider refusing the gateway's key is a 502 naming the llm that SDKs do not retry, never the caller's 401", async () => {
    const refused = { messages: [{ role: "user", content: "refuse the key" }] };
    const response = await post("/api/v1/llms/gpt/infer", { body: refused });
    expect(response.headers.get("x-should-retry")).toBe("false");
    expect(response.headers.get("retry-after")).toBeNull();
    const { body } = await expectError(
      response,
      502,
      "api_error",
      "The provider refused the API key of llm 'gpt' (HTTP 401): Incorrect API key provided: [redacted].",
    );
    expect(body.error.code).toBe("upstream_auth_failed");
    const claude = await expectError(
      await post("/api/v1/llms/claude/infer", { body: refused }),
      502,
      "api_error",
      /^The provider refused the API key of llm 'claude' \(HTTP 403\): /,
    );
    expect(claude.body.error.code).toBe("upstream_auth_failed");
    const sdk = new OpenAI({ apiKey: tokens.alice, baseURL: `${gateway.url}/api/v1`, maxRetries: 2 });
    const before = upstream.requests.length;
    const failure = await sdk.chat.completions
      .create({ model: "gpt", messages: [{ role: "user", content: "refuse the key" }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.InternalServerError);
    expect(failure).not.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(upstream.requests.length - before).toBe(1);
  });

  it("a key whose Secret no longer lists the Llm's origin is not sent anywhere", async () => {
    await useDataDir(gateway.dataDir);
    const origin = new URL(upstream.url).origin;
    await updateSecret({ ctx: operator(), input: { name: "openai", allowedOrigins: ["https://api.openai.com"] } });
    try {
      // The server sees the CLI's change at its next configuration poll.
      await expect.poll(async () => (await post("/api/v1/llms/gpt/infer")).status, { timeout: 10_000 }).toBe(500);
      const before = upstream.requests.length;
      const response = await post("/api/v1/llms/gpt/infer");
      expect(response.headers.get("x-should-retry")).toBe("false");
      await expectError(
        response,
        500,
        "api_error",
        `Could not resolve the API key for llm 'gpt': secret 'openai' may not be sent to ${origin} (not among its allowed origins)`,
      );
      expect(upstream.requests.length).toBe(before);
    } finally {
      await updateSecret({ ctx: operator(), input: { name: "openai", allowedOrigins: [origin] } });
    }
    await expect.poll(async () => (await post("/api/v1/llms/gpt/infer")).status, { timeout: 10_000 }).toBe(200);
  });

  it("502 when the upstream is unreachable, 504 when it stays silent", async () => {
    const { body } = await expectError(await post("/api/v1/llms/down/infer"), 502, "api_error");
    expect(body.error.code).toBe("upstream_unreachable");
    // The log says why, for the operator: the errno and the host.
    await expect
      .poll(() => gateway.output(), { timeout: 5000 })
      .toMatch(/"msg":"upstream call failed".*"llm":"down","host":"127\.0\.0\.1:9","during":"request".*"code":"ECONNREFUSED"/);
    await expectError(await post("/api/v1/llms/slow/infer", { body: { messages: [{ role: "user", content: "hi" }], stream: true } }), 504, "timeout_error");
  });

  it("upstream errors keep their status with a scrubbed message and retry headers", async () => {
    const response = await post("/api/v1/llms/gpt/infer", { body: { messages: [{ role: "user", content: "rate limit" }] } });
    expect(response.headers.get("retry-after")).toBe("3");
    expect(response.headers.get("x-upstream-request-id")).toBe("up-429");
    const { body, row } = await expectError(response, 429, "requests");
    expect(body.error.message).not.toContain(OPENAI_KEY);
    expect(body.error.message).toContain("[redacted]");
    expect(row.error).not.toContain(OPENAI_KEY);
    await expectError(
      await post("/api/v1/llms/gpt/infer", { body: { messages: [{ role: "user", content: "explode" }] } }),
      500,
      "server_error",
      "upstream exploded",
    );
  });

  it.each([false, true])("a 200 answer that echoes the key reaches the client with the key redacted (stream: %s)", async (stream) => {
    const response = await post("/api/v1/llms/gpt/infer", { body: { messages: [{ role: "user", content: "echo the key" }], stream } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).not.toContain(OPENAI_KEY);
    expect(text).toContain("your key is [redacted]");
  });

  it("a stream that breaks after the 200 ends with one error frame and no [DONE], audited as 200 with the error", async () => {
    const response = await post("/api/v1/llms/gpt/infer", { body: { messages: [{ role: "user", content: "reset mid-stream" }], stream: true } });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('"content":""');
    expect(text.trim().split("\n\n").at(-1)).toMatch(
      /^data: \{"error":\{"message":"The upstream provider's answer ended before it was complete","type":"api_error"/,
    );
    expect(text).not.toContain("[DONE]");
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ status: 200, error: "The upstream provider's answer ended before it was complete" });
  });

  it.each([false, true])("client disconnect aborts the upstream at once and audits 499 (stream: %s)", async (stream) => {
    const controller = new AbortController();
    const before = upstream.requests.length;
    const content = stream ? "slow stream" : "hang";
    const pending = post("/api/v1/llms/gpt/infer", { body: { messages: [{ role: "user", content }], stream }, signal: controller.signal });
    let requestId: string | null = null;
    if (stream) {
      const response = await pending;
      requestId = response.headers.get("x-request-id");
      const reader = response.body!.getReader();
      await reader.read();
      controller.abort();
    } else {
      while (upstream.requests.length === before) await sleep(10);
      controller.abort();
      await pending.catch(() => undefined);
    }
    const upstreamRequest = upstream.requests[before]!;
    await upstreamRequest.closed;
    expect(upstreamRequest.closedEarly).toBe(true);
    if (!requestId) {
      const program = await import("../../db/program");
      const { seededStore } = await import("../helpers/seed");
      const { and, eq } = await import("drizzle-orm");
      for (let attempt = 0; attempt < 400 && !requestId; attempt += 1) {
        const found = await seededStore().read(({ db, t }) =>
          program.rows(
            db
              .select()
              .from(t.auditEvents)
              .where(and(eq(t.auditEvents.status, 499), eq(t.auditEvents.streaming, false))),
          ),
        );
        requestId = found.at(-1)?.requestId ?? null;
        if (!requestId) await sleep(25);
      }
    }
    const rows = await auditFor(requestId);
    expect(rows).toHaveLength(1);
    // The 499 says what happened; the abort it caused upstream is not reported as an error.
    expect(rows[0]).toMatchObject({ status: 499, streaming: stream, llm: "gpt", user: "alice", error: null });
  });

  it("a client that leaves right after [DONE] got the whole answer: audited 200, not 499", async () => {
    const controller = new AbortController();
    const response = await post("/api/v1/llms/gpt/infer", {
      body: { messages: [{ role: "user", content: "linger after done" }], stream: true },
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let text = "";
    while (!text.includes("[DONE]")) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const [row] = await auditFor(response.headers.get("x-request-id"));
    expect(row).toMatchObject({ status: 200, streaming: true, error: null });
  });

  it("/models lists exactly what the caller may run; 401 without a token", async () => {
    const list = async (token: string) => {
      const response = await fetch(`${gateway.url}/api/v1/models`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { object: string; data: Array<{ id: string; object: string; owned_by: string }> };
      expect(body.object).toBe("list");
      return body.data.map((model) => model.id);
    };
    expect(await list(tokens.bob)).toEqual(["gpt"]);
    expect(await list(tokens.carol)).toEqual([]);
    expect(await list(tokens.alice)).toEqual(["broken", "claude", "down", "gpt", "local", "plain", "slow"]);
    expect((await fetch(`${gateway.url}/api/v1/models`)).status).toBe(401);
    expect((await fetch(`${gateway.url}/api/v1/models`, { headers: { authorization: `Bearer ${tokens.revoked}` } })).status).toBe(401);
  });

  it("models.retrieve through the OpenAI SDK: an Llm the caller may run, else 403, or 404 when it may run everything", async () => {
    const client = (token: string) => new OpenAI({ apiKey: token, baseURL: `${gateway.url}/api/v1`, maxRetries: 0 });
    const model = await client(tokens.bob).models.retrieve("gpt");
    expect(model).toMatchObject({ id: "gpt", object: "model", owned_by: "openai" });
    expect(model.created).toBeGreaterThan(1_700_000_000);
    await expect(client(tokens.bob).models.retrieve("claude")).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    await expect(client(tokens.bob).models.retrieve("does-not-exist")).rejects.toBeInstanceOf(OpenAI.PermissionDeniedError);
    await expect(client(tokens.alice).models.retrieve("does-not-exist")).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client(tokens.revoked).models.retrieve("gpt")).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  /** An API error that is not an inference call: OpenAI shape and a request id, no audit row. */
  async function expectApiError(response: Response, status: number, type: string) {
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    await expectOpenAIErrorBody(response, status, type);
    expect(await auditFor(requestId, 300)).toEqual([]); // audit batches are written within 50 ms
  }

  it("any other /api/v1 path answers 404 in the OpenAI error shape with a request id", async () => {
    for (const [method, path] of [
      ["GET", "/api/v1/nothing-here"],
      ["POST", "/api/v1/completions"],
      ["DELETE", "/api/v1/llms/gpt"],
      ["GET", "/api/v1/models/gpt/extra"],
    ] as const) {
      await expectApiError(await fetch(`${gateway.url}${path}`, { method, headers: { authorization: `Bearer ${tokens.alice}` } }), 404, "not_found_error");
    }
  });

  // Under `next start` a route file answers a method it does not export with Next's own empty 405.
  it.runIf(mode === "lean")("a wrong method on an API path is a 405 naming the method to use", async () => {
    for (const [method, path, allow] of [
      ["GET", "/api/v1/chat/completions", "POST"],
      ["GET", "/api/v1/llms/gpt/infer", "POST"],
      ["POST", "/api/v1/models", "GET"],
      ["DELETE", "/api/v1/models/gpt", "GET"],
    ] as const) {
      const response = await fetch(`${gateway.url}${path}`, { method, headers: { authorization: `Bearer ${tokens.alice}` } });
      expect(response.headers.get("allow")).toBe(allow);
      await expectApiError(response, 405, "invalid_request_error");
    }
  });

  it("a session cookie on the infer endpoint needs the CSRF-proof header", async () => {
    const login = await fetch(`${gateway.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "alice", password: "alice-password" }),
    });
    expect(login.status).toBe(204);
    const setCookie = login.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.split(";")[0]!;
    const { body } = await expectError(await post("/api/v1/llms/gpt/infer", { token: null, headers: { cookie } }), 403, "permission_error", /X-Gateway-CSRF/);
    expect(body.error.message).not.toContain(cookie);
    const allowed = await post("/api/v1/llms/gpt/infer", { token: null, headers: { cookie, "x-gateway-csrf": "1" } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBeNull();
  });
});
