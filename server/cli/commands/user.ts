import { randomBytes } from "node:crypto";
import { createUser } from "../../users/create";
import { setUserPassword } from "../../users/set-password";
import { updateUser } from "../../users/update";
import type { CommandGroup } from "../args";
import { writeLine } from "../output";
import { firstLine, readStdin } from "../stdin";

export const userCommands: CommandGroup = {
  name: "user",
  usage: [
    "user create NAME [--password-stdin] [--display-name TEXT]",
    "user set-password NAME [--password-stdin]   # without --password-stdin a new one is generated and printed",
    "user disable NAME",
    "user enable NAME",
  ],
  commands: {
    create: {
      arguments: ["NAME"],
      flags: { "password-stdin": "switch", "display-name": "text" },
      async run(invocation, ctx) {
        const fromStdin = invocation.has("password-stdin");
        const password = fromStdin ? firstLine(await readStdin()) : randomBytes(18).toString("base64url");
        const input = { name: invocation.argument(0), displayName: invocation.text("display-name"), password };
        const user = await await createUser({ ctx, input });
        writeLine(`user ${user.name} created`);
        // Shown once, like the initial admin password; only its hash is stored.
        if (!fromStdin) writeLine(`Password: ${password}`);
      },
    },
    "set-password": {
      arguments: ["NAME"],
      flags: { "password-stdin": "switch" },
      async run(invocation, ctx) {
        const fromStdin = invocation.has("password-stdin");
        const password = fromStdin ? firstLine(await readStdin()) : randomBytes(18).toString("base64url");
        const name = invocation.argument(0);
        await await setUserPassword({ ctx, input: { name, password } });
        writeLine(`password of user ${name} set; their sessions are ended`);
        if (!fromStdin) writeLine(`Password: ${password}`);
      },
    },
    disable: {
      arguments: ["NAME"],
      flags: {},
      async run(invocation, ctx) {
        const user = await updateUser({ ctx, input: { name: invocation.argument(0), disabled: true } });
        writeLine(`user ${user.name} disabled`);
      },
    },
    enable: {
      arguments: ["NAME"],
      flags: {},
      async run(invocation, ctx) {
        const user = await updateUser({ ctx, input: { name: invocation.argument(0), disabled: false } });
        writeLine(`user ${user.name} enabled`);
      },
    },
  },
};
