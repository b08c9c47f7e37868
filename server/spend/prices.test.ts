import fs from "node:fs";
import { calcPrice, findProvider } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import { frameChunks, sse, translate } from "../proxy/providers/anthropic/__fixtures__/transcripts";
import { toTokenUsage } from "../proxy/providers/anthropic/usage";
import { tapUsage, type UsageTap } from "../proxy/sse-frames";
import { usageFromOpenAI, type TokenUsage } from "../proxy/usage";
import { priceCall } from "./prices";

const fixture = (name: string) => fs.readFileSync(new URL(`../proxy/providers/anthropic/__fixtures__/${name}`, import.meta.url), "utf8");
const table = (provider: "openai" | "anthropic" | "deepseek", model: string) => ({ provider, model, pricing: null });

// Prices of the pinned @pydantic/genai-prices data, USD per million tokens:
//   gpt-4o: input 2.5, cached input 1.25, output 10
//   claude-sonnet-4-5: input 3, cache read 0.3, 5-minute write 3.75, 1-hour write 6, output 15
//     (6 / 0.6 / 7.5 / 12 / 22.5 above 200k prompt tokens)
const M = 1_000_000;

describe("usage from the providers' raw shapes", () => {
  it("OpenAI: cached tokens are inside prompt_tokens, reasoning inside completion_tokens", () => {
    const usage = usageFromOpenAI({
      prompt_tokens: 1200,
      completion_tokens: 300,
      total_tokens: 1500,
      prompt_tokens_details: { cached_tokens: 1000, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 100, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    });
    expect(usage).toEqual({
      promptTokens: 1200,
      completionTokens: 300,
      totalTokens: 1500,
      cacheReadTokens: 1000,
      cacheWriteTokens: null,
      cacheWrite1hTokens: null,
      reasoningTokens: 100,
    });
    // 200 uncached at 2.5, 1000 cached at 1.25, 300 out at 10.
    expect(priceCall(table("openai", "gpt-4o"), usage).costUsd).toBeCloseTo((200 * 2.5 + 1000 * 1.25 + 300 * 10) / M, 12);
  });

  it("DeepSeek names its cache hits prompt_cache_hit_tokens", () => {
    const usage = usageFromOpenAI({ prompt_tokens: 100, completion_tokens: 10, total_tokens: 110, prompt_cache_hit_tokens: 64, prompt_cache_miss_tokens: 36 });
    expect(usage).toMatchObject({ promptTokens: 100, cacheReadTokens: 64 });
  });

  it("Anthropic: cache reads and writes are outside input_tokens, and 1-hour writes cost more than 5-minute ones", () => {
    const raw = {
      input_tokens: 100,
      cache_read_input_tokens: 2000,
      cache_creation_input_tokens: 500,
      cache_creation: { ephemeral_5m_input_tokens: 300, ephemeral_1h_input_tokens: 200 },
      output_tokens: 50,
    };
    const usage = toTokenUsage(raw)!;
    expect(usage).toMatchObject({
      promptTokens: 2600,
      completionTokens: 50,
      totalTokens: 2650,
      cacheReadTokens: 2000,
      cacheWriteTokens: 500,
      cacheWrite1hTokens: 200,
    });
    const expected = (100 * 3 + 2000 * 0.3 + 300 * 3.75 + 200 * 6 + 50 * 15) / M;
    expect(priceCall(table("anthropic", "claude-sonnet-4-5"), usage).costUsd).toBeCloseTo(expected, 12);
    // Counted once: the same tokens priced as plain input would cost this much instead.
    expect(expected).not.toBeCloseTo((2600 * 3 + 50 * 15) / M, 6);
  });

  it("a recorded Anthropic answer is priced the same streamed and not", () => {
    const message = JSON.parse(fixture("anthropic-text.json")) as { usage: Record<string, unknown> };
    const whole = priceCall(table("anthropic", "claude-sonnet-4-5"), toTokenUsage(message.usage));
    expect(whole).toEqual({ costUsd: (12 * 3 + 29 * 15) / M, priceSource: "table" });

    const streamed = translate(frameChunks(fixture("anthropic-text.chunks.txt")), { includeUsage: false }).outcome.usage;
    expect(streamed).toMatchObject({ promptTokens: 12, completionTokens: 30 });
    expect(priceCall(table("anthropic", "claude-sonnet-4-5"), streamed).costUsd).toBeCloseTo((12 * 3 + 30 * 15) / M, 12);
  });

  it("a streamed Anthropic answer keeps its cache figures from message_start when message_delta repeats only some", () => {
    const transcript = sse(
      {
        type: "message_start",
        message: {
          id: "msg_1",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-5",
          content: [],
          usage: {
            input_tokens: 10,
            cache_read_input_tokens: 4000,
            cache_creation_input_tokens: 1000,
            cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 1000 },
            output_tokens: 1,
          },
        },
      },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "ok" } },
      { type: "content_block_stop", index: 0 },
      { type: "message_delta", delta: { stop_reason: "end_turn" }, usage: { output_tokens: 20 } },
      { type: "message_stop" },
    );
    const usage = translate(transcript, { includeUsage: true }).outcome.usage!;
    expect(usage).toMatchObject({ promptTokens: 5010, completionTokens: 20, cacheReadTokens: 4000, cacheWriteTokens: 1000, cacheWrite1hTokens: 1000 });
    expect(priceCall(table("anthropic", "claude-sonnet-4-5"), usage).costUsd).toBeCloseTo((10 * 3 + 4000 * 0.3 + 1000 * 6 + 20 * 15) / M, 12);
  });

  it("an OpenAI stream's usage frame is priced like the same answer in one piece", () => {
    const frame = {
      id: "c",
      object: "chat.completion.chunk",
      model: "gpt-4o-2024-08-06",
      choices: [],
      usage: { prompt_tokens: 1200, completion_tokens: 300, total_tokens: 1500, prompt_tokens_details: { cached_tokens: 1000 } },
    };
    const tap: UsageTap = { usage: null, model: null };
    tapUsage(Buffer.from(`data: ${JSON.stringify(frame)}\n\n`), false, tap);
    const streamed = priceCall(table("openai", "gpt-4o"), usageFromOpenAI(tap.usage));
    expect(streamed).toEqual(priceCall(table("openai", "gpt-4o"), usageFromOpenAI(frame.usage)));
    expect(streamed.costUsd).toBeCloseTo(0.00475, 12);
  });
});

