import { describe, expect, it } from "vitest";
import { TRANSCRIPT_FILES, loadTranscript, parseFrames, randomSizes, sse, translate } from "./__fixtures__/transcripts";
import { createAnthropicStreamTranslator } from "./stream";

const CREATED = 1_700_000_000;

interface ExpectedToolCall {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

interface Expected {
  id: string;
  model: string;
  content: string;
  reasoning?: string;
  toolCalls: ExpectedToolCall[];
  finishReason: string;
  usage: Record<string, unknown>;
}

function usage(prompt: number, completion: number, cached = 0, cacheWrite = 0) {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached, cache_write_tokens: cacheWrite },
  };
}

const EXPECTED: Record<string, Expected> = {
  "basic_response.txt": {
    id: "msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK",
    model: "claude-opus-4-8",
    content: "Hello there!",
    toolCalls: [],
    finishReason: "stop",
    usage: usage(11, 6),
  },
  "tool_use_response.txt": {
    id: "msg_019Q1hrJbZG26Fb9BQhrkHEr",
    model: "claude-opus-4-8",
    content: "I'll check the current weather in Paris for you.",
    toolCalls: [{ index: 0, id: "toolu_01NRLabsLyVHZPKxbKvkfSMn", name: "get_weather", arguments: '{"location": "Paris"}' }],
    finishReason: "tool_calls",
    usage: usage(377, 65),
  },
  // Recorded with message_stop after a max_tokens cut mid-tool-call: the arguments stay incomplete.
  "incomplete_partial_json_response.txt": {
    id: "msg_01UdjYBBipA9omjYhicnevgq",
    model: "claude-sonnet-4-5",
    content: "I'll create a comprehensive tax guide for someone with multiple W2s and save it in a file called taxes.txt. Let me do that for you now.",
    toolCalls: [
      {
        index: 0,
        id: "toolu_01EKqbqmZrGRXy18eN7m9kvY",
        name: "make_file",
        arguments:
          '{"filename": "taxes.txt", "lines_of_text": [\n"# COMPREHENSIVE TAX GUIDE FOR INDIVIDUALS WITH MULTIPLE W-2s",\n"",\n"## INTRODUCTION",\n"",\n"Filing taxes',
      },
    ],
    finishReason: "length",
    usage: usage(450, 124),
  },
  "anthropic-text.chunks.txt": {
    id: "msg_01QC4g3HwBThD4BaNtBckFDJ",
    model: "claude-sonnet-4-5-20250929",
    content: "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?",
    toolCalls: [],
    finishReason: "stop",
    usage: usage(12, 30),
  },
  "anthropic-tool-no-args.chunks.txt": {
    id: "msg_01GE2RKp1VYsPzdFs3sS9z5S",
    model: "claude-sonnet-4-5-20250929",
    content: "I'll update the issue list for you.",
    toolCalls: [{ index: 0, id: "toolu_01QE1WLsSVp5hy5Q3GmGTmjP", name: "updateIssueList", arguments: "{}" }],
    finishReason: "tool_calls",
    usage: usage(565, 48),
  },
  "anthropic-refusal.chunks.txt": {
    id: "msg_01RefusalStreamAbcdefghijk",
    model: "claude-fable-5",
    content: "",
    toolCalls: [],
    finishReason: "content_filter",
    usage: usage(18, 5),
  },
  "anthropic-message-delta-input-tokens.chunks.txt": {
    id: "msg_3196a1cc08de4d76b85b8f5777c0d42b",
    model: "claude-opus-4-5-20251101",
    content: "pong",
    toolCalls: [],
    finishReason: "stop",
    usage: usage(61, 2),
  },
  "anthropic-clear-thinking.1.chunks.txt": {
    id: "msg_01Y6V41gqPaKWEw7iPouH7iW",
    model: "claude-sonnet-4-5-20250929",
    content: "925 ÷ 5 = 185",
    reasoning: "The previous result was 925. Now I need to divide that by 5.\n\n925 ÷ 5 = 185",
    toolCalls: [],
    finishReason: "stop",
    usage: usage(69, 53),
  },
};

