import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { TRANSCRIPT_FILES, loadTranscript, sse, translate } from "./__fixtures__/transcripts";

/** Runs translated SSE text through openai-node's own stream assembler; no network involved. */
function assemble(translatedText: string) {
  const client = new OpenAI({
    apiKey: "x",
    baseURL: "http://127.0.0.1:1",
    maxRetries: 0,
    fetch: async () => new Response(translatedText, { headers: { "content-type": "text/event-stream" } }),
  });
  return client.chat.completions
    .stream({ model: "m", messages: [{ role: "user", content: "hi" }], stream_options: { include_usage: true } })
    .finalChatCompletion();
}

function usage(prompt: number, completion: number) {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
  };
}

const EXPECTED: Record<string, { content: string | null; toolCalls?: unknown[]; finishReason: string; usage: unknown }> = {
  "basic_response.txt": { content: "Hello there!", finishReason: "stop", usage: usage(11, 6) },
  "tool_use_response.txt": {
    content: "I'll check the current weather in Paris for you.",
    toolCalls: [{ id: "toolu_01NRLabsLyVHZPKxbKvkfSMn", type: "function", function: { name: "get_weather", arguments: '{"location": "Paris"}' } }],
    finishReason: "tool_calls",
    usage: usage(377, 65),
  },
  "incomplete_partial_json_response.txt": {
    content: "I'll create a comprehensive tax guide for someone with multiple W2s and save it in a file called taxes.txt. Let me do that for you now.",
    toolCalls: [
      {
        id: "toolu_01EKqbqmZrGRXy18eN7m9kvY",
        type: "function",
        function: {
          name: "make_file",
          arguments:
            '{"filename": "taxes.txt", "lines_of_text": [\n"# COMPREHENSIVE TAX GUIDE FOR INDIVIDUALS WITH MULTIPLE W-2s",\n"",\n"## INTRODUCTION",\n"",\n"Filing taxes',
        },
      },
    ],
    finishReason: "length",
    usage: usage(450, 124),
  },
  "anthropic-text.chunks.txt": {
    content: "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
    finishReason: "stop",
    usage: usage(12, 30),
  },
  "anthropic-tool-no-args.chunks.txt": {
    content: "I'll update the issue list for you.",
    toolCalls: [{ id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP", type: "function", function: { name: "updateIssueList", arguments: "{}" } }],
    finishReason: "tool_calls",
    usage: usage(565, 48),
  },
  // openai-node only concatenates truthy content, so the role chunk's "" leaves content null.
  "anthropic-refusal.chunks.txt": { content: null, finishReason: "content_filter", usage: usage(18, 5) },
  "anthropic-message-delta-input-tokens.chunks.txt": { content: "pong", finishReason: "stop", usage: usage(61, 2) },
  "anthropic-clear-thinking.1.chunks.txt": { content: "925 ÷ 5 = 185", finishReason: "stop", usage: usage(69, 53) },
};

describe("openai-node assembles the translated stream", () => {
  it("has an expectation for every transcript", async () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...TRANSCRIPT_FILES]);
  });

  for (const file of TRANSCRIPT_FILES) {
    it(file, async () => {
      const expected = EXPECTED[file];
      const { text } = translate(loadTranscript(file), { includeUsage: true, size: 7 });
      const completion = await assemble(text);
      const choice = completion.choices[0];
      expect(completion.choices).toHaveLength(1);
      expect(choice?.message.role).toBe("assistant");
      expect(choice?.message.content).toBe(expected?.content);
      expect(choice?.message.tool_calls).toEqual(expected?.toolCalls);
      expect(choice?.finish_reason).toBe(expected?.finishReason);
      expect(completion.usage).toEqual(expected?.usage);
    });
  }

  it("rejects the truncated transcript (no message_stop)", async () => {
    const recorded = loadTranscript("incomplete_partial_json_response.txt");
    const { text } = translate(recorded.slice(0, recorded.indexOf("event: message_delta")), { includeUsage: true, size: 7 });
    await expect(assemble(text)).rejects.toThrow("Upstream stream ended before message_stop");
  });

  it("rejects a stream that carries an upstream error event", async () => {
    const start = {
      type: "message_start",
      message: { id: "msg_x", type: "message", role: "assistant", model: "claude-x", content: [], usage: { input_tokens: 1, output_tokens: 1 } },
    };
    const { text } = translate(sse(start, { type: "error", error: { type: "overloaded_error", message: "Overloaded" } }), { includeUsage: true });
    await expect(assemble(text)).rejects.toThrow("Overloaded");
  });

  it("keeps two tool calls apart", async () => {
    const start = {
      type: "message_start",
      message: { id: "msg_two", type: "message", role: "assistant", model: "claude-x", content: [], usage: { input_tokens: 3, output_tokens: 1 } },
    };
    const transcript = sse(
      start,
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Two calls." } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_a", name: "a", input: {} } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"x":1}' } },
      { type: "content_block_stop", index: 1 },
      { type: "content_block_start", index: 2, content_block: { type: "tool_use", id: "toolu_b", name: "b", input: {} } },
      { type: "content_block_stop", index: 2 },
      { type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 9 } },
      { type: "message_stop" },
    );
    const completion = await assemble(translate(transcript, { includeUsage: true, size: 7 }).text);
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: "toolu_a", type: "function", function: { name: "a", arguments: '{"x":1}' } },
      { id: "toolu_b", type: "function", function: { name: "b", arguments: "{}" } },
    ]);
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
  });
});
