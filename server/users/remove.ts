import { eq } from "drizzle-orm";
import { run } from "../../db/program";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { ValidationError } from "../errors";
import { parseInput } from "../validation";
import { findUser } from "./find";
import { authorizeActOnUser, keepLastAdmin } from "./guard";
import { UserNameInput } from "./schemas";

/** Deleting a user cascades to their sessions, tokens and bindings. */
export async function removeUser({ ctx, input }: { ctx: Context; input: UserNameInput }): Promise<void> {
  await authorizeActOnUser(ctx, "delete", input.name);
  const parsed = parseInput(UserNameInput, input);
  if (parsed.name === ctx.principal.userName) throw new ValidationError("you cannot delete yourself", "name");
  await ctx.store.change(function* (scope) {
    const user = yield* findUser(scope, parsed.name);
    yield* keepLastAdmin(scope, user, "deleted");
    yield* run(scope.db.delete(scope.t.users).where(eq(scope.t.users.id, user.id)));
    yield* recordInTransaction(scope, { event: "user_deleted", principal: ctx.principal, target: `user ${parsed.name}`, clientIp: ctx.clientIp });
  });
}