type Frame = Record<string, unknown> | "[DONE]";
type Choice = { index: number; delta: Record<string, unknown>; logprobs: unknown; finish_reason: unknown };

function choiceOf(frame: Frame): Choice {
  if (frame === "[DONE]") throw new Error("expected a chunk, got [DONE]");
  const choices = frame.choices as Choice[];
  expect(choices).toHaveLength(1);
  return choices[0] as Choice;
}

/** Accumulates tool-call deltas the way openai-node does, asserting identity only arrives once. */
function accumulate(frames: Frame[]) {
  let content = "";
  let reasoning: string | undefined;
  const toolCalls: ExpectedToolCall[] = [];
  for (const frame of frames) {
    if (frame === "[DONE]" || (frame.choices as unknown[]).length === 0) continue;
    const delta = choiceOf(frame).delta;
    if (typeof delta.content === "string") content += delta.content;
    if (typeof delta.reasoning_content === "string") reasoning = (reasoning ?? "") + delta.reasoning_content;
    for (const call of (delta.tool_calls ?? []) as Array<Record<string, unknown>>) {
      const index = call.index as number;
      const fn = call.function as { name?: string; arguments?: string };
      const existing = toolCalls[index];
      if (!existing) {
        expect(call.type).toBe("function");
        expect(typeof call.id).toBe("string");
        expect(typeof fn.name).toBe("string");
        toolCalls[index] = { index, id: call.id as string, name: fn.name as string, arguments: fn.arguments ?? "" };
      } else {
        expect(call.id).toBeUndefined();
        expect(call.type).toBeUndefined();
        expect(fn.name).toBeUndefined();
        existing.arguments += fn.arguments ?? "";
      }
    }
  }
  return { content, reasoning, toolCalls };
}

