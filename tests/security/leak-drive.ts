import type { ServerResponse } from "node:http";
import { appRouter } from "../../server/trpc/router";
import { openaiCompletion, openaiStreamFrames, sendJson, sendSse, type RecordedRequest } from "../helpers/fake-upstream";

/** The three values that must never come back out (the token is only known once the CLI printed it). */
export const SECRET_VALUE = "LEAKCANARY-secret-value-9f8e7d6c5b4a";
export const PASSWORD = "LEAKCANARY-password-1a2b3c4d";

/** Everything that came back from the gateway: a label for the failure message and the text. */
export interface Capture {
  label: string;
  text: string;
}

export function describeResponse(label: string, status: number, headers: Headers | Record<string, unknown>, body: string): Capture {
  const headerText = headers instanceof Headers ? JSON.stringify([...headers.entries()]) : JSON.stringify(headers);
  return { label, text: `${status}\n${headerText}\n${body}` };
}

/** One Anthropic SSE event. */
const event = (payload: Record<string, unknown>) => `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`;

const messageStart = (id: string) =>
  event({
    type: "message_start",
    message: { id, type: "message", role: "assistant", model: "claude-leak", content: [], stop_reason: null, usage: { input_tokens: 1, output_tokens: 1 } },
  });

/** A fake provider that echoes the key it was sent in its errors, as real ones sometimes do. */
export async function echoingUpstream(request: RecordedRequest, response: ServerResponse): Promise<void> {
  // Chat Completions and Messages carry `messages`; Responses and embeddings `input`.
  const prompt = JSON.stringify(request.json?.messages ?? request.json?.input ?? "");
  const anthropic = request.url.includes("/messages");
  const key = anthropic ? String(request.headers["x-api-key"]) : String(request.headers.authorization).replace(/^Bearer /, "");
  const echo = { "x-echo-key": key };
  if (prompt.includes("echo the key")) {
    if (anthropic) return sendJson(response, 401, { type: "error", error: { type: "authentication_error", message: `invalid x-api-key: ${key}` } }, echo);
    return sendJson(
      response,
      401,
      {
        error: {
          message: `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      },
      echo,
    );
  }
  const encoded = { base64: Buffer.from(`user:${key}`).toString("base64"), url: encodeURIComponent(`${key}/`), plain: key };
  if (prompt.includes("echo in fields")) {
    if (anthropic) {
      return sendJson(
        response,
        400,
        { type: "error", error: { type: "invalid_request_error", message: `bad request ${encoded.base64}`, details: { error_code: key } }, request_id: key },
        { "request-id": encoded.url },
      );
    }
    return sendJson(
      response,
      400,
      { error: { message: `bad request ${encoded.url}`, type: key, code: encoded.base64, param: encoded.url } },
      { "x-request-id": key },
    );
  }
  if (prompt.includes("echo in answer")) {
    const text = `here it is: ${key} ${encoded.base64} ${encoded.url}`;
    if (anthropic && !request.json?.stream)
      return sendJson(response, 200, {
        id: "msg_echo",
        type: "message",
        role: "assistant",
        model: "claude-leak",
        content: [{ type: "text", text }],
        stop_reason: "end_turn",
        usage: { input_tokens: 1, output_tokens: 1 },
      });
    if (anthropic) {
      return sendSse(response, [
        messageStart("msg_echo"),
        event({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
        event({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }),
        event({ type: "content_block_stop", index: 0 }),
        event({ type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 2 } }),
        event({ type: "message_stop" }),
      ]);
    }
    if (!request.json?.stream) return sendJson(response, 200, openaiCompletion(text));
    // A stream whose last frame never ends: the unfinished tail is passed on too.
    return sendSse(response, [...openaiStreamFrames(request, [text]).slice(0, 2), `data: {"tail":"${key}"`]);
  }
  if (prompt.includes("echo mid-stream") && anthropic && request.json?.stream) {
    return sendSse(response, [messageStart("msg_leak"), event({ type: "error", error: { type: "overloaded_error", message: `key ${key} is overloaded` } })]);
  }
  if (prompt.includes("echo mid-stream") && request.json?.stream) {
    const [roleChunk] = openaiStreamFrames(request, ["partial"]);
    return sendSse(response, [
      roleChunk!,
      `data: ${JSON.stringify({ error: { message: `Incorrect API key provided: ${key}`, type: "invalid_request_error" } })}\n\n`,
    ]);
  }
  if (anthropic) {
    if (!request.json?.stream)
      return sendJson(response, 200, {
        id: "msg_ok",
        type: "message",
        role: "assistant",
        model: "claude-leak",
        content: [{ type: "text", text: "ok" }],
        stop_reason: "end_turn",
        usage: { input_tokens: 1, output_tokens: 1 },
      });
    const { loadTranscript } = await import("../../server/proxy/providers/anthropic/__fixtures__/transcripts");
    return sendSse(response, [loadTranscript("basic_response.txt")]);
  }
  if (request.json?.stream) return sendSse(response, openaiStreamFrames(request, ["ok"]));
  return sendJson(response, 200, openaiCompletion("ok"));
}

export interface TrpcCase {
  procedure: string;
  input?: unknown;
}

/** Every procedure with a valid input and an invalid one (bad name, missing thing, wrong secret values…). */
export function trpcCases(): TrpcCase[] {
  return [
    { procedure: "me.get" },
    { procedure: "llms.list" },
    { procedure: "llms.get", input: { name: "leak-gpt" } },
    { procedure: "llms.get", input: { name: "Not A Name" } },
    { procedure: "llms.create", input: { name: "tmp-llm", provider: "openai", model: "m", apiKeyRef: { secret: "leak", key: "api_key" } } },
    { procedure: "llms.create", input: { name: "tmp-llm-2", provider: "openai", model: "m", apiKeyRef: { secret: "leak", key: "missing" } } },
    { procedure: "llms.update", input: { name: "tmp-llm", description: "updated" } },
    { procedure: "llms.update", input: { name: "ghost", description: "x" } },
    { procedure: "llms.remove", input: { name: "tmp-llm" } },
    { procedure: "llms.remove", input: { name: "ghost" } },
    { procedure: "secrets.list" },
    { procedure: "secrets.create", input: { name: "tmp-secret", values: { api_key: SECRET_VALUE } } },
    { procedure: "secrets.create", input: { name: "Bad Name", values: { api_key: SECRET_VALUE } } },
    { procedure: "secrets.create", input: { name: "tmp-secret-2", values: { "bad key!": SECRET_VALUE } } },
    { procedure: "secrets.create", input: { name: "tmp-secret-3", backend: "env", values: { api_key: SECRET_VALUE } } },
    { procedure: "secrets.create", input: { name: "leak", values: { api_key: SECRET_VALUE } } },
    { procedure: "secrets.update", input: { name: "leak", values: { api_key: SECRET_VALUE } } },
    { procedure: "secrets.update", input: { name: "ghost", values: { api_key: SECRET_VALUE } } },
    { procedure: "secrets.update", input: { name: "leak", values: { api_key: 42 } } },
    { procedure: "secrets.remove", input: { name: "tmp-secret" } },
    { procedure: "secrets.remove", input: { name: "leak" } },
    { procedure: "users.list" },
    { procedure: "users.create", input: { name: "tmp-user", password: PASSWORD } },
    { procedure: "users.create", input: { name: "Bad Name", password: PASSWORD } },
    { procedure: "users.create", input: { name: "leaky", password: PASSWORD } },
    { procedure: "users.update", input: { name: "tmp-user", displayName: "Temp" } },
    { procedure: "users.update", input: { name: "ghost", displayName: PASSWORD } },
    { procedure: "users.setPassword", input: { name: "tmp-user", password: PASSWORD } },
    { procedure: "users.setPassword", input: { name: "leaky", password: PASSWORD, currentPassword: `${PASSWORD}-wrong` } },
    { procedure: "users.setPassword", input: { name: "leaky", password: PASSWORD, currentPassword: PASSWORD } },
    { procedure: "users.remove", input: { name: "tmp-user" } },
    { procedure: "users.remove", input: { name: "ghost" } },
    { procedure: "tokens.list" },
    { procedure: "tokens.list", input: { user: "ghost" } },
    { procedure: "tokens.create", input: { user: "alice", name: "scan" } },
    { procedure: "tokens.create", input: { user: "ghost" } },
    { procedure: "tokens.revoke", input: { prefix: "gw_000000000" } },
    { procedure: "tokens.revoke", input: { prefix: "not-a-prefix" } },
    { procedure: "bindings.list" },
    { procedure: "bindings.create", input: { user: "alice", role: "view", resource: "secrets" } },
    { procedure: "bindings.create", input: { user: "ghost", role: "admin", resource: "*" } },
    { procedure: "bindings.remove", input: { id: 999_999 } },
    { procedure: "bindings.remove", input: { id: "one" } },
    { procedure: "audit.list", input: {} },
    { procedure: "audit.list", input: { limit: 0 } },
    { procedure: "audit.totals", input: {} },
    { procedure: "audit.totals", input: { statusClass: 9 } },
    { procedure: "audit.hourly", input: {} },
    { procedure: "audit.hourly", input: { from: "yesterday" } },
    { procedure: "audit.filterOptions" },
    { procedure: "limits.list" },
    { procedure: "limits.create", input: { scope: { user: "alice" }, metric: "cost_usd", window: "day", max: 5 } },
    { procedure: "limits.create", input: { scope: { user: "alice" }, metric: "cost_usd", window: "day", max: 5 } },
    { procedure: "limits.create", input: { scope: { user: "alice", token: "x" }, metric: "dollars", max: -1 } },
    { procedure: "limits.update", input: { id: 1, max: 7 } },
    { procedure: "limits.update", input: { id: 999_999, max: 1 } },
    { procedure: "limits.remove", input: { id: 999_999 } },
    { procedure: "usage.summary", input: { from: Date.now() - 86_400_000, to: Date.now() } },
    { procedure: "usage.summary", input: { from: 10, to: 5 } },
    { procedure: "usage.mine" },
  ];
}

/** Every procedure the router serves, with its kind, so a new one cannot escape the scan. */
export function routerProcedures(): Map<string, "query" | "mutation"> {
  const procedures = (appRouter._def as unknown as { procedures: Record<string, { _def: { type: "query" | "mutation" } }> }).procedures;
  return new Map(Object.entries(procedures).map(([path, procedure]) => [path, procedure._def.type]));
}

export async function callTrpc(
  gatewayUrl: string,
  procedure: string,
  kind: "query" | "mutation",
  input: unknown,
  headers: Record<string, string>,
): Promise<Capture & { status: number; body: string }> {
  const url = `${gatewayUrl}/api/trpc/${procedure}`;
  const response =
    kind === "query"
      ? await fetch(input === undefined ? url : `${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
      : await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(input ?? null) });
  const body = await response.text();
  return { ...describeResponse(`trpc ${procedure} ${JSON.stringify(input)}`, response.status, response.headers, body), status: response.status, body };
}
