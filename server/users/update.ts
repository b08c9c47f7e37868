import { eq } from "drizzle-orm";
import { sessions, users } from "../../db/schema";
import { recordInTransaction } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { findUser, toUserView } from "./find";
import { authorizeActOnUser, keepLastAdmin } from "./guard";
import { UpdateUserInput, type UserView } from "./schemas";

export function updateUser({ ctx, input }: { ctx: Context; input: UpdateUserInput }): UserView {
  // Disabling or enabling someone acts on their account; a display name does not.
  if (input.disabled === undefined) authorize(ctx, "edit", "users", input.name);
  else authorizeActOnUser(ctx, "edit", input.name);
  const parsed = parseInput(UpdateUserInput, input);
  if (parsed.disabled && parsed.name === ctx.principal.userName) throw new ValidationError("you cannot disable yourself", "disabled");
  return runConfigChange((tx) => {
    const user = findUser(parsed.name, tx);
    if (parsed.disabled && !user.disabled) keepLastAdmin(tx, user, "disabled");
    const changes: Partial<typeof users.$inferInsert> = { updatedAt: Date.now() };
    if (parsed.displayName !== undefined) changes.displayName = parsed.displayName;
    if (parsed.disabled !== undefined) changes.disabled = parsed.disabled;
    const updated = tx.update(users).set(changes).where(eq(users.id, user.id)).returning().get();
    // A disabled user loses access at once: drop their sessions with the change.
    if (parsed.disabled) tx.delete(sessions).where(eq(sessions.userId, user.id)).run();
    const event = parsed.disabled === true && !user.disabled ? "user_disabled" : parsed.disabled === false && user.disabled ? "user_enabled" : "user_updated";
    recordInTransaction(tx, { event, principal: ctx.principal, target: `user ${parsed.name}`, clientIp: ctx.clientIp });
    return toUserView(updated);
  });
}
