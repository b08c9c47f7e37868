import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, auditRows, contextFor, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { createLlm } from "../llms/create";
import { createSecret } from "./create";
import { listSecrets } from "./list";
import { removeSecret } from "./remove";
import { resolveSecretValue } from "./resolve";
import { updateSecret } from "./update";

const VALUE = "sk-live-SECRETVALUE-4242";

describe("secrets", () => {
  const { dataDir } = useFreshDatabase();

  it("stores local values encrypted: never in listings, audit rows or the database files", async () => {
    const view = await createSecret({
      ctx: ADMIN_CONTEXT,
      input: { name: "openai", allowedOrigins: ["https://api.example.com"], values: { api_key: VALUE }, description: "team key" },
    });
    expect(view).toMatchObject({ name: "openai", backend: "local", keys: ["api_key"], usedBy: [] });
    expect(JSON.stringify(view)).not.toContain(VALUE);
    expect(JSON.stringify(await listSecrets({ ctx: ADMIN_CONTEXT }))).not.toContain(VALUE);
    expect(JSON.stringify(await auditRows())).not.toContain(VALUE);
    expect((await auditRows())[0]).toMatchObject({ event: "secret_created", target: "secret openai" });
    for (const file of fs.readdirSync(dataDir())) {
      expect(fs.readFileSync(path.join(dataDir(), file)).includes(VALUE), file).toBe(false);
    }
  });

  it("resolves local and env values through the one resolver", async () => {
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "local", allowedOrigins: ["https://api.example.com"], values: { k: VALUE } } });
    await expect(resolveSecretValue(currentStore(), { secret: "local", key: "k" }, "https://api.example.com")).resolves.toBe(VALUE);
    process.env.GW_TEST_KEY = "from-env-value";
    await createSecret({
      ctx: ADMIN_CONTEXT,
      input: { name: "fromenv", allowedOrigins: ["https://api.example.com"], backend: "env", envVars: { k: "GW_TEST_KEY" } },
    });
    await expect(resolveSecretValue(currentStore(), { secret: "fromenv", key: "k" }, "https://api.example.com")).resolves.toBe("from-env-value");
    await createSecret({
      ctx: ADMIN_CONTEXT,
      input: { name: "unset", allowedOrigins: ["https://api.example.com"], backend: "env", envVars: { k: "GW_TEST_UNSET_VARIABLE" } },
    });
    await expect(resolveSecretValue(currentStore(), { secret: "unset", key: "k" }, "https://api.example.com")).rejects.toThrow(
      "secret 'unset' key 'k' has no usable value in the environment",
    );
    await expect(resolveSecretValue(currentStore(), { secret: "local", key: "missing" }, "https://api.example.com")).rejects.toThrow("has no key 'missing'");
  });

  it("rotating a value is seen by the resolver at once", async () => {
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { k: "old-value" } } });
    await expect(resolveSecretValue(currentStore(), { secret: "s", key: "k" }, "https://api.example.com")).resolves.toBe("old-value");
    await updateSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", values: { k: "new-value" } } });
    await expect(resolveSecretValue(currentStore(), { secret: "s", key: "k" }, "https://api.example.com")).resolves.toBe("new-value");
    expect((await auditRows())[0]).toMatchObject({ event: "secret_updated" });
  });

  it("refuses values for env secrets and env vars for local ones", async () => {
    await expect(
      createSecret({ ctx: ADMIN_CONTEXT, input: { name: "e", allowedOrigins: ["https://api.example.com"], backend: "env", values: { k: "v" } } }),
    ).rejects.toThrow(expect.objectContaining({ param: "values" }));
    await expect(
      createSecret({ ctx: ADMIN_CONTEXT, input: { name: "l", allowedOrigins: ["https://api.example.com"], envVars: { k: "GW_TEST_X" } } }),
    ).rejects.toThrow(expect.objectContaining({ param: "envVars" }));
    await expect(createSecret({ ctx: ADMIN_CONTEXT, input: { name: "o", allowedOrigins: ["https://api.example.com"], backend: "openbao" } })).rejects.toThrow(
      expect.objectContaining({ param: "openbaoPath" }),
    );
  });

  it("bad names, duplicates and empty values are refused", async () => {
    await expect(createSecret({ ctx: ADMIN_CONTEXT, input: { name: "Bad Name", allowedOrigins: ["https://api.example.com"] } })).rejects.toThrow(
      expect.objectContaining({ param: "name" }),
    );
    await expect(
      createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { "bad key!": "v" } } }),
    ).rejects.toThrow(expect.objectContaining({ code: "invalid_request" }));
    await expect(createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { k: "" } } })).rejects.toThrow(
      expect.objectContaining({ code: "invalid_request" }),
    );
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"] } });
    await expect(createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"] } })).rejects.toThrow(
      expect.objectContaining({ code: "conflict" }),
    );
  });

  it("a referenced secret cannot be deleted; the message names the llm", async () => {
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { k: VALUE } } });
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "gpt", provider: "openai", model: "m", apiKeyRef: { secret: "s", key: "k" } } });
    expect((await listSecrets({ ctx: ADMIN_CONTEXT }))[0]!.usedBy).toEqual(["gpt"]);
    await expect(removeSecret({ ctx: ADMIN_CONTEXT, input: { name: "s" } })).rejects.toThrow(
      expect.objectContaining({ code: "conflict", message: expect.stringContaining("'gpt'") }),
    );
    await expect(removeSecret({ ctx: ADMIN_CONTEXT, input: { name: "ghost" } })).rejects.toThrow(expect.objectContaining({ code: "not_found" }));
  });

  it("removes an unreferenced secret and audits it", async () => {
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { k: VALUE } } });
    await removeSecret({ ctx: ADMIN_CONTEXT, input: { name: "s" } });
    expect(await listSecrets({ ctx: ADMIN_CONTEXT })).toEqual([]);
    expect((await auditRows())[0]).toMatchObject({ event: "secret_deleted" });
  });

  it("every mutation is forbidden without the permission", async () => {
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { k: VALUE } } });
    const llmAdmin = contextFor("eve", [{ role: "admin", resource: "llms", name: null }]);
    await expect(createSecret({ ctx: llmAdmin, input: { name: "t", allowedOrigins: ["https://api.example.com"] } })).rejects.toThrow(
      "missing permission create:secrets:t",
    );
    await expect(updateSecret({ ctx: llmAdmin, input: { name: "s", values: { k: "x" } } })).rejects.toThrow("missing permission edit:secrets:s");
    await expect(removeSecret({ ctx: llmAdmin, input: { name: "s" } })).rejects.toThrow("missing permission delete:secrets:s");
    expect(await listSecrets({ ctx: llmAdmin })).toEqual([]);
  });
});
