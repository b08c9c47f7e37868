import { afterEach, describe, expect, it } from "vitest";
import { ADMIN_CONTEXT, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import { resetConfigForTests } from "../config";
import { createSecret } from "./create";
import { resolveSecretValue } from "./resolve";
import { updateSecret } from "./update";

const ORIGIN = "https://api.example.com";

/** What a Secret may read from the gateway's host: only the variables and paths the operator allowed. */
describe("secret backend scope", () => {
  useFreshDatabase();
  const allow = (variables: string, openbaoPrefix?: string) => {
    process.env.GATEWAY_ENV_SECRETS_ALLOW = variables;
    if (openbaoPrefix) process.env.GATEWAY_OPENBAO_PREFIX = openbaoPrefix;
    resetConfigForTests();
  };
  afterEach(async () => {
    process.env.GATEWAY_ENV_SECRETS_ALLOW = "GW_TEST_*";
    delete process.env.GATEWAY_OPENBAO_PREFIX;
    delete process.env.GW_TEST_ALLOWED;
    resetConfigForTests();
  });
  const envSecret = (name: string, variable: string) =>
    createSecret({ ctx: ADMIN_CONTEXT, input: { name, backend: "env", envVars: { api_key: variable }, allowedOrigins: [ORIGIN] } });

  it("env secrets name only allowed variables, and never the gateway's own", async () => {
    allow("OPENAI_API_KEY, TEAM_*, *");
    expect((await envSecret("a", "OPENAI_API_KEY")).name).toBe("a");
    expect((await envSecret("b", "TEAM_ANTHROPIC")).name).toBe("b");
    for (const variable of ["GATEWAY_ADMIN_PASSWORD", "GATEWAY_MASTER_KEY", "gateway_openbao_token"]) {
      await expect(envSecret("c", variable), variable).rejects.toThrow(
        `envVars.api_key: ${variable} is not an environment variable env secrets may name (the operator allows them in GATEWAY_ENV_SECRETS_ALLOW; GATEWAY_* never)`,
      );
    }
    allow("TEAM_*");
    await expect(envSecret("d", "HOME")).rejects.toThrow("HOME is not an environment variable env secrets may name");
    await expect(updateSecret({ ctx: ADMIN_CONTEXT, input: { name: "b", envVars: { other: "PATH" } } })).rejects.toThrow(
      "PATH is not an environment variable env secrets may name",
    );
  });

  it("nothing is allowed until the operator says so", async () => {
    allow("");
    await expect(envSecret("a", "OPENAI_API_KEY")).rejects.toThrow(expect.objectContaining({ param: "envVars.api_key" }));
  });

  it("at resolve time a variable that is unset and one no longer allowed read the same, naming no variable", async () => {
    process.env.GW_TEST_ALLOWED = "sk-from-env";
    await envSecret("set", "GW_TEST_ALLOWED");
    await envSecret("later", "GW_TEST_ALLOWED");
    await envSecret("unset", "GW_TEST_NOT_SET_ANYWHERE");
    await expect(resolveSecretValue(currentStore(), { secret: "set", key: "api_key" }, ORIGIN)).resolves.toBe("sk-from-env");
    await expect(resolveSecretValue(currentStore(), { secret: "unset", key: "api_key" }, ORIGIN)).rejects.toThrow(
      "secret 'unset' key 'api_key' has no usable value in the environment",
    );
    // The operator narrowed the list (a restart): a Secret naming a variable now outside it reads as unset.
    allow("OTHER_*");
    const refused = resolveSecretValue(currentStore(), { secret: "later", key: "api_key" }, ORIGIN);
    await expect(refused).rejects.toThrow("secret 'later' key 'api_key' has no usable value in the environment");
    await expect(refused).rejects.not.toThrow("GW_TEST_ALLOWED");
  });

  it("openbao secrets name only paths under the configured prefix", async () => {
    allow("GW_TEST_*", "kv/llm");
    const bao = (name: string, openbaoPath: string) => createSecret({ ctx: ADMIN_CONTEXT, input: { name, backend: "openbao", openbaoPath } });
    expect((await bao("a", "kv/llm/openai")).openbaoPath).toBe("kv/llm/openai");
    for (const path of ["kv/llmx/openai", "kv/infra/root", "sys/llm/x"])
      await expect(bao("b", path), path).rejects.toThrow("openbaoPath: must be under kv/llm (GATEWAY_OPENBAO_PREFIX)");
    await expect(updateSecret({ ctx: ADMIN_CONTEXT, input: { name: "a", openbaoPath: "kv/infra/db" } })).rejects.toThrow("must be under kv/llm");
  });
});
