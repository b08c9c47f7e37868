import { readFileSync } from "node:fs";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { parseResponsesBody, toChatRequest } from "./request";
import { toResponse } from "./response";
import { createResponsesStreamTranslator } from "./stream";

const fixture = (file: string) => readFileSync(new URL(`../__fixtures__/${file}`, import.meta.url), "utf8");

function body(fields: Record<string, unknown>) {
  return parseResponsesBody(Buffer.from(JSON.stringify({ model: "m", input: "hi", ...fields })));
}

function translate(openaiSse: string, request = body({ stream: true }), pieceSize = 9): { text: string; error: string | null } {
  const translator = createResponsesStreamTranslator(request);
  const bytes = Buffer.from(openaiSse);
  let text = "";
  for (let start = 0; start < bytes.length; start += pieceSize) text += translator.write(bytes.subarray(start, start + pieceSize));
  text += translator.end();
  return { text, error: translator.error() };
}

/** Translated events through the OpenAI SDK's own Responses stream reader and accumulator; no network. */
function assemble(eventText: string) {
  const client = new OpenAI({
    apiKey: "x",
    baseURL: "http://127.0.0.1:1",
    maxRetries: 0,
    fetch: async () => new Response(eventText, { headers: { "content-type": "text/event-stream" } }),
  });
  return client.responses.stream({ model: "m", input: "hi" }).finalResponse();
}

const eventNames = (text: string) => [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);

describe("Responses request → Chat Completions", () => {
  it("instructions and developer items become system messages; function calls and their outputs become tool_calls and tool messages", () => {
    const chat = toChatRequest(
      body({
        instructions: "You are a coding agent.",
        input: [
          { type: "message", role: "developer", content: [{ type: "input_text", text: "Sandbox: read-only." }] },
          { role: "user", content: "List the files." },
          { type: "reasoning", id: "rs_1", summary: [], encrypted_content: "gAAAA" },
          { type: "message", role: "assistant", content: [{ type: "output_text", text: "Running ls." }] },
          { type: "function_call", id: "fc_1", call_id: "call_1", name: "exec_command", arguments: '{"cmd":"ls"}' },
          { type: "function_call", id: "fc_2", call_id: "call_2", name: "exec_command", arguments: '{"cmd":"pwd"}' },
          { type: "function_call_output", call_id: "call_1", output: "a.txt\nb.txt" },
          { type: "function_call_output", call_id: "call_2", output: [{ type: "input_text", text: "/work" }] },
          {
            role: "user",
            content: [
              { type: "input_text", text: "And this?" },
              { type: "input_image", image_url: "https://example.com/x.png", detail: "low" },
            ],
          },
        ],
        max_output_tokens: 500,
        temperature: 0.2,
        parallel_tool_calls: false,
        store: false,
        include: ["reasoning.encrypted_content"],
        reasoning: { effort: "high", summary: "auto" },
        prompt_cache_key: "k",
      }),
    );
    expect(chat).toEqual({
      model: "m",
      messages: [
        { role: "system", content: "You are a coding agent." },
        { role: "system", content: "Sandbox: read-only." },
        { role: "user", content: "List the files." },
        {
          role: "assistant",
          content: "Running ls.",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "exec_command", arguments: '{"cmd":"ls"}' } },
            { id: "call_2", type: "function", function: { name: "exec_command", arguments: '{"cmd":"pwd"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "a.txt\nb.txt" },
        { role: "tool", tool_call_id: "call_2", content: "/work" },
        {
          role: "user",
          content: [
            { type: "text", text: "And this?" },
            { type: "image_url", image_url: { url: "https://example.com/x.png", detail: "low" } },
          ],
        },
      ],
      max_tokens: 500,
      temperature: 0.2,
      parallel_tool_calls: false,
    });
  });

  it("keeps function tools and their choice; hosted tools only OpenAI runs are left out", () => {
    const chat = toChatRequest(
      body({
        tools: [
          {
            type: "function",
            name: "exec_command",
            description: "Run",
            strict: false,
            parameters: { type: "object", properties: { cmd: { type: "string" } } },
          },
          { type: "web_search", external_web_access: false },
          { type: "namespace", name: "multi_agent_v1", description: "", tools: [] },
        ],
        tool_choice: { type: "function", name: "exec_command" },
        text: { format: { type: "json_schema", name: "out", schema: { type: "object" }, strict: true } },
        stream: true,
      }),
    );
    expect(chat.tools).toEqual([
      {
        type: "function",
        function: { name: "exec_command", parameters: { type: "object", properties: { cmd: { type: "string" } } }, description: "Run", strict: false },
      },
    ]);
    expect(chat.tool_choice).toEqual({ type: "function", function: { name: "exec_command" } });
    expect(chat.response_format).toEqual({ type: "json_schema", json_schema: { name: "out", schema: { type: "object" }, strict: true } });
    expect(chat.stream_options).toBeUndefined();
  });

  it("refuses state: previous_response_id, conversation, background", () => {
    for (const field of [{ previous_response_id: "resp_1" }, { conversation: "conv_1" }, { background: true }]) {
      const [name] = Object.keys(field);
      expect(() => body(field)).toThrowError(
        expect.objectContaining({ code: "invalid_request", param: name, message: expect.stringContaining("keeps no responses") }),
      );
    }
  });

  it("refuses what has no Chat Completions form, naming the field", () => {
    expect(() => toChatRequest(body({ input: [{ type: "file_search_call", id: "fs_1" }] }))).toThrowError(expect.objectContaining({ param: "input[0].type" }));
    expect(() => toChatRequest(body({ input: [{ role: "user", content: [{ type: "input_image", file_id: "file-1" }] }] }))).toThrowError(
      expect.objectContaining({ param: "input[0].content[0]" }),
    );
  });
});

describe("chat.completion → Response", () => {
  it("maps reasoning, text, function calls, usage and how it ended", () => {
    const response = toResponse(
      {
        id: "chatcmpl-1",
        created: 1700000000,
        model: "deepseek-reasoner",
        choices: [
          {
            message: {
              role: "assistant",
              content: "Let me look.",
              reasoning_content: "Need ls.",
              tool_calls: [{ id: "call_9", type: "function", function: { name: "exec_command", arguments: '{"cmd":"ls"}' } }],
            },
            finish_reason: "tool_calls",
          },
        ],
        usage: {
          prompt_tokens: 100,
          completion_tokens: 30,
          total_tokens: 130,
          prompt_tokens_details: { cached_tokens: 40 },
          completion_tokens_details: { reasoning_tokens: 12 },
        },
      },
      body({}),
    );
    expect(response).toMatchObject({
      id: "resp_chatcmpl-1",
      object: "response",
      created_at: 1700000000,
      status: "completed",
      model: "deepseek-reasoner",
      output: [
        { type: "reasoning", content: [{ type: "reasoning_text", text: "Need ls." }] },
        { type: "message", role: "assistant", status: "completed", content: [{ type: "output_text", text: "Let me look.", annotations: [] }] },
        { type: "function_call", call_id: "call_9", name: "exec_command", arguments: '{"cmd":"ls"}', status: "completed" },
      ],
      usage: {
        input_tokens: 100,
        input_tokens_details: { cached_tokens: 40 },
        output_tokens: 30,
        output_tokens_details: { reasoning_tokens: 12 },
        total_tokens: 130,
      },
    });
    expect(toResponse({ choices: [{ message: { content: "cut" }, finish_reason: "length" }] }, body({}))).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "max_output_tokens" },
    });
  });
});

