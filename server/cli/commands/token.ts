import { createToken } from "../../tokens/create";
import { revokeToken } from "../../tokens/revoke";
import { parseDuration } from "../../tokens/schemas";
import { UsageError, type CommandGroup } from "../args";
import { writeLine } from "../output";

export const tokenCommands: CommandGroup = {
  name: "token",
  usage: ["token create USER [--name LABEL] [--expires-in 30d] [--scope ROLE:RESOURCE[:NAME]]...   # prints only the token", "token revoke PREFIX"],
  commands: {
    create: {
      arguments: ["USER"],
      flags: { name: "text", "expires-in": "text", scope: "list" },
      async run(invocation, ctx) {
        const expiresIn = invocation.text("expires-in");
        const expiresInSeconds = expiresIn === undefined ? null : parseDuration(expiresIn);
        if (expiresInSeconds === null && expiresIn !== undefined) {
          throw new UsageError("--expires-in must be a number and a unit s, m, h, d or w (e.g. 30d)", "token");
        }
        const scopes = invocation.list("scope");
        const input = {
          user: invocation.argument(0),
          name: invocation.text("name") ?? "default",
          expiresInSeconds,
          ...(scopes.length > 0 ? { scopes: [...scopes] } : {}),
        };
        // Scripts capture stdout as the token, so nothing else goes there.
        writeLine((await createToken({ ctx, input })).token);
      },
    },
    revoke: {
      arguments: ["PREFIX"],
      flags: {},
      async run(invocation, ctx) {
        const prefix = invocation.argument(0);
        await revokeToken({ ctx, input: { prefix } });
        writeLine(`token ${prefix} revoked`);
      },
    },
  },
};