describe("prices", () => {
  const usage = (promptTokens: number, completionTokens: number, cache: Partial<TokenUsage> = {}): TokenUsage => ({
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    cacheWrite1hTokens: null,
    reasoningTokens: null,
    ...cache,
  });

  it("an Llm's own pricing wins over the table, and 0 is a price", () => {
    const llm = { provider: "openai" as const, model: "gpt-4o", pricing: { input: 1, output: 2, cacheRead: 0.5 } };
    expect(priceCall(llm, usage(1000, 100, { cacheReadTokens: 400 }))).toEqual({ costUsd: (600 * 1 + 400 * 0.5 + 100 * 2) / M, priceSource: "llm" });
    expect(priceCall({ ...llm, pricing: { input: 0, output: 0 } }, usage(1000, 100))).toEqual({ costUsd: 0, priceSource: "llm" });
    // Cache prices not given cost the input price.
    expect(priceCall({ ...llm, pricing: { input: 1, output: 2 } }, usage(1000, 0, { cacheWriteTokens: 1000 })).costUsd).toBeCloseTo(1000 / M, 15);
  });

  it("an unknown model, a provider without a table and a call without usage cost null, not 0", () => {
    expect(priceCall(table("openai", "no-such-model-anywhere"), usage(10, 10))).toEqual({ costUsd: null, priceSource: "none" });
    expect(priceCall({ provider: "vllm", model: "gpt-4o", pricing: null }, usage(10, 10))).toEqual({ costUsd: null, priceSource: "none" });
    expect(priceCall({ provider: "gemini-cli", model: "gemini-2.5-pro", pricing: null }, usage(10, 10))).toEqual({ costUsd: null, priceSource: "none" });
    expect(priceCall(table("openai", "gpt-4o"), null)).toEqual({ costUsd: null, priceSource: "none" });
    expect(priceCall(table("openai", "gpt-4o"), { ...usage(10, 10), promptTokens: null })).toEqual({ costUsd: null, priceSource: "none" });
  });

  it("a prompt past a long-context tier is priced at the tier's rate", () => {
    const big = usage(250_000, 1000);
    expect(priceCall(table("anthropic", "claude-sonnet-4-5"), big).costUsd).toBeCloseTo((250_000 * 6 + 1000 * 22.5) / M, 10);
  });

  it("matches the price table's own arithmetic for every model of the providers it prices", () => {
    const shapes = [
      usage(1000, 200),
      usage(5000, 700, { cacheReadTokens: 3000 }),
      usage(9000, 50, { cacheReadTokens: 1000, cacheWriteTokens: 6000, cacheWrite1hTokens: 2000 }),
      usage(150_000, 4000, { cacheReadTokens: 100_000 }),
      usage(400_000, 9000, { cacheWriteTokens: 300_000 }),
    ];
    let compared = 0;
    for (const providerId of ["openai", "anthropic", "deepseek"] as const) {
      const models = findProvider({ providerId })!.models;
      expect(models.length).toBeGreaterThan(5);
      for (const model of models) {
        for (const shape of shapes) {
          const expected = calcPrice(
            {
              input_tokens: shape.promptTokens!,
              cache_read_tokens: shape.cacheReadTokens ?? 0,
              cache_write_tokens: shape.cacheWriteTokens ?? 0,
              cache_write_1h_tokens: shape.cacheWrite1hTokens ?? 0,
              output_tokens: shape.completionTokens!,
            },
            model.id,
            { providerId },
          );
          const priced = priceCall(table(providerId, model.id), shape);
          if (!expected) {
            expect(priced.costUsd, `${providerId} ${model.id}`).toBeNull();
            continue;
          }
          expect(priced.priceSource).toBe("table");
          expect(priced.costUsd! - expected.total_price, `${providerId} ${model.id} ${JSON.stringify(shape)}`).toBeCloseTo(0, 12);
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(200);
  });
});
