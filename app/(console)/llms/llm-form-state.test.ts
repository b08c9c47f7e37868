import { describe, expect, it } from "vitest";
import { initialLlmForm, toLlmInput, withProvider } from "./llm-form-state";

describe("llm form state", () => {
  it("fills max_tokens for anthropic and a concurrency for gemini-cli", async () => {
    const anthropic = withProvider(initialLlmForm(), "anthropic");
    expect(anthropic.maxTokens).toBe("4096");
    const gemini = withProvider({ ...initialLlmForm(), url: "http://x" }, "gemini-cli");
    expect(gemini.url).toBe("");
    expect(gemini.maxConcurrency).toBe("2");
  });

  it("keeps a max_tokens the user already typed", async () => {
    expect(withProvider({ ...initialLlmForm(), maxTokens: "100" }, "anthropic").maxTokens).toBe("100");
  });

  it("requires a URL for vllm and a key when a secret is chosen", async () => {
    const result = toLlmInput({ ...initialLlmForm(), name: "local", provider: "vllm", model: "m", secret: "keys" });
    expect(result.errors).toEqual({ url: "a vLLM llm needs a URL", key: "choose the key that holds the API key" });
  });

  it("rejects non-numeric numbers", async () => {
    expect(toLlmInput({ ...initialLlmForm(), name: "a", model: "m", timeoutMs: "soon" }).errors).toEqual({ timeoutMs: "must be a whole number" });
  });

  it("sends prices as numbers with input and output together, empty cache prices as null", async () => {
    const base = { ...initialLlmForm(), name: "a", model: "m" };
    expect(toLlmInput({ ...base, priceInput: "2.5", priceOutput: "10", priceCacheRead: "1.25" }).input?.pricing).toEqual({
      input: 2.5,
      output: 10,
      cacheRead: 1.25,
      cacheWrite: null,
    });
    expect(toLlmInput({ ...base, priceCacheWrite: "3" }).errors).toEqual({
      priceInput: "needed with the other prices",
      priceOutput: "needed with the other prices",
    });
    expect(toLlmInput({ ...base, priceInput: "-1", priceOutput: "two" }).errors).toEqual({
      priceInput: "USD per million tokens, e.g. 2.5",
      priceOutput: "USD per million tokens, e.g. 2.5",
    });
  });

  it("builds the tRPC input with nulls for empty optional fields", async () => {
    const result = toLlmInput({ ...withProvider(initialLlmForm(), "anthropic"), name: " claude ", model: "claude-x", secret: "anthropic", key: "api_key" });
    expect(result.input).toEqual({
      name: "claude",
      provider: "anthropic",
      model: "claude-x",
      url: null,
      apiKeyRef: { secret: "anthropic", key: "api_key" },
      description: null,
      defaults: { max_tokens: 4096 },
      timeoutMs: null,
      streamUsage: true,
      geminiPath: null,
      maxConcurrency: null,
      capabilities: { sampling: "one", structuredOutputs: true },
      pricing: null,
      routing: null,
    });
    const other = toLlmInput({ ...initialLlmForm(), name: "gpt", model: "gpt-4o", sampling: "none", structuredOutputs: false });
    // Only the translating provider sends capabilities.
    expect(other.input?.capabilities).toBeNull();
  });

  it("round-trips an existing llm", async () => {
    const llm = {
      name: "g",
      provider: "gemini-cli" as const,
      model: "gemini-2.5-pro",
      url: null,
      effectiveUrl: null,
      keyOrigin: "https://generativelanguage.googleapis.com",
      capabilities: { sampling: "one" as const, structuredOutputs: true },
      apiKeyRef: null,
      description: "cli",
      defaults: {},
      timeoutMs: 30000,
      streamUsage: true,
      geminiPath: "/usr/bin/gemini",
      maxConcurrency: 3,
      pricing: null,
      routing: null,
      createdAt: 1,
      updatedAt: 2,
    };
    expect(toLlmInput(initialLlmForm(llm)).input).toMatchObject({
      geminiPath: "/usr/bin/gemini",
      maxConcurrency: 3,
      timeoutMs: 30000,
      url: null,
      description: "cli",
    });
  });
});

describe("switching away from a provider", () => {
  it("drops the defaults the form filled in, keeps what was typed", async () => {
    const anthropic = withProvider(initialLlmForm(), "anthropic");
    expect(withProvider(anthropic, "openai").maxTokens).toBe("");
    expect(withProvider({ ...anthropic, maxTokens: "1000" }, "openai").maxTokens).toBe("1000");
    expect(withProvider(withProvider(initialLlmForm(), "gemini-cli"), "ollama").maxConcurrency).toBe("");
  });
});

describe("a route in the form", () => {
  it("starts with one empty target row, refuses rows without an Llm or with bad numbers, and sends targets and settings", async () => {
    const route = { ...withProvider(initialLlmForm(), "route"), name: "any" };
    expect(route.targets).toEqual([{ llm: "", group: "0", weight: "1" }]);
    expect(toLlmInput(route).errors).toEqual({ targets: "choose at least one target" });
    expect(
      toLlmInput({
        ...route,
        targets: [
          { llm: "a", group: "0", weight: "1" },
          { llm: "", group: "1", weight: "1" },
        ],
      }).errors,
    ).toEqual({
      targets: "choose an Llm in every row (or remove the row)",
    });
    expect(toLlmInput({ ...route, targets: [{ llm: "a", group: "first", weight: "1" }] }).errors).toEqual({ targets: "a group is a whole number, 0 first" });
    expect(toLlmInput({ ...route, targets: [{ llm: "a", group: "0", weight: "0" }] }).errors).toEqual({ targets: "a weight is a number above 0" });
    expect(toLlmInput({ ...route, maxAttempts: "many", targets: [{ llm: "a", group: "0", weight: "1" }] }).errors).toEqual({
      maxAttempts: "must be a whole number",
    });
    const input = toLlmInput({
      ...route,
      affinity: true,
      cooldownS: "60",
      targets: [
        { llm: "a", group: "0", weight: "2.5" },
        { llm: "b", group: "1", weight: "1" },
      ],
    }).input;
    expect(input).toEqual({
      name: "any",
      provider: "route",
      url: null,
      apiKeyRef: null,
      geminiPath: null,
      defaults: null,
      pricing: null,
      description: null,
      routing: {
        targets: [
          { llm: "a", group: 0, weight: 2.5 },
          { llm: "b", group: 1, weight: 1 },
        ],
        maxAttempts: 3,
        failureThreshold: 3,
        cooldownS: 60,
        affinity: "session",
      },
    });
  });

  it("an existing route opens with its targets and settings, and saves them unchanged", async () => {
    const routing = { targets: [{ llm: "a", group: 0, weight: 3 }], maxAttempts: 2, failureThreshold: 5, cooldownS: 90, affinity: null };
    const llm = {
      name: "r",
      provider: "route" as const,
      model: "",
      url: null,
      effectiveUrl: null,
      keyOrigin: "",
      apiKeyRef: null,
      description: null,
      defaults: {},
      timeoutMs: null,
      streamUsage: true,
      geminiPath: null,
      maxConcurrency: null,
      capabilities: { sampling: "one" as const, structuredOutputs: true },
      pricing: null,
      routing,
      createdAt: 1,
      updatedAt: 2,
    };
    expect(toLlmInput(initialLlmForm(llm)).input?.routing).toEqual(routing);
  });
});
