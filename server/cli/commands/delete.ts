import { removeBinding } from "../../bindings/remove";
import { removeLlm } from "../../llms/remove";
import { removeSecret } from "../../secrets/remove";
import { removeUser } from "../../users/remove";
import type { Context } from "../../context";
import { UsageError, type CommandGroup, type CommandSpec } from "../args";
import { writeLine } from "../output";

function removal(kind: string, remove: (ctx: Context, name: string) => Promise<void>): CommandSpec {
  return {
    arguments: ["NAME"],
    flags: {},
    async run(invocation, ctx) {
      const name = invocation.argument(0);
      await remove(ctx, name);
      writeLine(`${kind} ${name} deleted`);
    },
  };
}

export const deleteCommands: CommandGroup = {
  name: "delete",
  usage: ["delete user|secret|llm|binding NAME_OR_ID"],
  commands: {
    user: removal("user", (ctx, name) => removeUser({ ctx, input: { name } })),
    secret: removal("secret", (ctx, name) => removeSecret({ ctx, input: { name } })),
    llm: removal("llm", (ctx, name) => removeLlm({ ctx, input: { name } })),
    binding: {
      arguments: ["ID"],
      flags: {},
      async run(invocation, ctx) {
        const id = invocation.argument(0);
        if (!/^\d{1,15}$/.test(id)) throw new UsageError("a binding is deleted by its numeric id (see 'get bindings')", "delete");
        await removeBinding({ ctx, input: { id: Number(id) } });
        writeLine(`binding ${id} deleted`);
      },
    },
  },
};
