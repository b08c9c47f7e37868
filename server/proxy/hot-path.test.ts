import { describe, expect, it, vi } from "vitest";
import { ADMIN_CONTEXT, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { getDb } from "../../db/client";
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
    createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { k: "sk-value" } } });
    createLlm({ ctx: ADMIN_CONTEXT, input: { name: "gpt", provider: "openai", model: "m1", apiKeyRef: { secret: "s", key: "k" } } });
    await createUser({ ctx: ADMIN_CONTEXT, input: { name: "alice", password: "alice-password" } });
    createBinding({ ctx: ADMIN_CONTEXT, input: { user: "alice", role: "run", resource: "llms" } });
    const { token } = createToken({ ctx: ADMIN_CONTEXT, input: { user: "alice" } });
    await resolveSecretValue({ secret: "s", key: "k" }, "https://api.example.com");
    authenticateBearer(`Bearer ${token}`);
    getLlmCatalog();

    const queries = vi.spyOn(getDb().$client, "prepare");
    for (let index = 0; index < 1000; index += 1) {
      expect(authenticateBearer(`Bearer ${token}`).ok).toBe(true);
      expect(getLlmCatalog().get("gpt")?.model).toBe("m1");
      expect(cachedSecretValue({ secret: "s", key: "k" }, "https://api.example.com")).toBe("sk-value");
    }
    // At most the cheap change poll (`PRAGMA data_version`, every 250 ms) may have run.
    const statements = queries.mock.calls.map((call) => String(call[0]));
    expect(statements.filter((statement) => !statement.includes("data_version"))).toEqual([]);
    queries.mockRestore();

    updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "gpt", model: "m2" } });
    expect(getLlmCatalog().get("gpt")?.model).toBe("m2");
  });
});
