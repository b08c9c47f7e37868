import { afterEach, describe, expect, it } from "vitest";
import type { Context } from "../context";
import { ADMIN_CONTEXT, useFreshDatabase } from "../../tests/helpers/fresh-db";
import { createSecret } from "./create";
import { resolveSecretValue } from "./resolve";
import { updateSecret } from "./update";

const ORIGIN = "https://api.example.com";

/** What a Secret may read from the gateway's host: only the variables and paths the operator allowed. */
describe("secret backend scope", () => {
  const { reopen } = useFreshDatabase();
  /** The admin on a gateway whose operator allows these variables (and OpenBao prefix). */
  const allow = async (variables: string, openbaoPrefix?: string): Promise<Context> => ({
    ...ADMIN_CONTEXT,
    store: await reopen({ GATEWAY_ENV_SECRETS_ALLOW: variables, ...(openbaoPrefix ? { GATEWAY_OPENBAO_PREFIX: openbaoPrefix } : {}) }),
  });
  afterEach(async () => {
    delete process.env.GW_TEST_ALLOWED;
  });
  const envSecret = (ctx: Context, name: string, variable: string) =>
    createSecret({ ctx, input: { name, backend: "env", envVars: { api_key: variable }, allowedOrigins: [ORIGIN] } });

  it("env secrets name only allowed variables, and never the gateway's own", async () => {
    const broad = await allow("OPENAI_API_KEY, TEAM_*, *");
    expect((await envSecret(broad, "a", "OPENAI_API_KEY")).name).toBe("a");
    expect((await envSecret(broad, "b", "TEAM_ANTHROPIC")).name).toBe("b");
    for (const variable of ["GATEWAY_ADMIN_PASSWORD", "GATEWAY_MASTER_KEY", "gateway_openbao_token"]) {
      await expect(envSecret(broad, "c", variable), variable).rejects.toThrow(
        `envVars.api_key: ${variable} is not an environment variable env secrets may name (the operator allows them in GATEWAY_ENV_SECRETS_ALLOW; GATEWAY_* never)`,
      );
    }
    const team = await allow("TEAM_*");
    await expect(envSecret(team, "d", "HOME")).rejects.toThrow("HOME is not an environment variable env secrets may name");
    await expect(updateSecret({ ctx: team, input: { name: "b", envVars: { other: "PATH" } } })).rejects.toThrow(
      "PATH is not an environment variable env secrets may name",
    );
  });

  it("nothing is allowed until the operator says so", async () => {
    await expect(envSecret(await allow(""), "a", "OPENAI_API_KEY")).rejects.toThrow(expect.objectContaining({ param: "envVars.api_key" }));
  });

  it("at resolve time a variable that is unset and one no longer allowed read the same, naming no variable", async () => {
    process.env.GW_TEST_ALLOWED = "sk-from-env";
    const before = await allow("GW_TEST_*");
    await envSecret(before, "set", "GW_TEST_ALLOWED");
    await envSecret(before, "later", "GW_TEST_ALLOWED");
    await envSecret(before, "unset", "GW_TEST_NOT_SET_ANYWHERE");
    await expect(resolveSecretValue(before.store, { secret: "set", key: "api_key" }, ORIGIN)).resolves.toBe("sk-from-env");
    await expect(resolveSecretValue(before.store, { secret: "unset", key: "api_key" }, ORIGIN)).rejects.toThrow(
      "secret 'unset' key 'api_key' has no usable value in the environment",
    );
    // The operator narrowed the list (a restart): a Secret naming a variable now outside it reads as unset.
    const after = await allow("OTHER_*");
    const refused = resolveSecretValue(after.store, { secret: "later", key: "api_key" }, ORIGIN);
    await expect(refused).rejects.toThrow("secret 'later' key 'api_key' has no usable value in the environment");
    await expect(refused).rejects.not.toThrow("GW_TEST_ALLOWED");
  });

  it("openbao secrets name only paths under the configured prefix", async () => {
    const ctx = await allow("GW_TEST_*", "kv/llm");
    const bao = (name: string, openbaoPath: string) => createSecret({ ctx, input: { name, backend: "openbao", openbaoPath } });
    expect((await bao("a", "kv/llm/openai")).openbaoPath).toBe("kv/llm/openai");
    for (const path of ["kv/llmx/openai", "kv/infra/root", "sys/llm/x"])
      await expect(bao("b", path), path).rejects.toThrow("openbaoPath: must be under kv/llm (GATEWAY_OPENBAO_PREFIX)");
    await expect(updateSecret({ ctx, input: { name: "a", openbaoPath: "kv/infra/db" } })).rejects.toThrow("must be under kv/llm");
  });
});
