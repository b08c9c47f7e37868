import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, auditRows, contextFor, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { createLlm } from "./create";
import { getLlm } from "./get";
import { removeLlm } from "./remove";
import { updateLlm } from "./update";
import { getLlmCatalog } from "./catalog";

describe("updateLlm / removeLlm / getLlm", () => {
  useFreshDatabase();

  it("updates given fields, keeps the others, audits, and the catalog sees it at once", () => {
    createLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "openai", model: "m1", description: "first" } });
    expect(getLlmCatalog().get("a")?.model).toBe("m1");
    const updated = updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", model: "m2", timeoutMs: 5000 } });
    expect(updated).toMatchObject({ model: "m2", description: "first", timeoutMs: 5000 });
    expect(getLlmCatalog().get("a")?.model).toBe("m2");
    expect(auditRows()[0]).toMatchObject({ event: "llm_updated", target: "llm a" });
  });

  it("re-checks cross-field rules on the merged result", () => {
    createLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "openai", model: "m" } });
    expect(() => updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "vllm" } })).toThrow(expect.objectContaining({ param: "url" }));
  });

  it("not found and forbidden", () => {
    expect(() => updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "ghost", model: "m" } })).toThrow(expect.objectContaining({ code: "not_found" }));
    expect(() => removeLlm({ ctx: ADMIN_CONTEXT, input: { name: "ghost" } })).toThrow(expect.objectContaining({ code: "not_found" }));
    createLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "openai", model: "m" } });
    const viewer = contextFor("v", [{ role: "view", resource: "llms", name: null }]);
    expect(getLlm({ ctx: viewer, input: { name: "a" } }).name).toBe("a");
    expect(() => updateLlm({ ctx: viewer, input: { name: "a", model: "x" } })).toThrow("missing permission edit:llms:a");
    expect(() => removeLlm({ ctx: viewer, input: { name: "a" } })).toThrow("missing permission delete:llms:a");
    expect(() => getLlm({ ctx: contextFor("r", [{ role: "run", resource: "llms", name: null }]), input: { name: "a" } })).toThrow(
      "missing permission view:llms:a",
    );
  });

  it("removes and audits", () => {
    createLlm({ ctx: ADMIN_CONTEXT, input: { name: "a", provider: "openai", model: "m" } });
    removeLlm({ ctx: ADMIN_CONTEXT, input: { name: "a" } });
    expect(getLlmCatalog().has("a")).toBe(false);
    expect(auditRows()[0]).toMatchObject({ event: "llm_deleted", target: "llm a" });
  });
});
