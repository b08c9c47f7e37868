import { eq } from "drizzle-orm";
import { one, run } from "../../db/program";
import type { users } from "../../db/sqlite/schema";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { findUser, toUserView } from "./find";
import { authorizeActOnUser, keepLastAdmin } from "./guard";
import { UpdateUserInput, type UserView } from "./schemas";

export async function updateUser({ ctx, input }: { ctx: Context; input: UpdateUserInput }): Promise<UserView> {
  // Disabling or enabling someone acts on their account; a display name does not.
  if (input.disabled === undefined) authorize(ctx, "edit", "users", input.name);
  else await authorizeActOnUser(ctx, "edit", input.name);
  const parsed = parseInput(UpdateUserInput, input);
  if (parsed.disabled && parsed.name === ctx.principal.userName) throw new ValidationError("you cannot disable yourself", "disabled");
  return ctx.store.change(function* (scope) {
    const { db, t } = scope;
    const user = yield* findUser(scope, parsed.name);
    if (parsed.disabled && !user.disabled) yield* keepLastAdmin(scope, user, "disabled");
    const changes: Partial<typeof users.$inferInsert> = { updatedAt: Date.now() };
    if (parsed.displayName !== undefined) changes.displayName = parsed.displayName;
    if (parsed.disabled !== undefined) changes.disabled = parsed.disabled;
    const updated = yield* one(db.update(t.users).set(changes).where(eq(t.users.id, user.id)).returning());
    // A disabled user loses access at once: drop their sessions with the change.
    if (parsed.disabled) yield* run(db.delete(t.sessions).where(eq(t.sessions.userId, user.id)));
    const event = parsed.disabled === true && !user.disabled ? "user_disabled" : parsed.disabled === false && user.disabled ? "user_enabled" : "user_updated";
    yield* recordInTransaction(scope, { event, principal: ctx.principal, target: `user ${parsed.name}`, clientIp: ctx.clientIp });
    return toUserView(updated!);
  });
}
