import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, auditRows, contextFor, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { closeDb } from "../../db/client";
import { createLlm } from "../llms/create";
import { createSecret } from "./create";
import { listSecrets } from "./list";
import { removeSecret } from "./remove";
import { resolveSecretValue } from "./resolve";
import { updateSecret } from "./update";

const VALUE = "sk-live-SECRETVALUE-4242";

describe("secrets", () => {
  const { dataDir } = useFreshDatabase();

  it("stores local values encrypted: never in listings, audit rows or the database files", () => {
    const view = createSecret({
      ctx: ADMIN_CONTEXT,
      input: { name: "openai", allowedOrigins: ["https://api.example.com"], values: { api_key: VALUE }, description: "team key" },
    });
    expect(view).toMatchObject({ name: "openai", backend: "local", keys: ["api_key"], usedBy: [] });
    expect(JSON.stringify(view)).not.toContain(VALUE);
    expect(JSON.stringify(listSecrets({ ctx: ADMIN_CONTEXT }))).not.toContain(VALUE);
    expect(JSON.stringify(auditRows())).not.toContain(VALUE);
    expect(auditRows()[0]).toMatchObject({ event: "secret_created", target: "secret openai" });
    closeDb();
    for (const file of fs.readdirSync(dataDir())) {
      expect(fs.readFileSync(path.join(dataDir(), file)).includes(VALUE), file).toBe(false);
    }
  });

  it("resolves local and env values through the one resolver", async () => {
    createSecret({ ctx: ADMIN_CONTEXT, input: { name: "local", allowedOrigins: ["https://api.example.com"], values: { k: VALUE } } });
    await expect(resolveSecretValue({ secret: "local", key: "k" }, "https://api.example.com")).resolves.toBe(VALUE);
    process.env.GW_TEST_KEY = "from-env-value";
    createSecret({
      ctx: ADMIN_CONTEXT,
      input: { name: "fromenv", allowedOrigins: ["https://api.example.com"], backend: "env", envVars: { k: "GW_TEST_KEY" } },
    });
    await expect(resolveSecretValue({ secret: "fromenv", key: "k" }, "https://api.example.com")).resolves.toBe("from-env-value");
    createSecret({
      ctx: ADMIN_CONTEXT,
      input: { name: "unset", allowedOrigins: ["https://api.example.com"], backend: "env", envVars: { k: "GW_TEST_UNSET_VARIABLE" } },
    });
    await expect(resolveSecretValue({ secret: "unset", key: "k" }, "https://api.example.com")).rejects.toThrow(
      "secret 'unset' key 'k' has no usable value in the environment",
    );
    await expect(resolveSecretValue({ secret: "local", key: "missing" }, "https://api.example.com")).rejects.toThrow("has no key 'missing'");
  });

  it("rotating a value is seen by the resolver at once", async () => {
    createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { k: "old-value" } } });
    await expect(resolveSecretValue({ secret: "s", key: "k" }, "https://api.example.com")).resolves.toBe("old-value");
    updateSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", values: { k: "new-value" } } });
    await expect(resolveSecretValue({ secret: "s", key: "k" }, "https://api.example.com")).resolves.toBe("new-value");
    expect(auditRows()[0]).toMatchObject({ event: "secret_updated" });
  });

  it("refuses values for env secrets and env vars for local ones", () => {
    expect(() =>
      createSecret({ ctx: ADMIN_CONTEXT, input: { name: "e", allowedOrigins: ["https://api.example.com"], backend: "env", values: { k: "v" } } }),
    ).toThrow(expect.objectContaining({ param: "values" }));
    expect(() => createSecret({ ctx: ADMIN_CONTEXT, input: { name: "l", allowedOrigins: ["https://api.example.com"], envVars: { k: "GW_TEST_X" } } })).toThrow(
      expect.objectContaining({ param: "envVars" }),
    );
    expect(() => createSecret({ ctx: ADMIN_CONTEXT, input: { name: "o", allowedOrigins: ["https://api.example.com"], backend: "openbao" } })).toThrow(
      expect.objectContaining({ param: "openbaoPath" }),
    );
  });

  it("bad names, duplicates and empty values are refused", () => {
    expect(() => createSecret({ ctx: ADMIN_CONTEXT, input: { name: "Bad Name", allowedOrigins: ["https://api.example.com"] } })).toThrow(
      expect.objectContaining({ param: "name" }),
    );
    expect(() => createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { "bad key!": "v" } } })).toThrow(
      expect.objectContaining({ code: "invalid_request" }),
    );
    expect(() => createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { k: "" } } })).toThrow(
      expect.objectContaining({ code: "invalid_request" }),
    );
    createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"] } });
    expect(() => createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"] } })).toThrow(
      expect.objectContaining({ code: "conflict" }),
    );
  });

  it("a referenced secret cannot be deleted; the message names the llm", () => {
    createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { k: VALUE } } });
    createLlm({ ctx: ADMIN_CONTEXT, input: { name: "gpt", provider: "openai", model: "m", apiKeyRef: { secret: "s", key: "k" } } });
    expect(listSecrets({ ctx: ADMIN_CONTEXT })[0]!.usedBy).toEqual(["gpt"]);
    expect(() => removeSecret({ ctx: ADMIN_CONTEXT, input: { name: "s" } })).toThrow(
      expect.objectContaining({ code: "conflict", message: expect.stringContaining("'gpt'") }),
    );
    expect(() => removeSecret({ ctx: ADMIN_CONTEXT, input: { name: "ghost" } })).toThrow(expect.objectContaining({ code: "not_found" }));
  });

  it("removes an unreferenced secret and audits it", () => {
    createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { k: VALUE } } });
    removeSecret({ ctx: ADMIN_CONTEXT, input: { name: "s" } });
    expect(listSecrets({ ctx: ADMIN_CONTEXT })).toEqual([]);
    expect(auditRows()[0]).toMatchObject({ event: "secret_deleted" });
  });

  it("every mutation is forbidden without the permission", () => {
    createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { k: VALUE } } });
    const llmAdmin = contextFor("eve", [{ role: "admin", resource: "llms", name: null }]);
    expect(() => createSecret({ ctx: llmAdmin, input: { name: "t", allowedOrigins: ["https://api.example.com"] } })).toThrow(
      "missing permission create:secrets:t",
    );
    expect(() => updateSecret({ ctx: llmAdmin, input: { name: "s", values: { k: "x" } } })).toThrow("missing permission edit:secrets:s");
    expect(() => removeSecret({ ctx: llmAdmin, input: { name: "s" } })).toThrow("missing permission delete:secrets:s");
    expect(listSecrets({ ctx: llmAdmin })).toEqual([]);
  });
});
