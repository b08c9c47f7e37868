import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_ENGINE } from "../../tests/helpers/engine";
import { ADMIN_CONTEXT, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { checkMasterKey } from "./check-master-key";
import { createSecret } from "./create";
import { resolveSecretValue } from "./resolve";
import { rotateMasterKey } from "./rotate-master-key";

describe("master key", () => {
  const { dataDir, reopen } = useFreshDatabase();

  it.skipIf(TEST_ENGINE === "postgres")("is generated into master.key with mode 0600", async () => {
    currentStore().keys.current();
    const stat = fs.statSync(path.join(dataDir(), "master.key"));
    expect(stat.mode & 0o777).toBe(0o600);
  });

  it("a wrong key is a clear startup error, not garbage", async () => {
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "s", allowedOrigins: ["https://api.example.com"], values: { k: "value-1" } } });
    await expect(checkMasterKey(currentStore())).resolves.not.toThrow();
    const other = await reopen({ GATEWAY_MASTER_KEY: randomBytes(32).toString("base64") });
    await expect(checkMasterKey(other)).rejects.toThrow(/master key .* is not the key the stored secrets were encrypted with/);
  });

  it("a malformed GATEWAY_MASTER_KEY is refused with its reason", async () => {
    const malformed = await reopen({ GATEWAY_MASTER_KEY: "too-short" });
    expect(() => malformed.keys.current()).toThrow("GATEWAY_MASTER_KEY must be 32 bytes");
  });

  it.runIf(TEST_ENGINE === "postgres")("is required on PostgreSQL and never generated into a file", async () => {
    const keyless = await reopen({ GATEWAY_MASTER_KEY: "" });
    expect(() => keyless.keys.current()).toThrow("GATEWAY_MASTER_KEY is required with PostgreSQL");
    expect(fs.existsSync(path.join(dataDir(), "master.key"))).toBe(false);
  });

  it("a key other than the one recorded at the first start is refused, even before any secret exists", async () => {
    await checkMasterKey(currentStore());
    const other = await reopen({ GATEWAY_MASTER_KEY: randomBytes(32).toString("base64") });
    await expect(checkMasterKey(other)).rejects.toThrow(/is not the key the stored secrets were encrypted with/);
  });

  it.skipIf(TEST_ENGINE === "postgres")("rotation re-encrypts every value under a new key in one go", async () => {
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "a", allowedOrigins: ["https://api.example.com"], values: { k1: "value-a1", k2: "value-a2" } } });
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "b", allowedOrigins: ["https://api.example.com"], values: { k: "value-b" } } });
    const before = currentStore().keys.current().id;
    const result = await rotateMasterKey({ ctx: ADMIN_CONTEXT });
    expect(result.rotated).toBe(3);
    expect(result.keyId).not.toBe(before);
    // Nothing is forgotten by hand: the resolver notices the new key file on its own.
    expect(currentStore().keys.current().id).toBe(result.keyId);
    await expect(checkMasterKey(currentStore())).resolves.not.toThrow();
    await expect(resolveSecretValue(currentStore(), { secret: "a", key: "k1" }, "https://api.example.com")).resolves.toBe("value-a1");
    await expect(resolveSecretValue(currentStore(), { secret: "a", key: "k2" }, "https://api.example.com")).resolves.toBe("value-a2");
    await expect(resolveSecretValue(currentStore(), { secret: "b", key: "k" }, "https://api.example.com")).resolves.toBe("value-b");
    expect(fs.existsSync(path.join(dataDir(), "master.key.new"))).toBe(false);
  });
});

describe("rotate-master-key and audit prune permissions", () => {
  useFreshDatabase();

  it("rotation is forbidden without edit:secrets and audited as a denial", async () => {
    const { contextFor, auditRows } = await import("../../tests/helpers/fresh-db");
    const llmAdmin = contextFor("eve", [{ role: "admin", resource: "llms", name: null }]);
    await expect(rotateMasterKey({ ctx: llmAdmin })).rejects.toThrow("missing permission edit:secrets");
    expect((await auditRows())[0]).toMatchObject({ event: "permission_denied", target: "edit:secrets" });
  });

  it("pruning is forbidden without delete:audit and removes only rows past the retention", async () => {
    const { contextFor, auditRows } = await import("../../tests/helpers/fresh-db");
    const { pruneAudit } = await import("../audit/prune");
    const { auditWriter } = await import("../audit/writer");
    const day = 24 * 60 * 60 * 1000;
    const now = Date.now();
    auditWriter(currentStore()).enqueue({ ts: now - 91 * day, event: "llm_inference_call", requestId: "old" });
    auditWriter(currentStore()).enqueue({ ts: now - 89 * day, event: "llm_inference_call", requestId: "recent" });
    await auditWriter(currentStore()).flush();
    await expect(pruneAudit({ ctx: contextFor("viewer", [{ role: "view", resource: "audit", name: null }]), now })).rejects.toThrow(
      "missing permission delete:audit",
    );
    expect((await pruneAudit({ ctx: ADMIN_CONTEXT, now })).deleted).toBe(1);
    expect((await auditRows()).map((row) => row.requestId)).toContain("recent");
    expect((await auditRows()).map((row) => row.requestId)).not.toContain("old");
  });
});
