import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { ADMIN_CONTEXT, useFreshDatabase, currentStore } from "../../tests/helpers/fresh-db";
import type { Context } from "../context";
import { checkMasterKey } from "../secrets/check-master-key";
import { createSecret } from "../secrets/create";
import { listSecrets } from "../secrets/list";
import { parseCommandLine } from "./args";
import { secretCommands } from "./commands/secret";

const VALUE = "sk-test-SECRETVALUE-123";

async function runSecretCommand(argv: string[], ctx: Context = ADMIN_CONTEXT): Promise<void> {
  const parsed = parseCommandLine(argv, [secretCommands]);
  if (parsed.kind !== "run") throw new Error("expected a runnable command");
  const write = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    await parsed.command.run(parsed.invocation, ctx);
  } finally {
    write.mockRestore();
  }
}

describe("master key checks the CLI relies on", () => {
  const { reopen } = useFreshDatabase();
  /** The admin on a gateway started with another master key. */
  const withOtherMasterKey = async (): Promise<Context> => ({
    ...ADMIN_CONTEXT,
    store: await reopen({ GATEWAY_MASTER_KEY: randomBytes(32).toString("base64") }),
  });

  it("a different master key is a clear error naming the key, not garbage", async () => {
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "openai", values: { api_key: VALUE } } });
    await expect(checkMasterKey(currentStore())).resolves.not.toThrow();
    const other = await withOtherMasterKey();
    let message = "";
    try {
      await checkMasterKey(other.store);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^The master key \(id [0-9a-f]{16}\) is not the key the stored secrets were encrypted with/);
    expect(message).toContain("GATEWAY_MASTER_KEY");
    expect(message).not.toContain(VALUE);
  });

  it("secret create and rotate-master-key refuse a wrong key before writing", async () => {
    await runSecretCommand(["secret", "create", "openai", "--from-literal", `api_key=${VALUE}`]);
    const other = await withOtherMasterKey();
    await expect(runSecretCommand(["secret", "create", "other", "--from-literal", "api_key=another-value"], other)).rejects.toThrow(
      /is not the key the stored secrets were encrypted with/,
    );
    await expect(runSecretCommand(["secret", "rotate-master-key"], other)).rejects.toThrow(/is not the key the stored secrets were encrypted with/);
    expect((await listSecrets({ ctx: ADMIN_CONTEXT })).map((secret) => secret.name)).toEqual(["openai"]);
  });

  it("an env or openbao secret needs no master key", async () => {
    await createSecret({ ctx: ADMIN_CONTEXT, input: { name: "local", values: { api_key: VALUE } } });
    await runSecretCommand(["secret", "create", "from-env", "--from-env", "api_key=GW_TEST_OPENAI_API_KEY"], await withOtherMasterKey());
    expect((await listSecrets({ ctx: ADMIN_CONTEXT })).map((secret) => secret.backend)).toEqual(["env", "local"]);
  });
});
