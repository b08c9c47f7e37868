import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendJson, sendSse, type RecordedRequest } from "../helpers/fake-upstream";
import { REPO_ROOT } from "../helpers/paths";
import { ANTHROPIC_KEY, OPENAI_KEY, waitForAuditRows } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway, type SeededGateway } from "../helpers/seeded-gateway";

// The real Claude Code CLI (npm @anthropic-ai/claude-code), run non-interactively against a running
// gateway: once to an Anthropic Llm (native) and once to an OpenAI Llm (translated), each backed by
// a fake provider on 127.0.0.1. Nothing leaves the machine: telemetry and updates are off.

// The package's own launcher: it finds the native binary of this platform's optional dependency
// (the install script that would copy it into bin/ is not run: allowScripts in package.json).
const CLAUDE = path.join(REPO_ROOT, "node_modules/@anthropic-ai/claude-code/cli-wrapper.cjs");
const ANSWER = "The gateway answered: PONG-7431";

const event = (payload: Record<string, unknown>) => `event: ${String(payload.type)}\ndata: ${JSON.stringify(payload)}\n\n`;

function anthropicAnswer(request: RecordedRequest, response: ServerResponse): void {
  const message = { id: "msg_cc", type: "message", role: "assistant", model: "claude-sonnet-4-5-20250929", stop_sequence: null };
  const usage = { input_tokens: 120, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, output_tokens: 9 };
  if (!request.json?.stream) {
    return sendJson(response, 200, { ...message, content: [{ type: "text", text: ANSWER }], stop_reason: "end_turn", usage });
  }
  void sendSse(response, [
    event({ type: "message_start", message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } }),
    event({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }),
    event({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: ANSWER } }),
    event({ type: "content_block_stop", index: 0 }),
    event({ type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 9 } }),
    event({ type: "message_stop" }),
  ]);
}

const TOOL_OUTPUT = "tool-said-8812";

/** The OpenAI fake asked to use a tool: it calls Claude Code's Bash tool, then answers with what the tool printed. */
function openaiToolAnswer(request: RecordedRequest, response: ServerResponse): void {
  const base = { id: "chatcmpl-tool", object: "chat.completion.chunk", created: 1700000000, model: "gpt-4o-2024-08-06" };
  const frame = (payload: object) => `data: ${JSON.stringify({ ...base, ...payload })}\n\n`;
  const messages = request.json?.messages as Array<{ role: string; content: unknown }>;
  const toolResult = messages.find((message) => message.role === "tool");
  const usage = { prompt_tokens: 200, completion_tokens: 20, total_tokens: 220 };
  const call = { index: 0, id: "call_bash_1", type: "function", function: { name: "Bash", arguments: "" } };
  const frames = toolResult
    ? [
        frame({ choices: [{ index: 0, delta: { role: "assistant", content: `Tool output: ${String(toolResult.content).trim()}` }, finish_reason: null }] }),
        frame({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }),
      ]
    : [
        frame({ choices: [{ index: 0, delta: { role: "assistant", content: null, tool_calls: [call] }, finish_reason: null }] }),
        frame({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"command": "echo ' } }] }, finish_reason: null }] }),
        frame({
          choices: [
            {
              index: 0,
              delta: { tool_calls: [{ index: 0, function: { arguments: `${TOOL_OUTPUT}", "description": "Print a word"}` } }] },
              finish_reason: null,
            },
          ],
        }),
        frame({ choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] }),
      ];
  void sendSse(response, [...frames, frame({ choices: [], usage }), "data: [DONE]\n\n"]);
}

function openaiAnswer(request: RecordedRequest, response: ServerResponse): void {
  if (JSON.stringify(request.json?.messages).includes("Run the echo tool")) return openaiToolAnswer(request, response);
  const base = { id: "chatcmpl-cc", object: "chat.completion.chunk", created: 1700000000, model: "gpt-4o-2024-08-06" };
  const usage = { prompt_tokens: 150, completion_tokens: 9, total_tokens: 159 };
  if (!request.json?.stream) {
    return sendJson(response, 200, {
      ...base,
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: ANSWER }, finish_reason: "stop" }],
      usage,
    });
  }
  const frame = (payload: object) => `data: ${JSON.stringify({ ...base, ...payload })}\n\n`;
  void sendSse(response, [
    frame({ choices: [{ index: 0, delta: { role: "assistant", content: "" }, finish_reason: null }] }),
    frame({ choices: [{ index: 0, delta: { content: ANSWER }, finish_reason: null }] }),
    frame({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }),
    frame({ choices: [], usage }),
    "data: [DONE]\n\n",
  ]);
}

function answer(request: RecordedRequest, response: ServerResponse): void {
  if (request.url === "/v1/messages/count_tokens") return sendJson(response, 200, { input_tokens: 100 });
  if (request.url.startsWith("/v1/messages")) return anthropicAnswer(request, response);
  if (request.url === "/v1/chat/completions") return openaiAnswer(request, response);
  sendJson(response, 404, { error: { message: `no fake for ${request.url}` } });
}