describe("createAnthropicStreamTranslator on recorded transcripts", () => {
  it("has an expectation for every transcript in __fixtures__", async () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...TRANSCRIPT_FILES]);
  });

  for (const file of TRANSCRIPT_FILES) {
    const expected = EXPECTED[file] as Expected;
    const transcript = loadTranscript(file);

    describe(file, () => {
      it("produces the same output whatever the upstream read boundaries", async () => {
        const whole = translate(transcript, { includeUsage: true }).text;
        expect(translate(transcript, { includeUsage: true, size: 7 }).text).toBe(whole);
        expect(translate(transcript, { includeUsage: true, size: randomSizes(file.length, 13) }).text).toBe(whole);
        expect(translate(transcript, { includeUsage: true, size: 1 }).text).toBe(whole);
        expect(whole).not.toContain("event:");
      });

      for (const includeUsage of [true, false]) {
        it(`translates every event (include_usage ${includeUsage})`, async () => {
          const { text, outcome, endText } = translate(transcript, { includeUsage, size: 7 });
          const frames = parseFrames(text);
          expect(endText).toBe("");
          expect(frames.at(-1)).toBe("[DONE]");
          expect(frames.filter((frame) => frame === "[DONE]")).toHaveLength(1);

          const chunks = frames.slice(0, -1) as Array<Record<string, unknown>>;
          for (const chunk of chunks) {
            expect(chunk).toMatchObject({ id: expected.id, object: "chat.completion.chunk", created: CREATED, model: expected.model });
            expect(Object.keys(chunk)).toEqual(["id", "object", "created", "model", "choices", ...(includeUsage ? ["usage"] : [])]);
          }
          const usageChunks = chunks.filter((chunk) => (chunk.choices as unknown[]).length === 0);
          const choiceChunks = chunks.filter((chunk) => (chunk.choices as unknown[]).length > 0);
          for (const chunk of choiceChunks) {
            const choice = choiceOf(chunk);
            expect(choice.index).toBe(0);
            expect(choice.logprobs).toBeNull();
            if (includeUsage) expect(chunk.usage).toBeNull();
          }

          expect(choiceOf(choiceChunks[0] as Frame).delta).toEqual({ role: "assistant", content: "" });
          expect(choiceOf(choiceChunks[0] as Frame).finish_reason).toBeNull();
          const finishes = choiceChunks.filter((chunk) => choiceOf(chunk).finish_reason !== null);
          expect(finishes).toHaveLength(1);
          expect(finishes[0]).toBe(choiceChunks.at(-1));
          expect(choiceOf(finishes[0] as Frame)).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: expected.finishReason });

          if (includeUsage) {
            expect(usageChunks).toHaveLength(1);
            expect(chunks.at(-1)).toBe(usageChunks[0]);
            expect(usageChunks[0]?.usage).toEqual(expected.usage);
          } else {
            expect(usageChunks).toHaveLength(0);
          }

          const assembled = accumulate(frames);
          expect(assembled.content).toBe(expected.content);
          expect(assembled.reasoning).toBe(expected.reasoning);
          expect(assembled.toolCalls).toEqual(expected.toolCalls);

          const promptTokens = expected.usage.prompt_tokens as number;
          const completionTokens = expected.usage.completion_tokens as number;
          const details = expected.usage.prompt_tokens_details as { cached_tokens: number; cache_write_tokens: number };
          expect(outcome).toEqual({
            usage: {
              promptTokens,
              completionTokens,
              totalTokens: promptTokens + completionTokens,
              cacheReadTokens: details.cached_tokens,
              cacheWriteTokens: details.cache_write_tokens,
              cacheWrite1hTokens: expect.toBeOneOf([0, null]),
              reasoningTokens: (expected.usage.completion_tokens_details as { reasoning_tokens?: number } | undefined)?.reasoning_tokens ?? null,
            },
            model: expected.model,
            id: expected.id,
            error: null,
            completed: true,
          });
        });
      }
    });
  }

  it("does not send reasoning_content for empty thinking deltas nor anything for signature_delta", async () => {
    const frames = parseFrames(translate(loadTranscript("anthropic-clear-thinking.1.chunks.txt"), { includeUsage: false }).text);
    const reasoningDeltas = frames.filter((frame) => frame !== "[DONE]" && "reasoning_content" in choiceOf(frame).delta);
    expect(reasoningDeltas.map((frame) => choiceOf(frame).delta.reasoning_content)).not.toContain("");
    expect(JSON.stringify(frames)).not.toContain("signature");
  });

  it("accepts CRLF line endings", async () => {
    const transcript = loadTranscript("tool_use_response.txt");
    const crlf = translate(transcript.replaceAll("\n", "\r\n"), { includeUsage: true, size: 5 }).text;
    expect(crlf).toBe(translate(transcript, { includeUsage: true }).text);
  });
});

describe("the truncated transcript (no message_stop)", () => {
  const recorded = loadTranscript("incomplete_partial_json_response.txt");
  const truncated = recorded.slice(0, recorded.indexOf("event: message_delta"));
  const endFrame = 'data: {"error":{"message":"Upstream stream ended before message_stop","type":"api_error","param":null,"code":null}}\n\n';

  it("ends with the mid-stream error frame from end() and never sends [DONE] or a finish chunk", async () => {
    const { text, endText, outcome } = translate(truncated, { includeUsage: true, size: 7 });
    expect(endText).toBe(endFrame);
    expect(text.endsWith(endFrame)).toBe(true);
    expect(text).not.toContain("[DONE]");
    expect(text).not.toContain('"finish_reason":"');
    expect(text).not.toContain('"choices":[]');
    expect(outcome.completed).toBe(false);
    expect(outcome.error).toBe("api_error: Upstream stream ended before message_stop");
    expect(outcome.usage).toEqual({
      promptTokens: 450,
      completionTokens: 1,
      totalTokens: 451,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: null,
      reasoningTokens: null,
    });
  });

  it("returns nothing more from a second end() or later writes", async () => {
    const translator = createAnthropicStreamTranslator({ includeUsage: false, created: CREATED });
    translator.write(new TextEncoder().encode(truncated));
    expect(translator.end()).toBe(endFrame);
    expect(translator.end()).toBe("");
    expect(translator.write(new TextEncoder().encode(sse({ type: "message_stop" })))).toBe("");
  });

  it("treats a stream with no bytes at all as broken", async () => {
    const translator = createAnthropicStreamTranslator({ includeUsage: true, created: CREATED });
    expect(translator.end()).toBe(endFrame);
    expect(translator.outcome()).toEqual({
      usage: null,
      model: null,
      id: null,
      error: "api_error: Upstream stream ended before message_stop",
      completed: false,
    });
  });

  it("does not dispatch a final event that lacks its terminating blank line", async () => {
    const full = loadTranscript("basic_response.txt").trimEnd();
    const { text } = translate(full, { includeUsage: false });
    expect(text).not.toContain("[DONE]");
    expect(text.endsWith(endFrame)).toBe(true);
  });
});

