import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { toChatCompletion } from "./response";

const CREATED = 1_700_000_000;

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8")) as Record<string, unknown>;
}

function message(content: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model: "claude-x",
    content,
    stop_reason: "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 3, output_tokens: 4 },
    ...extra,
  };
}

describe("toChatCompletion", () => {
  it("builds the envelope from the recorded text response", async () => {
    expect(toChatCompletion(fixture("anthropic-text.json"), CREATED)).toEqual({
      id: "msg_01VdEjxAP5ahtHKrrRdNBteQ",
      object: "chat.completion",
      created: CREATED,
      model: "claude-sonnet-4-5-20250929",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
            refusal: null,
          },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 29, total_tokens: 41, prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 } },
    });
  });

  it("maps text + tool_use to content and tool_calls with compact JSON arguments", async () => {
    const completion = toChatCompletion(fixture("anthropic-tool-no-args.json"), CREATED);
    const choice = completion.choices[0];
    expect(choice.finish_reason).toBe("tool_calls");
    expect(choice.message.content).toMatch(/^<thinking>\nThe updateIssueList tool/);
    expect(choice.message.tool_calls).toEqual([
      { id: "toolu_01LRmxn9vGM1d2DZSDBowdZ1", type: "function", function: { name: "updateIssueList", arguments: "{}" } },
    ]);
    expect(completion.usage.total_tokens).toBe(602 + 93);
  });

  it("keeps tool calls in block order, stringifies input compactly and adds no index", async () => {
    const completion = toChatCompletion(
      message(
        [
          { type: "tool_use", id: "toolu_1", name: "a", input: { city: "Paris", units: { temp: "C" } } },
          { type: "text", text: "between" },
          { type: "tool_use", id: "toolu_2", name: "b", input: {} },
        ],
        { stop_reason: "tool_use" },
      ),
      CREATED,
    );
    expect(completion.choices[0].message.tool_calls).toEqual([
      { id: "toolu_1", type: "function", function: { name: "a", arguments: '{"city":"Paris","units":{"temp":"C"}}' } },
      { id: "toolu_2", type: "function", function: { name: "b", arguments: "{}" } },
    ]);
    expect(completion.choices[0].message.tool_calls?.[0]).not.toHaveProperty("index");
    expect(completion.choices[0].message.content).toBe("between");
  });

  it("concatenates text blocks with no separator", async () => {
    const completion = toChatCompletion(
      message([
        { type: "text", text: "The answer" },
        { type: "text", text: " is 42." },
      ]),
      CREATED,
    );
    expect(completion.choices[0].message.content).toBe("The answer is 42.");
  });

  it("content is null when only tool calls came back", async () => {
    const completion = toChatCompletion(message([{ type: "tool_use", id: "toolu_1", name: "a", input: {} }], { stop_reason: "tool_use" }), CREATED);
    expect(completion.choices[0].message.content).toBeNull();
  });

  it('content is "" when there is neither text nor a tool call (recorded refusal)', async () => {
    const completion = toChatCompletion(fixture("anthropic-refusal.json"), CREATED);
    expect(completion.choices[0].message).toEqual({ role: "assistant", content: "", refusal: null });
    expect(completion.choices[0].finish_reason).toBe("content_filter");
    expect(completion.usage.total_tokens).toBe(23);
  });

  it("surfaces thinking as reasoning_content and drops signatures and redacted thinking", async () => {
    const completion = toChatCompletion(
      message([
        { type: "thinking", thinking: "First, ", signature: "sig1" },
        { type: "redacted_thinking", data: "opaque" },
        { type: "thinking", thinking: "then.", signature: "sig2" },
        { type: "text", text: "Done" },
      ]),
      CREATED,
    );
    expect(completion.choices[0].message).toEqual({ role: "assistant", content: "Done", refusal: null, reasoning_content: "First, then." });
    expect(JSON.stringify(completion)).not.toMatch(/sig1|opaque/);
  });

  it("has no reasoning_content without thinking blocks and ignores server tool blocks", async () => {
    const completion = toChatCompletion(
      message([
        { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "x" } },
        { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [] },
        { type: "text", text: "Found it" },
      ]),
      CREATED,
    );
    expect(completion.choices[0].message).toEqual({ role: "assistant", content: "Found it", refusal: null });
  });

  it("maps stop_reason to finish_reason and cache usage into prompt_tokens", async () => {
    const completion = toChatCompletion(
      message([{ type: "text", text: "cut" }], {
        stop_reason: "max_tokens",
        usage: { input_tokens: 5, cache_creation_input_tokens: 100, cache_read_input_tokens: 1000, output_tokens: 8 },
      }),
      CREATED,
    );
    expect(completion.choices[0].finish_reason).toBe("length");
    expect(completion.usage).toEqual({
      prompt_tokens: 1105,
      completion_tokens: 8,
      total_tokens: 1113,
      prompt_tokens_details: { cached_tokens: 1000, cache_write_tokens: 100 },
    });
  });
});
