import { readFileSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { parseMessagesBody, toChatRequest } from "./request";
import { toAnthropicMessage } from "./response";
import { createMessagesStreamTranslator } from "./stream";

const fixture = (file: string) => readFileSync(new URL(`../__fixtures__/${file}`, import.meta.url), "utf8");

function body(fields: Record<string, unknown>) {
  return parseMessagesBody(Buffer.from(JSON.stringify({ model: "m", max_tokens: 256, messages: [{ role: "user", content: "hi" }], ...fields })), false);
}

/** Translated OpenAI SSE run through the Anthropic SDK's own stream reader and assembler; no network. */
function assemble(eventText: string) {
  const client = new Anthropic({
    apiKey: "x",
    baseURL: "http://127.0.0.1:1",
    maxRetries: 0,
    fetch: async () => new Response(eventText, { headers: { "content-type": "text/event-stream" } }),
  });
  return client.messages.stream({ model: "m", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }).finalMessage();
}

function translate(openaiSse: string, pieceSize = 7): { text: string; error: string | null } {
  const translator = createMessagesStreamTranslator();
  const bytes = Buffer.from(openaiSse);
  let text = "";
  // Split anywhere, as TCP may.
  for (let start = 0; start < bytes.length; start += pieceSize) text += translator.write(bytes.subarray(start, start + pieceSize));
  text += translator.end();
  return { text, error: translator.error() };
}

const eventNames = (text: string) => [...text.matchAll(/^event: (.+)$/gm)].map((match) => match[1]);

describe("Messages request → Chat Completions", () => {
  it("hoists system (string or text blocks), joins text blocks, and keeps sampling and stop settings", () => {
    const chat = toChatRequest(
      body({
        system: [
          { type: "text", text: "You are terse." },
          { type: "text", text: "Answer in French.", cache_control: { type: "ephemeral" } },
        ],
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "<reminder>be nice</reminder>" },
              { type: "text", text: "Hello" },
            ],
          },
        ],
        temperature: 0.3,
        top_p: 0.9,
        top_k: 5,
        stop_sequences: ["END"],
        metadata: { user_id: "u-1" },
        thinking: { type: "enabled", budget_tokens: 2048 },
      }),
      "vllm",
    );
    expect(chat).toEqual({
      model: "m",
      messages: [
        { role: "system", content: "You are terse.\nAnswer in French." },
        { role: "user", content: "<reminder>be nice</reminder>\nHello" },
      ],
      max_tokens: 256,
      stop: ["END"],
      temperature: 0.3,
      top_p: 0.9,
    });
  });

  it("system turns (Messages API 2026-10-21) stay where they are, as system messages", () => {
    const chat = toChatRequest(
      body({
        messages: [
          { role: "user", content: "hi" },
          { role: "system", content: [{ type: "text", text: "# Environment" }] },
          { role: "assistant", content: "hello" },
        ],
      }),
      "vllm",
    );
    expect(chat.messages).toEqual([
      { role: "user", content: "hi" },
      { role: "system", content: "# Environment" },
      { role: "assistant", content: "hello" },
    ]);
  });

  it("asks OpenAI for max_completion_tokens; a stream's usage is the adapter's to ask for", () => {
    const chat = toChatRequest(body({ stream: true }), "openai");
    expect(chat.max_completion_tokens).toBe(256);
    expect(chat.max_tokens).toBeUndefined();
    expect(chat.stream).toBe(true);
    expect(chat.stream_options).toBeUndefined();
  });

  it("turns tool_use into tool_calls and tool results into tool messages ahead of the user's text; thinking is not sent back", () => {
    const chat = toChatRequest(
      body({
        messages: [
          { role: "user", content: "Weather in Paris and the time?" },
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "two tools", signature: "sig" },
              { type: "text", text: "Checking." },
              { type: "tool_use", id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
              { type: "tool_use", id: "toolu_2", name: "get_time", input: {} },
            ],
          },
          {
            role: "user",
            content: [
              { type: "tool_result", tool_use_id: "toolu_1", content: "18°C" },
              {
                type: "tool_result",
                tool_use_id: "toolu_2",
                is_error: false,
                content: [
                  { type: "text", text: "12:00" },
                  { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
                ],
              },
              { type: "text", text: "Thanks" },
            ],
          },
        ],
      }),
      "openai",
    );
    expect(chat.messages).toEqual([
      { role: "user", content: "Weather in Paris and the time?" },
      {
        role: "assistant",
        content: "Checking.",
        tool_calls: [
          { id: "toolu_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
          { id: "toolu_2", type: "function", function: { name: "get_time", arguments: "{}" } },
        ],
      },
      { role: "tool", tool_call_id: "toolu_1", content: "18°C" },
      { role: "tool", tool_call_id: "toolu_2", content: "12:00" },
      {
        role: "user",
        content: [
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
          { type: "text", text: "Thanks" },
        ],
      },
    ]);
  });

  it("maps images (base64 and URL) and PDFs to image and file parts", () => {
    const chat = toChatRequest(
      body({
        messages: [
          {
            role: "user",
            content: [
              { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
              { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } },
              { type: "text", text: "Describe both" },
            ],
          },
        ],
      }),
      "openai",
    );
    expect(chat.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
          { type: "file", file: { filename: "document.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } },
          { type: "text", text: "Describe both" },
        ],
      },
    ]);
  });

  it("maps tools and every tool_choice, with disable_parallel_tool_use", () => {
    const tools = [
      { name: "get_weather", description: "Weather", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
    ];
    const chatTools = [
      {
        type: "function",
        function: { name: "get_weather", description: "Weather", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
      },
    ];
    expect(toChatRequest(body({ tools }), "openai").tools).toEqual(chatTools);
    const choice = (tool_choice: unknown) => {
      const { tool_choice: mapped, parallel_tool_calls } = toChatRequest(body({ tools, tool_choice }), "openai");
      return { mapped, parallel_tool_calls };
    };
    expect(choice({ type: "auto" })).toEqual({ mapped: "auto", parallel_tool_calls: undefined });
    expect(choice({ type: "any", disable_parallel_tool_use: true })).toEqual({ mapped: "required", parallel_tool_calls: false });
    expect(choice({ type: "tool", name: "get_weather" })).toEqual({
      mapped: { type: "function", function: { name: "get_weather" } },
      parallel_tool_calls: undefined,
    });
    expect(choice({ type: "none" })).toEqual({ mapped: "none", parallel_tool_calls: undefined });
  });

  it("refuses what only Anthropic serves, naming the field", () => {
    const serverTool = () => toChatRequest(body({ tools: [{ type: "web_search_20250305", name: "web_search" }] }), "openai");
    expect(serverTool).toThrowError(expect.objectContaining({ code: "invalid_request", param: "tools[0].type", detailCode: "unsupported_value" }));
    const block = () =>
      toChatRequest(body({ messages: [{ role: "user", content: [{ type: "search_result", source: "x", title: "t", content: [] }] }] }), "openai");
    expect(block).toThrowError(expect.objectContaining({ param: "messages[0].content[0].type" }));
    expect(() => toChatRequest(body({ mcp_servers: [{ type: "url", url: "https://x", name: "x" }] }), "openai")).toThrowError(
      expect.objectContaining({ param: "mcp_servers" }),
    );
  });

  it("checks what the gateway relies on, with Anthropic's field names", () => {
    const parse = (fields: Record<string, unknown>) => () => parseMessagesBody(Buffer.from(JSON.stringify(fields)), false);
    expect(parse({ model: "m", messages: [{ role: "user", content: "hi" }] })).toThrowError(expect.objectContaining({ param: "max_tokens" }));
    expect(parse({ model: "m", max_tokens: 5, messages: [] })).toThrowError(expect.objectContaining({ param: "messages" }));
    expect(parse({ model: "m", max_tokens: 5, messages: [{ role: "tool", content: "x" }] })).toThrowError(
      expect.objectContaining({ param: "messages.0.role" }),
    );
    expect(parse({ max_tokens: 5, messages: [{ role: "user", content: "x" }] })).toThrowError(expect.objectContaining({ param: "model" }));
    // count_tokens takes no max_tokens
    expect(parseMessagesBody(Buffer.from(JSON.stringify({ model: "m", messages: [{ role: "user", content: "x" }] })), true).model).toBe("m");
  });
});

