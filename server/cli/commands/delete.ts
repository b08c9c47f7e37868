import { removeBinding } from "../../bindings/remove";
import { removeLlm } from "../../llms/remove";
import { removeSecret } from "../../secrets/remove";
import { removeUser } from "../../users/remove";
import { UsageError, type CommandGroup, type CommandSpec } from "../args";
import { CLI_CONTEXT } from "../context";
import { writeLine } from "../output";

function removal(kind: string, remove: (name: string) => void): CommandSpec {
  return {
    arguments: ["NAME"],
    flags: {},
    run(invocation) {
      const name = invocation.argument(0);
      remove(name);
      writeLine(`${kind} ${name} deleted`);
    },
  };
}

export const deleteCommands: CommandGroup = {
  name: "delete",
  usage: ["delete user|secret|llm|binding NAME_OR_ID"],
  commands: {
    user: removal("user", (name) => removeUser({ ctx: CLI_CONTEXT, input: { name } })),
    secret: removal("secret", (name) => removeSecret({ ctx: CLI_CONTEXT, input: { name } })),
    llm: removal("llm", (name) => removeLlm({ ctx: CLI_CONTEXT, input: { name } })),
    binding: {
      arguments: ["ID"],
      flags: {},
      run(invocation) {
        const id = invocation.argument(0);
        if (!/^\d{1,15}$/.test(id)) throw new UsageError("a binding is deleted by its numeric id (see 'get bindings')", "delete");
        removeBinding({ ctx: CLI_CONTEXT, input: { id: Number(id) } });
        writeLine(`binding ${id} deleted`);
      },
    },
  },
};
