import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { sendJson, sendSse, type RecordedRequest } from "../helpers/fake-upstream";
import { OPENAI_KEY, waitForAuditRows } from "../helpers/seed";
import { startSeededGateway, stopSeededGateway, type SeededGateway } from "../helpers/seeded-gateway";

// The OpenAI Agents SDK (npm @openai/agents) pointed at the gateway the way the README says:
// OPENAI_BASE_URL and the gateway token as its key, tracing off (its traces would go to OpenAI).
// It speaks Responses: natively to the OpenAI Llm, translated for the Ollama one, with a tool.

process.env.OPENAI_AGENTS_DISABLE_TRACING = "1";
const { Agent, run, setDefaultOpenAIKey, tool } = await import("@openai/agents");

const ANSWER = "Agents SDK through the gateway: PONG-9902";

function responsesAnswer(response: ServerResponse): void {
  const item = { id: "msg_agents", type: "message", status: "completed", role: "assistant", content: [{ type: "output_text", text: ANSWER, annotations: [] }] };
  const usage = {
    input_tokens: 60,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: 9,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: 69,
  };
  sendJson(response, 200, {
    id: "resp_agents",
    object: "response",
    created_at: 1700000000,
    status: "completed",
    model: "gpt-4o-2024-08-06",
    output: [item],
    usage,
  });
}

/** The Ollama fake: asked about the weather, it calls the agent's tool, then answers with what the tool said. */
function chatAnswer(request: RecordedRequest, response: ServerResponse): void {
  const messages = request.json?.messages as Array<{ role: string; content: unknown }>;
  const toolResult = messages.find((message) => message.role === "tool");
  const message = toolResult
    ? { role: "assistant", content: `The tool says: ${String(toolResult.content)}` }
    : {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_weather", type: "function", function: { name: "get_weather", arguments: '{"city":"Oslo"}' } }],
      };
  const completion = {
    id: "chatcmpl-agents",
    object: "chat.completion",
    created: 1700000000,
    model: "llama3.2",
    choices: [{ index: 0, message, finish_reason: toolResult ? "stop" : "tool_calls" }],
    usage: { prompt_tokens: 70, completion_tokens: 10, total_tokens: 80 },
  };
  if (request.json?.stream !== true) return sendJson(response, 200, completion);
  const base = { id: completion.id, object: "chat.completion.chunk", created: completion.created, model: completion.model };
  const frame = (payload: object) => `data: ${JSON.stringify({ ...base, ...payload })}\n\n`;
  void sendSse(response, [
    frame({ choices: [{ index: 0, delta: { ...message, tool_calls: message.tool_calls?.map((call, index) => ({ index, ...call })) }, finish_reason: null }] }),
    frame({ choices: [{ index: 0, delta: {}, finish_reason: completion.choices[0]!.finish_reason }] }),
    frame({ choices: [], usage: completion.usage }),
    "data: [DONE]\n\n",
  ]);
}

function answer(request: RecordedRequest, response: ServerResponse): void {
  if (request.url === "/v1/responses") return responsesAnswer(response);
  if (request.url === "/v1/chat/completions") return chatAnswer(request, response);
  sendJson(response, 404, { error: { message: `no fake for ${request.url}` } });
}

describe("the OpenAI Agents SDK through the gateway", () => {
  let seeded: SeededGateway;

  beforeAll(async () => {
    seeded = await startSeededGateway("lean", answer);
    process.env.OPENAI_BASE_URL = `${seeded.gateway.url}/api/v1`;
    setDefaultOpenAIKey(seeded.tokens.alice);
  });
  afterAll(() => stopSeededGateway(seeded));

  it("an agent on the OpenAI Llm: Responses passed through, audited", async () => {
    const agent = new Agent({ name: "helper", instructions: "Be brief.", model: "gpt" });
    const result = await run(agent, "Say hello.");
    expect(result.finalOutput).toBe(ANSWER);
    const call = seeded.upstream.requests.at(-1)!;
    expect(call.url).toBe("/v1/responses");
    expect(call.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(call.json).toMatchObject({ model: "gpt-4o", instructions: "Be brief." });
    const [row] = await waitForAuditRows((candidate) => candidate.llm === "gpt" && candidate.api === "responses", 1);
    expect(row).toMatchObject({ provider: "openai", status: 200, promptTokens: 60, user: "alice" });
  });

  it("an agent with a tool on the Ollama Llm: translated, the tool runs and its output goes back", async () => {
    const calls: string[] = [];
    const getWeather = tool({
      name: "get_weather",
      description: "The weather in a city",
      parameters: z.object({ city: z.string() }),
      execute: async ({ city }) => {
        calls.push(city);
        return `sunny in ${city}`;
      },
    });
    const before = seeded.upstream.requests.length;
    const agent = new Agent({ name: "weather", instructions: "Use the tool.", model: "local", tools: [getWeather] });
    const result = await run(agent, "Weather in Oslo?");
    expect(calls).toEqual(["Oslo"]);
    expect(result.finalOutput).toBe("The tool says: sunny in Oslo");
    const sent = seeded.upstream.requests.slice(before);
    expect(sent.map((request) => request.url)).toEqual(["/v1/chat/completions", "/v1/chat/completions"]);
    expect((sent[0]!.json!.tools as unknown[])[0]).toMatchObject({ type: "function", function: { name: "get_weather" } });
    expect((sent[1]!.json!.messages as unknown[]).at(-1)).toEqual({ role: "tool", tool_call_id: "call_weather", content: "sunny in Oslo" });
    const rows = await waitForAuditRows((row) => row.llm === "local" && row.api === "responses", 2);
    expect(rows.slice(0, 2).map((row) => row.status)).toEqual([200, 200]);
  });
});
