import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, auditRows, contextFor, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { createSecret } from "../secrets/create";
import { createLlm } from "./create";
import { listLlms } from "./list";
import { updateLlm } from "./update";

describe("createLlm", () => {
  useFreshDatabase();

  it("creates an llm, applies the provider default URL and audits it in the same transaction", async () => {
    const llm = await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "gpt", provider: "openai", model: "gpt-4o" } });
    expect(llm).toMatchObject({ name: "gpt", provider: "openai", model: "gpt-4o", url: null, effectiveUrl: "https://api.openai.com/v1", streamUsage: true });
    expect((await auditRows())[0]).toMatchObject({ event: "llm_created", user: "root", target: "llm gpt" });
  });

  it.each(["Bad", "-lead", "a/b", "../etc", "a;drop table llms", "x".repeat(64), "", "émoji"])("rejects the name %j", async (name) => {
    await expect(createLlm({ ctx: ADMIN_CONTEXT, input: { name, provider: "openai", model: "m" } })).rejects.toThrow(
      expect.objectContaining({ code: "invalid_request", param: "name" }),
    );
  });

  it("rejects a duplicate name with a conflict", async () => {
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "dup", provider: "openai", model: "m" } });
    await expect(createLlm({ ctx: ADMIN_CONTEXT, input: { name: "dup", provider: "openai", model: "m" } })).rejects.toThrow(
      expect.objectContaining({ code: "conflict" }),
    );
  });

  it("needs a url for vllm and refuses URLs with credentials or other schemes", async () => {
    await expect(createLlm({ ctx: ADMIN_CONTEXT, input: { name: "v", provider: "vllm", model: "m" } })).rejects.toThrow(
      expect.objectContaining({ param: "url" }),
    );
    await expect(createLlm({ ctx: ADMIN_CONTEXT, input: { name: "v", provider: "vllm", model: "m", url: "file:///etc/passwd" } })).rejects.toThrow(
      expect.objectContaining({ param: "url" }),
    );
    await expect(createLlm({ ctx: ADMIN_CONTEXT, input: { name: "v", provider: "vllm", model: "m", url: "http://user:pw@host/v1" } })).rejects.toThrow(
      expect.objectContaining({ param: "url" }),
    );
    expect((await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "v", provider: "vllm", model: "m", url: "http://10.0.0.5:8000/v1" } })).effectiveUrl).toBe(
      "http://10.0.0.5:8000/v1",
    );
  });

  it("checks that the api key reference exists", async () => {
    await expect(
      createLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "anthropic", model: "m", apiKeyRef: { secret: "nope", key: "k" } } }),
    ).rejects.toThrow(expect.objectContaining({ param: "apiKeyRef.secret" }));
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "anthropic", values: { api_key: "sk-ant-value" } } });
    await expect(
      createLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "anthropic", model: "m", apiKeyRef: { secret: "anthropic", key: "other" } } }),
    ).rejects.toThrow(expect.objectContaining({ param: "apiKeyRef.key" }));
    const llm = await createLlm({
      ctx: ADMIN_CONTEXT,
      input: { name: "a", provider: "anthropic", model: "m", apiKeyRef: { secret: "anthropic", key: "api_key" }, defaults: { max_tokens: 8192 } },
    });
    expect(llm.apiKeyRef).toEqual({ secret: "anthropic", key: "api_key" });
    expect(llm.defaults).toEqual({ max_tokens: 8192 });
  });

  it("is forbidden without create:llms and audits the denial", async () => {
    const runner = contextFor("bob", [{ role: "run", resource: "llms", name: null }]);
    await expect(createLlm({ ctx: runner, input: { name: "x", provider: "openai", model: "m" } })).rejects.toThrow("missing permission create:llms:x");
    expect((await auditRows())[0]).toMatchObject({ event: "permission_denied", user: "bob", target: "create:llms:x" });
  });

  it("lists only what the caller may view", async () => {
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "openai", model: "m" } });
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "b", provider: "openai", model: "m" } });
    expect((await listLlms({ ctx: contextFor("v", [{ role: "view", resource: "llms", name: "b" }]) })).map((llm) => llm.name)).toEqual(["b"]);
    expect(await listLlms({ ctx: contextFor("r", [{ role: "run", resource: "llms", name: null }]) })).toEqual([]);
  });
});

describe("geminiPath allowlist", () => {
  useFreshDatabase({ GATEWAY_GEMINI_PATHS: "/opt/gemini/bin/gemini" });

  it("accepts only absolute paths the operator listed in GATEWAY_GEMINI_PATHS", async () => {
    await expect(createLlm({ ctx: ADMIN_CONTEXT, input: { name: "g1", provider: "gemini-cli", model: "m", geminiPath: "/bin/sh" } })).rejects.toThrow(
      expect.objectContaining({ param: "geminiPath" }),
    );
    await expect(createLlm({ ctx: ADMIN_CONTEXT, input: { name: "g2", provider: "gemini-cli", model: "m", geminiPath: "gemini" } })).rejects.toThrow(
      expect.objectContaining({ param: "geminiPath" }),
    );
    expect(
      (await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "g3", provider: "gemini-cli", model: "m", geminiPath: "/opt/gemini/bin/gemini" } })).geminiPath,
    ).toBe("/opt/gemini/bin/gemini");
    expect((await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "g4", provider: "gemini-cli", model: "m" } })).geminiPath).toBeNull();
  });
});

describe("Llm pricing", () => {
  useFreshDatabase();
  const create = (pricing: unknown) =>
    createLlm({ ctx: ADMIN_CONTEXT, input: { name: "priced", provider: "vllm", model: "m", url: "http://10.0.0.1/v1", pricing } as never });

  it("is kept as given, merged field by field on update, and cleared back to the price table", async () => {
    expect((await create({ input: 0.5, output: 1.5, cacheRead: 0.05 })).pricing).toEqual({ input: 0.5, output: 1.5, cacheRead: 0.05 });
    const raised = await updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "priced", pricing: { output: 2 } } });
    expect(raised.pricing).toEqual({ input: 0.5, output: 2, cacheRead: 0.05 });
    const withoutCache = await updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "priced", pricing: { cacheRead: null, cacheWrite: 0.6 } } });
    expect(withoutCache.pricing).toEqual({ input: 0.5, output: 2, cacheWrite: 0.6 });
    expect((await updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "priced", pricing: null } })).pricing).toBeNull();
    expect((await auditRows()).filter((row) => row.event === "llm_updated")).toHaveLength(3);
  });

  it("refuses negative, non-numeric and incomplete prices, naming the field", async () => {
    await expect(create({ input: -1, output: 1 })).rejects.toThrow(
      expect.objectContaining({ param: "pricing.input", message: expect.stringContaining("must not be negative") }),
    );
    await expect(create({ input: "2", output: 1 })).rejects.toThrow(expect.objectContaining({ param: "pricing.input" }));
    await expect(create({ input: 1 })).rejects.toThrow(expect.objectContaining({ param: "pricing.output" }));
    await expect(create({ input: 1, output: 1, perRequest: 1 })).rejects.toThrow(expect.objectContaining({ code: "invalid_request" }));
    await create(null);
    await expect(updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "priced", pricing: { cacheRead: 1 } } })).rejects.toThrow(
      expect.objectContaining({ param: "pricing.input", message: "pricing.input: required when an llm has prices of its own" }),
    );
    expect((await listLlms({ ctx: ADMIN_CONTEXT }))[0]!.pricing).toBeNull();
  });
});
