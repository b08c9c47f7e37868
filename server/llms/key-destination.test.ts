import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { one, run } from "../../db/program";
import { TEST_ENGINE } from "../../tests/helpers/engine";
import { ADMIN_CONTEXT, auditRows, contextFor, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { resolveSecretValue } from "../secrets/resolve";
import { listSecrets } from "../secrets/list";
import { updateSecret } from "../secrets/update";
import { createSecret } from "../secrets/create";
import { createLlm } from "./create";
import { updateLlm } from "./update";

const PROD = "https://api.openai.com";
const EVIL = "https://collector.evil.example";

/** Where a key may go: who may move it, which origins its Secret lists, and what the proxy checks at every call. */
describe("key destinations", () => {
  const { reopen } = useFreshDatabase();

  const setup = async () => {
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "prod", values: { api_key: "sk-prod-value" }, allowedOrigins: [PROD] } });
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "other", values: { api_key: "sk-other-value" } } });
    await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "gpt", provider: "openai", model: "gpt-4o", apiKeyRef: { secret: "prod", key: "api_key" } } });
  };
  const deniedRow = async () => (await auditRows()).find((row) => row.event === "permission_denied");

  it("a catalogue editor cannot move an Llm's key: url, provider and key reference need admin on the Llm", async () => {
    await setup();
    const editor = contextFor("carol", [{ role: "edit", resource: "llms", name: null }]);
    const attempts = [{ url: `${EVIL}/v1` }, { provider: "deepseek" as const }, { apiKeyRef: { secret: "other", key: "api_key" } }, { apiKeyRef: null }];
    for (const change of attempts) {
      await expect(updateLlm({ ctx: editor, input: { name: "gpt", ...change } })).rejects.toThrow(
        "missing permission admin:llms:gpt to change an llm's provider, url or key",
      );
      expect(await deniedRow()).toMatchObject({ user: "carol", target: "admin:llms:gpt" });
    }
    // Other fields stay theirs to edit; restating the same url is no move.
    expect((await updateLlm({ ctx: editor, input: { name: "gpt", model: "gpt-4.1", url: null, description: "d" } })).model).toBe("gpt-4.1");
  });

  it("attaching a Secret needs view on it, and an origin it does not list needs edit on it", async () => {
    await setup();
    const llmAdmin = contextFor("lee", [{ role: "admin", resource: "llms", name: null }]);
    await expect(
      createLlm({ ctx: llmAdmin, input: { name: "x", provider: "openai", model: "m", apiKeyRef: { secret: "prod", key: "api_key" } } }),
    ).rejects.toThrow("missing permission view:secrets:prod to attach the secret to an llm");
    const viewer = contextFor("lee", [
      { role: "admin", resource: "llms", name: null },
      { role: "view", resource: "secrets", name: "prod" },
    ]);
    await expect(updateLlm({ ctx: viewer, input: { name: "gpt", url: `${EVIL}/v1` } })).rejects.toThrow(
      `missing permission edit:secrets:prod to let the secret's key be sent to ${EVIL}`,
    );
    expect(await deniedRow()).toMatchObject({ target: "edit:secrets:prod" });
    // An origin the Secret lists needs no more than view.
    expect(
      (await createLlm({ ctx: viewer, input: { name: "x", provider: "openai", model: "m", url: `${PROD}/v1`, apiKeyRef: { secret: "prod", key: "api_key" } } }))
        .name,
    ).toBe("x");
    expect((await listSecrets({ ctx: ADMIN_CONTEXT })).find((secret) => secret.name === "prod")!.allowedOrigins).toEqual([PROD]);
  });

  it("a saver who may edit the Secret adds the new origin, and the audit row says so", async () => {
    await setup();
    await updateLlm({ ctx: ADMIN_CONTEXT, input: { name: "gpt", url: "https://eu.api.example.com:8443/v1" } });
    expect((await listSecrets({ ctx: ADMIN_CONTEXT })).find((secret) => secret.name === "prod")!.allowedOrigins).toEqual([
      PROD,
      "https://eu.api.example.com:8443",
    ]);
    expect((await auditRows())[0]).toMatchObject({ event: "llm_updated", target: "llm gpt (allowed https://eu.api.example.com:8443 for secret prod)" });
  });

  it("the key is resolved only for an origin its Secret lists, whatever the Llm says", async () => {
    await setup();
    await expect(resolveSecretValue(currentStore(), { secret: "prod", key: "api_key" }, PROD)).resolves.toBe("sk-prod-value");
    await expect(resolveSecretValue(currentStore(), { secret: "prod", key: "api_key" }, EVIL)).rejects.toThrow(
      `secret 'prod' may not be sent to ${EVIL} (not among its allowed origins)`,
    );
    await updateSecret({ ctx: ADMIN_CONTEXT, input: { name: "prod", allowedOrigins: [] } });
    await expect(resolveSecretValue(currentStore(), { secret: "prod", key: "api_key" }, PROD)).rejects.toThrow("not among its allowed origins");
  });

  it("allowed origins are edited only with edit on the Secret, and must be bare origins", async () => {
    await setup();
    const viewer = contextFor("v", [{ role: "view", resource: "secrets", name: null }]);
    await expect(updateSecret({ ctx: viewer, input: { name: "prod", allowedOrigins: [EVIL] } })).rejects.toThrow("missing permission edit:secrets:prod");
    for (const bad of ["ftp://x.example", "https://user:pw@x.example", "https://x.example/v1", "https://x.example?q=1", "not a url"]) {
      await expect(updateSecret({ ctx: ADMIN_CONTEXT, input: { name: "prod", allowedOrigins: [bad] } }), bad).rejects.toThrow(
        expect.objectContaining({ code: "invalid_request" }),
      );
    }
    expect(
      (await updateSecret({ ctx: ADMIN_CONTEXT, input: { name: "prod", allowedOrigins: ["HTTPS://API.Example.com:443/", PROD] } })).allowedOrigins,
    ).toEqual(["https://api.example.com", PROD]);
  });

  it("Llm URLs: http(s) only, no credentials, query or fragment, no link-local or metadata address unless allowed", async () => {
    const create = (name: string, url: string) => createLlm({ ctx: ADMIN_CONTEXT, input: { name, provider: "vllm", model: "m", url } });
    for (const url of ["ftp://x.example/v1", "https://u:p@x.example/v1", "https://x.example/v1?key=1", "https://x.example/v1#f"])
      await expect(create("a", url), url).rejects.toThrow(expect.objectContaining({ param: "url" }));
    for (const url of [
      "http://169.254.169.254/latest",
      "http://[fe80::1]/v1",
      "http://metadata.google.internal/v1",
      "http://2852039166/v1",
      "http://[::ffff:169.254.169.254]/",
    ]) {
      await expect(create("a", url), url).rejects.toThrow(
        "url: link-local and cloud metadata addresses are refused (GATEWAY_ALLOW_LINK_LOCAL_URLS allows them)",
      );
    }
    const allowing = { ...ADMIN_CONTEXT, store: await reopen({ GATEWAY_ALLOW_LINK_LOCAL_URLS: "true" }) };
    expect((await createLlm({ ctx: allowing, input: { name: "b", provider: "vllm", model: "m", url: "http://169.254.10.1/v1" } })).name).toBe("b");
  });

  it("a gemini-cli model can never be read as a flag", async () => {
    for (const model of ["-x", "--yolo", "gemini 2.5", ""]) {
      await expect(createLlm({ ctx: ADMIN_CONTEXT, input: { name: "g", provider: "gemini-cli", model } }), model).rejects.toThrow(
        expect.objectContaining({ param: "model" }),
      );
    }
    expect((await createLlm({ ctx: ADMIN_CONTEXT, input: { name: "g", provider: "gemini-cli", model: "gemini-2.5-pro" } })).model).toBe("gemini-2.5-pro");
  });

  // Only SQLite deployments predate allowed origins; PostgreSQL databases start with them.
  it.skipIf(TEST_ENGINE !== "sqlite")("Secrets from before allowed origins existed are given the origins their Llms use, once", async () => {
    await setup();
    await createLlm({
      ctx: ADMIN_CONTEXT,
      input: { name: "self", provider: "vllm", model: "m", url: "http://10.0.0.5:8000/v1", apiKeyRef: { secret: "prod", key: "api_key" } },
    });
    await currentStore().write(({ db, t }) => run(db.update(t.secrets).set({ allowedOrigins: null })));
    // Opening the database again runs the migration step that fills them in.
    const reopened = await reopen({});
    const origins = Object.fromEntries(
      (await listSecrets({ ctx: { ...ADMIN_CONTEXT, store: reopened } })).map((secret) => [secret.name, secret.allowedOrigins]),
    );
    expect(origins).toEqual({ other: [], prod: [PROD, "http://10.0.0.5:8000"] });
    expect((await reopened.read(({ db, t }) => one(db.select().from(t.secrets).where(eq(t.secrets.name, "other")))))!.allowedOrigins).toBe("[]");
  });
});
