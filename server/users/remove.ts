import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { recordInTransaction } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { ValidationError } from "../errors";
import { parseInput } from "../validation";
import { findUser } from "./find";
import { authorizeActOnUser, keepLastAdmin } from "./guard";
import { UserNameInput } from "./schemas";

/** Deleting a user cascades to their sessions, tokens and bindings. */
export function removeUser({ ctx, input }: { ctx: Context; input: UserNameInput }): void {
  authorizeActOnUser(ctx, "delete", input.name);
  const parsed = parseInput(UserNameInput, input);
  if (parsed.name === ctx.principal.userName) throw new ValidationError("you cannot delete yourself", "name");
  runConfigChange((tx) => {
    const user = findUser(parsed.name, tx);
    keepLastAdmin(tx, user, "deleted");
    tx.delete(users).where(eq(users.id, user.id)).run();
    recordInTransaction(tx, { event: "user_deleted", principal: ctx.principal, target: `user ${parsed.name}`, clientIp: ctx.clientIp });
  });
}
