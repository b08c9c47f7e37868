import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendJson, sendSse, type RecordedRequest } from "../helpers/fake-upstream";
import { REPO_ROOT } from "../helpers/paths";
import { OPENAI_KEY, waitForAuditRows } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway, type SeededGateway } from "../helpers/seeded-gateway";

// The real Codex CLI (npm @openai/codex), run non-interactively (`codex exec`) against a running
// gateway with `wire_api = "responses"`: to an OpenAI Llm (passed through) and to an Ollama Llm
// (translated), each backed by a fake provider on 127.0.0.1.

const CODEX = path.join(REPO_ROOT, "node_modules/@openai/codex/bin/codex.js");
const ANSWER = "Codex heard the gateway: PONG-5520";
const TOOL_OUTPUT = "codex-tool-said-3317";

const event = (type: string, fields: Record<string, unknown>, sequence: number) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence, ...fields })}\n\n`;

/** A native Responses stream with one message (what OpenAI sends for a short answer). */
function responsesAnswer(_request: RecordedRequest, response: ServerResponse): void {
  const base = { id: "resp_codex", object: "response", created_at: 1700000000, model: "gpt-4o-2024-08-06", output: [], usage: null, status: "in_progress" };
  const item = { id: "msg_codex", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text: ANSWER, annotations: [] }] };
  const usage = {
    input_tokens: 300,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 12,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 312,
  };
  void sendSse(response, [
    event("response.created", { response: base }, 0),
    event("response.output_item.added", { output_index: 0, item: { ...item, status: "in_progress", content: [] } }, 1),
    event("response.content_part.added", { item_id: item.id, output_index: 0, content_index: 0, part: { type: "output_text", text: "", annotations: [] } }, 2),
    event("response.output_text.delta", { item_id: item.id, output_index: 0, content_index: 0, delta: ANSWER }, 3),
    event("response.output_text.done", { item_id: item.id, output_index: 0, content_index: 0, text: ANSWER }, 4),
    event("response.output_item.done", { output_index: 0, item }, 5),
    event("response.completed", { response: { ...base, status: "completed", output: [item], usage } }, 6),
  ]);
}

/** An Ollama-style Chat Completions stream: a plain answer, or (asked to run a tool) a call of Codex's exec_command, then the tool's output. */
function chatAnswer(request: RecordedRequest, response: ServerResponse): void {
  const base = { id: "chatcmpl-codex", object: "chat.completion.chunk", created: 1700000000, model: "llama3.2" };
  const frame = (payload: object) => `data: ${JSON.stringify({ ...base, ...payload })}\n\n`;
  const messages = request.json?.messages as Array<{ role: string; content: unknown }>;
  const wantsTool = JSON.stringify(messages).includes("Use the tool");
  const toolResult = messages.find((message) => message.role === "tool");
  let frames: string[];
  if (wantsTool && !toolResult) {
    const call = {
      index: 0,
      id: "call_exec_1",
      type: "function",
      function: { name: "exec_command", arguments: JSON.stringify({ cmd: `echo ${TOOL_OUTPUT}` }) },
    };
    frames = [
      frame({ choices: [{ index: 0, delta: { role: "assistant", content: null, tool_calls: [call] }, finish_reason: null }] }),
      frame({ choices: [{ index: 0, delta: {}, finish_reason: "tool_calls" }] }),
    ];
  } else {
    const text = toolResult ? `The tool printed ${String(toolResult.content).includes(TOOL_OUTPUT) ? TOOL_OUTPUT : "something else"}` : ANSWER;
    frames = [
      frame({ choices: [{ index: 0, delta: { role: "assistant", content: text }, finish_reason: null }] }),
      frame({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }),
    ];
  }
  void sendSse(response, [...frames, frame({ choices: [], usage: { prompt_tokens: 250, completion_tokens: 10, total_tokens: 260 } }), "data: [DONE]\n\n"]);
}

function answer(request: RecordedRequest, response: ServerResponse): void {
  if (request.url === "/v1/responses") return responsesAnswer(request, response);
  if (request.url === "/v1/chat/completions") return chatAnswer(request, response);
  sendJson(response, 404, { error: { message: `no fake for ${request.url}` } });
}

/** `codex exec` with the gateway as its Responses provider and `llm` as its model; resolves with its last message. */
async function runCodex(gatewayUrl: string, token: string, llm: string, home: string, prompt: string) {
  const codexHome = await mkdtemp(path.join(home, "codex-home-"));
  await writeFile(
    path.join(codexHome, "config.toml"),
    [
      `model = "${llm}"`,
      `model_provider = "llm-gateway"`,
      "",
      "[model_providers.llm-gateway]",
      `name = "LLM Gateway"`,
      `base_url = "${gatewayUrl}/api/v1"`,
      `env_key = "LLM_GATEWAY_TOKEN"`,
      `wire_api = "responses"`,
      "request_max_retries = 0",
      "stream_max_retries = 0",
      "",
    ].join("\n"),
  );
  const lastMessage = path.join(home, `last-${llm}-${Date.now()}.txt`);
  const args = [CODEX, "exec", "--skip-git-repo-check", "--dangerously-bypass-approvals-and-sandbox", "-o", lastMessage, prompt];
  const run = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: home,
      env: { PATH: process.env.PATH, NODE_ENV: "production", HOME: home, CODEX_HOME: codexHome, LLM_GATEWAY_TOKEN: token },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
  const last = await readFile(lastMessage, "utf8").catch(() => "");
  return { ...run, last: last.trim() };
}

describe("the Codex CLI through the gateway", () => {
  let seeded: SeededGateway;
  let home: string;

  beforeAll(async () => {
    seeded = await startSeededGateway("lean", answer);
    home = await mkdtemp(path.join(tmpdir(), "gw-codex-"));
  });
  afterAll(async () => {
    await stopSeededGateway(seeded);
    await rm(home, { recursive: true, force: true });
  });

  it.each([
    ["gpt", "openai", "/v1/responses", 300],
    ["local", "ollama", "/v1/chat/completions", 250],
  ])("codex exec answers from the %s Llm (%s provider); the call is audited as a Responses call", async (llm, provider, upstreamPath, promptTokens) => {
    const before = seeded.upstream.requests.length;
    const run = await runCodex(seeded.gateway.url, seeded.tokens.alice, llm, home, "Reply with what the gateway says.");
    expect(run.code, run.output).toBe(0);
    expect(run.last).toBe(ANSWER);
    const calls = seeded.upstream.requests.slice(before);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.url).toBe(upstreamPath);
      if (provider === "openai") expect(call.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
      expect(JSON.stringify(call.headers)).not.toContain(seeded.tokens.alice);
    }
    const [row] = await waitForAuditRows((candidate) => candidate.llm === llm && candidate.api === "responses", 1);
    expect(row).toMatchObject({ api: "responses", provider, status: 200, user: "alice", streaming: true, promptTokens });
    expect(row!.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a tool round trip through the translation: Codex runs the command the Ollama model called and sends its output back", async () => {
    const before = seeded.upstream.requests.length;
    const run = await runCodex(seeded.gateway.url, seeded.tokens.alice, "local", home, "Use the tool to echo a word, then say what it printed.");
    expect(run.code, run.output).toBe(0);
    expect(run.last).toBe(`The tool printed ${TOOL_OUTPUT}`);
    const calls = seeded.upstream.requests.slice(before);
    expect(calls).toHaveLength(2);
    const second = calls[1]!.json?.messages as Array<Record<string, unknown>>;
    expect(second.find((message) => Array.isArray(message.tool_calls))?.tool_calls).toEqual([
      { id: "call_exec_1", type: "function", function: { name: "exec_command", arguments: JSON.stringify({ cmd: `echo ${TOOL_OUTPUT}` }) } },
    ]);
    expect(second.find((message) => message.role === "tool")).toMatchObject({ tool_call_id: "call_exec_1", content: expect.stringContaining(TOOL_OUTPUT) });
    const rows = await waitForAuditRows((row) => row.llm === "local" && row.api === "responses", 3);
    expect(rows.slice(0, 2).map((row) => [row.status, row.sessionId === rows[0]!.sessionId])).toEqual([
      [200, true],
      [200, true],
    ]);
  });
});
