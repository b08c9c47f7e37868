import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { recordInTransaction } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { findUser } from "./find";
import { UserNameInput } from "./schemas";

/** Deleting a user cascades to their sessions, tokens and bindings. */
export function removeUser({ ctx, input }: { ctx: Context; input: UserNameInput }): void {
  authorize(ctx, "delete", "users", input.name);
  const parsed = parseInput(UserNameInput, input);
  if (parsed.name === ctx.principal.userName) throw new ValidationError("you cannot delete yourself", "name");
  runConfigChange((tx) => {
    const user = findUser(parsed.name, tx);
    tx.delete(users).where(eq(users.id, user.id)).run();
    recordInTransaction(tx, { event: "user_deleted", principal: ctx.principal, target: `user ${parsed.name}`, clientIp: ctx.clientIp });
  });
}