describe("Chat Completions stream → Responses events (through the OpenAI SDK's Responses stream)", () => {
  it("text: created, in_progress, one message item with its deltas and done events, completed with usage", async () => {
    const { text, error } = translate(fixture("openai-text.chunks.txt"));
    expect(error).toBeNull();
    expect(eventNames(text)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      ...Array(7).fill("response.output_text.delta"),
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const sequence = [...text.matchAll(/"sequence_number":(\d+)/g)].map((match) => Number(match[1]));
    expect(sequence).toEqual(sequence.map((_, index) => index));
    const response = await assemble(text);
    expect(response.output_text).toBe("The capital of France is Paris.");
    expect(response.status).toBe("completed");
    expect(response.usage).toMatchObject({ input_tokens: 23, output_tokens: 7, total_tokens: 30 });
  });

  it("parallel tool calls: one function_call item each, arguments streamed and assembled", async () => {
    const response = await assemble(translate(fixture("openai-tools.chunks.txt"), body({ stream: true }), 11).text);
    expect(response.output).toMatchObject([
      { type: "function_call", call_id: "call_DdmO9pD3xa9XTPNJ32zg2hcA", name: "get_weather", arguments: '{"location": "Paris, France"}', status: "completed" },
      { type: "function_call", call_id: "call_ABCDEFGHIJKLMNOPQRSTUVWX", name: "get_time", arguments: '{"tz": "Europe/Paris"}', status: "completed" },
    ]);
    expect(response.usage).toMatchObject({ input_tokens: 82, input_tokens_details: { cached_tokens: 64 }, output_tokens: 36 });
  });

  it("reasoning: a reasoning item with the provider's reasoning text, then the message", async () => {
    const response = await assemble(translate(fixture("deepseek-reasoning.chunks.txt"), body({ stream: true }), 6).text);
    expect(response.output).toMatchObject([
      { type: "reasoning", content: [{ type: "reasoning_text", text: "9.11 has two decimal places, 9.8 has one; compare 0.11 with 0.80." }] },
      { type: "message", content: [{ type: "output_text", text: "9.8 is greater." }] },
    ]);
    expect(response.usage).toMatchObject({ output_tokens_details: { reasoning_tokens: 33 } });
  });

  it("an error frame mid-stream ends with response.failed carrying the error", async () => {
    const opening = fixture("openai-text.chunks.txt").split("\n\n").slice(0, 3).join("\n\n");
    const { text, error } = translate(`${opening}\n\ndata: {"error":{"message":"Overloaded","type":"server_error","code":"overloaded"}}\n\n`);
    expect(error).toBe("Overloaded");
    expect(eventNames(text).at(-1)).toBe("response.failed");
    const response = await assemble(text);
    expect(response).toMatchObject({ status: "failed", error: { code: "overloaded", message: "Overloaded" } });
  });
});