describe("chat.completion → Messages message", () => {
  it("maps text, tool calls, reasoning, the stop reason and usage (cached tokens out of input_tokens)", () => {
    const message = toAnthropicMessage({
      id: "chatcmpl-1",
      model: "gpt-4o-2024-08-06",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "Let me check.",
            reasoning_content: "Need the weather tool.",
            tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
          },
          finish_reason: "tool_calls",
        },
      ],
      usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, prompt_tokens_details: { cached_tokens: 60 } },
    });
    expect(message).toEqual({
      id: "chatcmpl-1",
      type: "message",
      role: "assistant",
      model: "gpt-4o-2024-08-06",
      content: [
        { type: "thinking", thinking: "Need the weather tool.", signature: "" },
        { type: "text", text: "Let me check." },
        { type: "tool_use", id: "call_1", name: "get_weather", input: { city: "Paris" } },
      ],
      stop_reason: "tool_use",
      stop_sequence: null,
      usage: { input_tokens: 40, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 60 },
    });
  });

  it.each([
    ["stop", "end_turn"],
    ["length", "max_tokens"],
    ["content_filter", "refusal"],
    [null, "end_turn"],
    ["something_new", "end_turn"],
  ])("finish_reason %s → stop_reason %s", (finish, stop) => {
    expect(toAnthropicMessage({ choices: [{ message: { content: "x" }, finish_reason: finish }] }).stop_reason).toBe(stop);
  });
});