/**
 * `claude -p` with the gateway as its API and `llm` as its model. `setup: "snippet"` is exactly
 * what the console's connect panel and the README give (a bearer token, the main and the small
 * model); `setup: "api-key"` sends the token as `x-api-key` and names the Llm for every model role.
 */
function runClaude(
  gatewayUrl: string,
  token: string,
  llm: string,
  home: string,
  setup: "snippet" | "api-key",
  prompt = "Reply with the text the gateway gives you.",
  flags: string[] = ["--max-turns", "1"],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const models =
    setup === "snippet"
      ? { ANTHROPIC_AUTH_TOKEN: token, ANTHROPIC_MODEL: llm, ANTHROPIC_DEFAULT_HAIKU_MODEL: llm }
      : {
          ANTHROPIC_API_KEY: token,
          ANTHROPIC_MODEL: llm,
          ANTHROPIC_SMALL_FAST_MODEL: llm,
          ANTHROPIC_DEFAULT_HAIKU_MODEL: llm,
          ANTHROPIC_DEFAULT_SONNET_MODEL: llm,
          ANTHROPIC_DEFAULT_OPUS_MODEL: llm,
        };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLAUDE, "-p", prompt, "--output-format", "json", ...flags], {
      cwd: home,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "production",
        HOME: home,
        ANTHROPIC_BASE_URL: `${gatewayUrl}/api`,
        ...models,
        // Nothing but the gateway: no telemetry, error reports or update checks.
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
        DISABLE_AUTOUPDATER: "1",
        DISABLE_TELEMETRY: "1",
        DISABLE_ERROR_REPORTING: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("Claude Code through the gateway", () => {
  let seeded: SeededGateway;
  let home: string;

  beforeAll(async () => {
    seeded = await startSeededGateway("lean", answer);
    home = await mkdtemp(path.join(tmpdir(), "gw-claude-code-"));
  });
  afterAll(async () => {
    await stopSeededGateway(seeded);
    await rm(home, { recursive: true, force: true });
  });

  it.each([
    ["claude", "anthropic", "/v1/messages", ANTHROPIC_KEY, "api-key"],
    ["gpt", "openai", "/v1/chat/completions", OPENAI_KEY, "snippet"],
  ] as const)(
    "claude -p answers from the %s Llm (%s provider), and every call is audited as a Messages call",
    async (llm, provider, upstreamPath, key, setup) => {
      const before = seeded.upstream.requests.length;
      const run = await runClaude(seeded.gateway.url, seeded.tokens.alice, llm, home, setup);
      const calls = seeded.upstream.requests.slice(before);
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as { result: string; is_error: boolean };
      expect(result).toMatchObject({ is_error: false, result: ANSWER });
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) {
        expect(call.url.startsWith(upstreamPath)).toBe(true);
        // The agent's tools reach the provider in its own API's form.
        const tools = call.json?.tools as Array<Record<string, unknown>> | undefined;
        if (call.url === "/v1/chat/completions") expect(tools?.every((tool) => tool.type === "function")).toBe(true);
        expect(provider === "anthropic" ? call.headers["x-api-key"] : call.headers.authorization).toContain(key);
        expect(JSON.stringify(call.headers)).not.toContain(seeded.tokens.alice);
      }
      const rows = await waitForAuditRows((row) => row.llm === llm && row.event === "llm_inference_call", 1);
      expect(rows[0]).toMatchObject({ api: "messages", provider, status: 200, user: "alice" });
      expect(rows[0]!.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    },
  );

  it("a tool round trip through the translation: the agent runs the tool the OpenAI model called and sends its output back", async () => {
    const before = seeded.upstream.requests.length;
    const run = await runClaude(seeded.gateway.url, seeded.tokens.alice, "gpt", home, "snippet", "Run the echo tool, then report its output.", [
      "--max-turns",
      "3",
      "--allowedTools",
      "Bash",
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ is_error: false, result: `Tool output: ${TOOL_OUTPUT}` });
    const calls = seeded.upstream.requests.slice(before).filter((call) => call.url === "/v1/chat/completions");
    expect(calls).toHaveLength(2);
    const second = calls[1]!.json?.messages as Array<Record<string, unknown>>;
    const assistant = second.find((message) => message.role === "assistant" && Array.isArray(message.tool_calls));
    expect(assistant?.tool_calls).toEqual([
      {
        id: "call_bash_1",
        type: "function",
        function: { name: "Bash", arguments: JSON.stringify({ command: `echo ${TOOL_OUTPUT}`, description: "Print a word" }) },
      },
    ]);
    expect(second.find((message) => message.role === "tool")).toMatchObject({ tool_call_id: "call_bash_1", content: expect.stringContaining(TOOL_OUTPUT) });
    const rows = await waitForAuditRows((row) => row.promptTokens === 200, 2);
    expect(rows.map((row) => [row.api, row.llm, row.status, row.promptTokens])).toEqual([
      ["messages", "gpt", 200, 200],
      ["messages", "gpt", 200, 200],
    ]);
    expect(rows[0]!.sessionId).toBe(rows[1]!.sessionId);
  });
});
