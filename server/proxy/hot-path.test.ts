import { describe, expect, it, vi } from "vitest";
import { ADMIN_CONTEXT, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { authenticateBearer } from "../auth/authenticate";
import { createBinding } from "../bindings/create";
import { getLlmCatalog } from "../llms/catalog";
import { createLlm } from "../llms/create";
import { updateLlm } from "../llms/update";
import { createSecret } from "../secrets/create";
import { cachedSecretValue, resolveSecretValue } from "../secrets/resolve";
import { createToken } from "../tokens/create";
import { createUser } from "../users/create";

describe("hot path state comes from memory", () => {
  useFreshDatabase();

  it("authenticates, finds the llm and its key 1000 times without a database query, and sees a change at once", async () => {
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { k: "sk-value" } } });
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "gpt", provider: "openai", model: "m1", apiKeyRef: { secret: "s", key: "k" } } });
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "alice-password" } });
    await createBinding({ ctx: ADMIN_CONTEXT, input: { user: "alice", role: "run", resource: "llms" } });
    const { token } = await createToken({ ctx: ADMIN_CONTEXT, input: { user: "alice" } });
    await resolveSecretValue(currentStore(), { secret: "s", key: "k" }, "https://api.example.com");
    await authenticateBearer(currentStore(), `Bearer ${token}`);
    await getLlmCatalog(currentStore());

    const store = currentStore();
    const queries = [vi.spyOn(store, "read"), vi.spyOn(store, "write"), vi.spyOn(store, "change")];
    for (let index = 0; index < 1000; index += 1) {
      expect((await authenticateBearer(currentStore(), `Bearer ${token}`)).ok).toBe(true);
      expect((await getLlmCatalog(currentStore())).get("gpt")?.model).toBe("m1");
      expect(cachedSecretValue(currentStore(), { secret: "s", key: "k" }, "https://api.example.com")).toBe("sk-value");
    }
    // Only the store's own change poll (outside these methods) may have touched the database.
    expect(queries.map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0]);
    for (const spy of queries) spy.mockRestore();

    await updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "gpt", model: "m2" } });
    expect((await getLlmCatalog(currentStore())).get("gpt")?.model).toBe("m2");
  });
});