describe("Chat Completions stream → Messages events (through the Anthropic SDK's assembler)", () => {
  it("text: message_start, one text block, message_delta with usage, message_stop", async () => {
    const { text, error } = translate(fixture("openai-text.chunks.txt"));
    expect(error).toBeNull();
    expect(eventNames(text)).toEqual([
      "message_start",
      "content_block_start",
      ...Array(7).fill("content_block_delta"),
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const message = await assemble(text);
    expect(message.id).toBe("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG");
    expect(message.model).toBe("gpt-4o-2024-08-06");
    expect(message.content).toEqual([{ type: "text", text: "The capital of France is Paris." }]);
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage).toMatchObject({ input_tokens: 23, output_tokens: 7 });
  });

  it("parallel tool calls: one tool_use block each, arguments as input_json_delta, inputs assembled", async () => {
    const { text } = translate(fixture("openai-tools.chunks.txt"), 13);
    const deltas = [...text.matchAll(/"partial_json":"((?:[^"\\]|\\.)*)"/g)].map((match) => JSON.parse(`"${match[1]}"`));
    expect(deltas).toEqual(['{"lo', 'cation": "Pa', 'ris, France"}', '{"tz": "Europe/Paris"}']);
    const message = await assemble(text);
    expect(message.content).toEqual([
      { type: "tool_use", id: "call_DdmO9pD3xa9XTPNJ32zg2hcA", name: "get_weather", input: { location: "Paris, France" } },
      { type: "tool_use", id: "call_ABCDEFGHIJKLMNOPQRSTUVWX", name: "get_time", input: { tz: "Europe/Paris" } },
    ]);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage).toMatchObject({ input_tokens: 18, cache_read_input_tokens: 64, output_tokens: 36 });
  });

  it("reasoning: a thinking block before the text block", async () => {
    const message = await assemble(translate(fixture("deepseek-reasoning.chunks.txt"), 5).text);
    expect(message.content).toEqual([
      { type: "thinking", thinking: "9.11 has two decimal places, 9.8 has one; compare 0.11 with 0.80.", signature: "" },
      { type: "text", text: "9.8 is greater." },
    ]);
    expect(message.usage).toMatchObject({ input_tokens: 18, output_tokens: 41 });
  });

  it("an error frame mid-stream becomes an error event the SDK raises, and nothing follows it", async () => {
    const lines = fixture("openai-text.chunks.txt").split("\n\n").slice(0, 3);
    const broken = `${lines.join("\n\n")}\n\ndata: {"error":{"message":"Overloaded","type":"overloaded_error","param":null,"code":null}}\n\n`;
    const { text, error } = translate(broken);
    expect(error).toBe("Overloaded");
    expect(eventNames(text).at(-1)).toBe("error");
    expect(text).toContain('"error":{"type":"overloaded_error","message":"Overloaded"}');
    await expect(assemble(text)).rejects.toThrow(/Overloaded/);
  });

  it("a stream that ends before its finish reason ends with an error event, not message_stop", () => {
    const cut = `${fixture("openai-text.chunks.txt").split("\n\n").slice(0, 4).join("\n\n")}\n\n`;
    const { text, error } = translate(cut);
    expect(error).toMatch(/ended before the answer was complete/);
    expect(eventNames(text)).not.toContain("message_stop");
    expect(eventNames(text).at(-1)).toBe("error");
  });
});