const START = {
  type: "message_start",
  message: {
    id: "msg_crafted",
    type: "message",
    role: "assistant",
    model: "claude-crafted",
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 10, cache_creation_input_tokens: 5, cache_read_input_tokens: 20, output_tokens: 1 },
  },
};
const STOP = { type: "message_stop" };

function deltas(text: string) {
  return parseFrames(text).map((frame) => (frame === "[DONE]" ? frame : ((frame.choices as Choice[])[0]?.delta ?? frame.usage)));
}

describe("crafted transcripts", () => {
  it("numbers two tool calls after a text block 0 and 1, not by Anthropic block index", async () => {
    const transcript = sse(
      START,
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Checking both." } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "tool_use", id: "toolu_a", name: "weather", input: {} } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: "" } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '{"city":' } },
      { type: "content_block_delta", index: 1, delta: { type: "input_json_delta", partial_json: '"Paris"}' } },
      { type: "content_block_stop", index: 1 },
      { type: "content_block_start", index: 2, content_block: { type: "tool_use", id: "toolu_b", name: "time", input: {} } },
      { type: "content_block_delta", index: 2, delta: { type: "input_json_delta", partial_json: '{"zone":"CET"}' } },
      { type: "content_block_stop", index: 2 },
      { type: "message_delta", delta: { stop_reason: "tool_use", stop_sequence: null }, usage: { output_tokens: 40 } },
      STOP,
    );
    const { text } = translate(transcript, { includeUsage: false, size: 7 });
    expect(deltas(text)).toEqual([
      { role: "assistant", content: "" },
      { content: "Checking both." },
      { tool_calls: [{ index: 0, id: "toolu_a", type: "function", function: { name: "weather", arguments: "" } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      { tool_calls: [{ index: 1, id: "toolu_b", type: "function", function: { name: "time", arguments: "" } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{"zone":"CET"}' } }] },
      {},
      "[DONE]",
    ]);
    expect(parseFrames(text).at(-2)).toMatchObject({ choices: [{ finish_reason: "tool_calls" }] });
  });

  it("writes an upstream error event as an OpenAI error frame, without [DONE], and ignores what follows", async () => {
    const head = sse(
      START,
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Partial" } },
    );
    const tail = sse(
      { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: " ignored" } },
      { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 3 } },
      STOP,
    );
    const translator = createAnthropicStreamTranslator({ includeUsage: true, created: CREATED });
    const first = translator.write(new TextEncoder().encode(head));
    expect(deltas(first)).toEqual([{ role: "assistant", content: "" }, { content: "Partial" }]);
    const second = translator.write(new TextEncoder().encode(tail));
    expect(second).toBe('data: {"error":{"message":"Overloaded","type":"overloaded_error","param":null,"code":null}}\n\n');
    expect(translator.write(new TextEncoder().encode(sse(STOP)))).toBe("");
    expect(translator.end()).toBe("");
    expect(translator.outcome()).toMatchObject({ error: "overloaded_error: Overloaded", completed: false, id: "msg_crafted" });
  });

  it("gives mid-stream rate-limit errors the OpenAI code for their type", async () => {
    const { text } = translate(sse(START, { type: "error", error: { type: "rate_limit_error", message: "Slow down" } }), { includeUsage: false });
    expect(parseFrames(text).at(-1)).toEqual({ error: { message: "Slow down", type: "rate_limit_error", param: null, code: "rate_limit_exceeded" } });
  });

  it("overrides start usage with every non-null message_delta field, cache fields included", async () => {
    const transcript = sse(
      START,
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "Hi" } },
      { type: "content_block_stop", index: 0 },
      { type: "message_delta", delta: { stop_reason: null }, usage: { output_tokens: 3 } },
      {
        type: "message_delta",
        delta: { stop_reason: "max_tokens", stop_sequence: null },
        usage: {
          input_tokens: 12,
          cache_creation_input_tokens: null,
          cache_read_input_tokens: 30,
          output_tokens: 7,
          output_tokens_details: { thinking_tokens: 4 },
        },
      },
      STOP,
    );
    const { text, outcome } = translate(transcript, { includeUsage: true, size: 3 });
    const frames = parseFrames(text);
    expect(deltas(text).slice(0, 2)).toEqual([{ role: "assistant", content: "" }, { content: "Hi" }]);
    expect(frames.at(-3)).toMatchObject({ choices: [{ finish_reason: "length" }] });
    expect(frames.at(-2)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 12 + 5 + 30,
        completion_tokens: 7,
        total_tokens: 54,
        prompt_tokens_details: { cached_tokens: 30, cache_write_tokens: 5 },
        completion_tokens_details: { reasoning_tokens: 4 },
      },
    });
    expect(outcome.usage).toEqual({
      promptTokens: 47,
      completionTokens: 7,
      totalTokens: 54,
      cacheReadTokens: 30,
      cacheWriteTokens: 5,
      cacheWrite1hTokens: null,
      reasoningTokens: 4,
    });
  });

  it("reports usage in outcome() even without include_usage", async () => {
    const { text, outcome } = translate(sse(START, { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 2 } }, STOP), {
      includeUsage: false,
    });
    expect(text).not.toContain("usage");
    expect(outcome.usage).toMatchObject({ promptTokens: 35, completionTokens: 2, totalTokens: 37, cacheReadTokens: 20, cacheWriteTokens: 5 });
  });

  it("sends a pre-populated tool input at block start and no extra {} at block stop", async () => {
    const transcript = sse(
      START,
      { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_p", name: "lookup", input: { q: "x" } } },
      { type: "content_block_stop", index: 0 },
      { type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 2 } },
      STOP,
    );
    expect(deltas(translate(transcript, { includeUsage: false }).text).slice(1, -2)).toEqual([
      { tool_calls: [{ index: 0, id: "toolu_p", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } }] },
    ]);
  });

  it("ignores ping, unknown events, unknown deltas and anything after message_stop", async () => {
    const transcript = sse(
      START,
      { type: "ping" },
      { type: "future_event", payload: 1 },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "citations_delta", citation: {} } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "future_delta", value: "x" } },
      { type: "content_block_stop", index: 0 },
      { type: "content_block_start", index: 1, content_block: { type: "redacted_thinking", data: "abc" } },
      { type: "content_block_stop", index: 1 },
      { type: "message_delta", delta: { stop_reason: "pause_turn" }, usage: { output_tokens: 2 } },
      STOP,
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "late" } },
      STOP,
    );
    const { text } = translate(transcript, { includeUsage: false });
    expect(deltas(text)).toEqual([{ role: "assistant", content: "" }, {}, "[DONE]"]);
  });

  it("treats invalid JSON in a data payload like a broken stream", async () => {
    const transcript = `${sse(START)}event: content_block_delta\ndata: {"type":"content_block_delta",\n\n${sse(STOP)}`;
    const { text, outcome, endText } = translate(transcript, { includeUsage: true });
    const frames = parseFrames(text);
    expect(frames.at(-1)).toMatchObject({ error: { type: "api_error", param: null, code: null } });
    expect(text).not.toContain("[DONE]");
    expect(endText).toBe("");
    expect(outcome.completed).toBe(false);
    expect(outcome.error).toMatch(/^api_error: /);
  });

  it("refuses content events that arrive before message_start", async () => {
    const { text } = translate(sse({ type: "content_block_start", index: 0, content_block: { type: "text", text: "x" } }), { includeUsage: false });
    expect(parseFrames(text)).toEqual([
      { error: { message: "Upstream sent content_block_start before message_start", type: "api_error", param: null, code: null } },
    ]);
  });
});
