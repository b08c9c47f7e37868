import { describe, expect, it } from "vitest";
import { mergeUsage, toOpenAIUsage, toTokenUsage } from "./usage";

describe("toOpenAIUsage", () => {
  it("counts cache reads and writes in prompt_tokens and keeps total = prompt + completion", async () => {
    const usage = toOpenAIUsage({ input_tokens: 7, cache_creation_input_tokens: 3000, cache_read_input_tokens: 10000, output_tokens: 50 });
    expect(usage).toEqual({
      prompt_tokens: 13007,
      completion_tokens: 50,
      total_tokens: 13057,
      prompt_tokens_details: { cached_tokens: 10000, cache_write_tokens: 3000 },
    });
  });

  it("always sends both prompt detail fields, as 0 when Anthropic omits or nulls the cache counts", async () => {
    expect(toOpenAIUsage({ input_tokens: 11, output_tokens: 6 })).toEqual({
      prompt_tokens: 11,
      completion_tokens: 6,
      total_tokens: 17,
      prompt_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
    });
    expect(
      toOpenAIUsage({ input_tokens: 4, cache_creation_input_tokens: null, cache_read_input_tokens: null, output_tokens: 1 }).prompt_tokens_details,
    ).toEqual({
      cached_tokens: 0,
      cache_write_tokens: 0,
    });
  });

  it("adds reasoning_tokens only when Anthropic reports thinking tokens", async () => {
    expect(toOpenAIUsage({ input_tokens: 1, output_tokens: 9, output_tokens_details: { thinking_tokens: 5 } }).completion_tokens_details).toEqual({
      reasoning_tokens: 5,
    });
    expect(toOpenAIUsage({ input_tokens: 1, output_tokens: 9 })).not.toHaveProperty("completion_tokens_details");
    expect(toOpenAIUsage({ input_tokens: 1, output_tokens: 9, output_tokens_details: null })).not.toHaveProperty("completion_tokens_details");
  });

  it("ignores service_tier, server_tool_use, iterations and the like", async () => {
    const usage = toOpenAIUsage({ input_tokens: 2, output_tokens: 3, service_tier: "standard", server_tool_use: { web_search_requests: 1 }, iterations: [{}] });
    expect(Object.keys(usage)).toEqual(["prompt_tokens", "completion_tokens", "total_tokens", "prompt_tokens_details"]);
  });

  it("treats missing usage as zeros", async () => {
    expect(toOpenAIUsage(null).total_tokens).toBe(0);
  });
});

describe("toTokenUsage", () => {
  it("gives the audit log the same figures as the OpenAI usage", async () => {
    expect(toTokenUsage({ input_tokens: 10, cache_creation_input_tokens: 5, cache_read_input_tokens: 20, output_tokens: 7 })).toEqual({
      promptTokens: 35,
      completionTokens: 7,
      totalTokens: 42,
      cacheReadTokens: 20,
      cacheWriteTokens: 5,
      cacheWrite1hTokens: null,
      reasoningTokens: null,
    });
  });

  it("is null when there was no usage", async () => {
    expect(toTokenUsage(null)).toBeNull();
    expect(toTokenUsage(undefined)).toBeNull();
  });
});

describe("mergeUsage", () => {
  it("overwrites each of the five cumulative fields only when the update has a non-null value", async () => {
    const start = { input_tokens: 43, cache_creation_input_tokens: 2, cache_read_input_tokens: 8, output_tokens: 1, service_tier: "standard" };
    expect(
      mergeUsage(start, {
        input_tokens: 61,
        cache_creation_input_tokens: null,
        output_tokens: 9,
        output_tokens_details: { thinking_tokens: 3 },
        server_tool_use: { web_search_requests: 2 },
      }),
    ).toEqual({
      input_tokens: 61,
      cache_creation_input_tokens: 2,
      cache_read_input_tokens: 8,
      output_tokens: 9,
      output_tokens_details: { thinking_tokens: 3 },
      service_tier: "standard",
    });
    expect(start.input_tokens).toBe(43);
  });

  it("keeps the current usage when the update is missing", async () => {
    const start = { input_tokens: 1 };
    expect(mergeUsage(start, undefined)).toBe(start);
  });
});
