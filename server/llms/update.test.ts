import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, auditRows, contextFor, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { createLlm } from "./create";
import { getLlm } from "./get";
import { removeLlm } from "./remove";
import { updateLlm } from "./update";
import { getLlmCatalog } from "./catalog";

describe("updateLlm / removeLlm / getLlm", () => {
  useFreshDatabase();

  it("updates given fields, keeps the others, audits, and the catalog sees it at once", async () => {
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "openai", model: "m1", description: "first" } });
    expect((await getLlmCatalog(currentStore())).get("a")?.model).toBe("m1");
    const updated = await updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", model: "m2", timeoutMs: 5000 } });
    expect(updated).toMatchObject({ model: "m2", description: "first", timeoutMs: 5000 });
    expect((await getLlmCatalog(currentStore())).get("a")?.model).toBe("m2");
    expect((await auditRows())[0]).toMatchObject({ event: "llm_updated", target: "llm a" });
  });

  it("every change is served at once, past the tenth and the hundredth configuration version", async () => {
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "openai", model: "m0" } });
    // Versions go from one digit to three; compared as text, "10" would come before "9".
    for (let index = 1; index <= 100; index += 1) {
      await updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", model: `m${index}` } });
      expect((await getLlmCatalog(currentStore())).get("a")?.model).toBe(`m${index}`);
    }
  });

  it("re-checks cross-field rules on the merged result", async () => {
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "openai", model: "m" } });
    await expect(updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "vllm" } })).rejects.toThrow(expect.objectContaining({ param: "url" }));
  });

  it("not found and forbidden", async () => {
    await expect(updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "ghost", model: "m" } })).rejects.toThrow(expect.objectContaining({ code: "not_found" }));
    await expect(removeLlm({ ctx: ADMIN_CONTEXT, input: { name: "ghost" } })).rejects.toThrow(expect.objectContaining({ code: "not_found" }));
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "openai", model: "m" } });
    const viewer = contextFor("v", [{ role: "view", resource: "llms", name: null }]);
    expect((await getLlm({ ctx: viewer, input: { name: "a" } })).name).toBe("a");
    await expect(updateLlm({ ctx: viewer, input: { name: "a", model: "x" } })).rejects.toThrow("missing permission edit:llms:a");
    await expect(removeLlm({ ctx: viewer, input: { name: "a" } })).rejects.toThrow("missing permission delete:llms:a");
    await expect(getLlm({ ctx: contextFor("r", [{ role: "run", resource: "llms", name: null }]), input: { name: "a" } })).rejects.toThrow(
      "missing permission view:llms:a",
    );
  });

  it("removes and audits", async () => {
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "openai", model: "m" } });
    await removeLlm({ ctx: ADMIN_CONTEXT, input: { name: "a" } });
    expect((await getLlmCatalog(currentStore())).has("a")).toBe(false);
    expect((await auditRows())[0]).toMatchObject({ event: "llm_deleted", target: "llm a" });
  });
});
