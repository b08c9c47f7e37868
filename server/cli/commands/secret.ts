import { checkMasterKey } from "../../secrets/check-master-key";
import { createSecret } from "../../secrets/create";
import { rotateMasterKey } from "../../secrets/rotate-master-key";
import type { CreateSecretInput, UpdateSecretInput } from "../../secrets/schemas";
import { updateSecret } from "../../secrets/update";
import { UsageError, type CommandGroup, type Invocation } from "../args";
import { writeLine } from "../output";
import { readStdin, withoutTrailingNewline } from "../stdin";

export const secretCommands: CommandGroup = {
  name: "secret",
  usage: [
    "secret create NAME [--backend local|env|openbao]",
    "        [--from-literal KEY=VALUE]... [--from-env KEY=ENV_VAR]... [--from-stdin KEY]",
    "        [--openbao-path MOUNT/PATH] [--allowed-origin ORIGIN]...",
    "secret update NAME [--allowed-origin ORIGIN]... [--clear-allowed-origins] [--description TEXT]",
    "secret set NAME KEY          # the new value from stdin",
    "secret rotate-master-key",
  ],
  commands: {
    create: {
      arguments: ["NAME"],
      flags: { backend: "text", "from-literal": "list", "from-env": "list", "from-stdin": "text", "openbao-path": "text", "allowed-origin": "list" },
      async run(invocation, ctx) {
        const values = keyPairs(invocation.list("from-literal"), "from-literal", "KEY=VALUE");
        const stdinKey = invocation.text("from-stdin");
        if (stdinKey !== undefined) {
          if (values.has(stdinKey)) throw new UsageError(`key '${stdinKey}' is given more than once`, "secret");
          values.set(stdinKey, withoutTrailingNewline(await readStdin()));
        }
        const envVars = keyPairs(invocation.list("from-env"), "from-env", "KEY=ENV_VAR");
        // A separate process has no startup check: refuse to add values under a key that cannot read the others.
        if (values.size > 0) await checkMasterKey(ctx.store);
        const input: CreateSecretInput = {
          name: invocation.argument(0),
          backend: backendOf(invocation, values, envVars),
          // fromEntries defines own properties, so a key named `__proto__` stays a key.
          values: Object.fromEntries(values),
          envVars: Object.fromEntries(envVars),
          openbaoPath: invocation.text("openbao-path"),
          allowedOrigins: [...invocation.list("allowed-origin")],
        };
        const secret = await createSecret({ ctx, input });
        writeLine(`secret ${secret.name} created`);
      },
    },
    update: {
      arguments: ["NAME"],
      flags: { "allowed-origin": "list", "clear-allowed-origins": "switch", description: "text" },
      async run(invocation, ctx) {
        const origins = invocation.list("allowed-origin");
        const clear = invocation.has("clear-allowed-origins");
        if (clear && origins.length > 0) throw new UsageError("--clear-allowed-origins and --allowed-origin exclude each other", "secret");
        const input: UpdateSecretInput = { name: invocation.argument(0), description: invocation.text("description") };
        if (clear || origins.length > 0) input.allowedOrigins = [...origins];
        if (input.allowedOrigins === undefined && input.description === undefined)
          throw new UsageError("secret update needs --allowed-origin, --clear-allowed-origins or --description", "secret");
        const secret = await updateSecret({ ctx, input });
        writeLine(`secret ${secret.name} updated (allowed origins: ${secret.allowedOrigins.join(", ") || "none"})`);
      },
    },
    set: {
      arguments: ["NAME", "KEY"],
      flags: {},
      async run(invocation, ctx) {
        const value = withoutTrailingNewline(await readStdin());
        await checkMasterKey(ctx.store);
        const secret = await updateSecret({ ctx, input: { name: invocation.argument(0), values: { [invocation.argument(1)]: value } } });
        writeLine(`secret ${secret.name} key ${invocation.argument(1)} set`);
      },
    },
    "rotate-master-key": {
      arguments: [],
      flags: {},
      async run(_invocation, ctx) {
        await checkMasterKey(ctx.store);
        const { rotated, keyId } = await rotateMasterKey({ ctx });
        writeLine(`re-encrypted ${rotated} values under master key ${keyId}`);
      },
    },
  },
};

/** `KEY=VALUE` pairs split at the first `=`; the error never repeats the text, which may hold a value. */
function keyPairs(pairs: readonly string[], flag: string, shape: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    if (equals <= 0) throw new UsageError(`--${flag} takes ${shape}`, "secret");
    const key = pair.slice(0, equals);
    if (result.has(key)) throw new UsageError(`key '${key}' is given more than once`, "secret");
    result.set(key, pair.slice(equals + 1));
  }
  return result;
}

/** Without --backend, the flags given say which backend is meant; the verb validates the rest. */
function backendOf(invocation: Invocation, values: Map<string, string>, envVars: Map<string, string>): CreateSecretInput["backend"] {
  const backend = invocation.text("backend");
  if (backend !== undefined) return backend as CreateSecretInput["backend"];
  if (envVars.size > 0 && values.size === 0) return "env";
  if (invocation.text("openbao-path") !== undefined && values.size === 0) return "openbao";
  return "local";
}
