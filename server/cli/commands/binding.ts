import { createBinding } from "../../bindings/create";
import type { CreateBindingInput } from "../../bindings/schemas";
import type { CommandGroup } from "../args";
import { writeLine } from "../output";

export const bindingCommands: CommandGroup = {
  name: "binding",
  usage: ["binding create --user U --role view|edit|run|admin --resource R|* [--name N]"],
  commands: {
    create: {
      arguments: [],
      flags: { user: "text", role: "text", resource: "text", name: "text" },
      requiredFlags: ["user", "role", "resource"],
      async run(invocation, ctx) {
        // Role and resource are checked by the verb against the RBAC lists.
        const input = {
          user: invocation.text("user")!,
          role: invocation.text("role") as CreateBindingInput["role"],
          resource: invocation.text("resource") as CreateBindingInput["resource"],
          name: invocation.text("name"),
        };
        const binding = await createBinding({ ctx, input });
        const scope = binding.name ? `${binding.resource}:${binding.name}` : binding.resource;
        writeLine(`binding ${binding.id} created: ${binding.user} ${binding.role} on ${scope}`);
      },
    },
  },
};
