import { and, eq, ne } from "drizzle-orm";
import { sessions, users } from "../../db/schema";
import { hashPassword, verifyPassword } from "../auth/passwords";
import { recordInTransaction } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { ValidationError } from "../errors";
import { parseInput } from "../validation";
import { findUser } from "./find";
import { authorizeActOnUser } from "./guard";
import { SetPasswordInput } from "./schemas";

/**
 * Own password: needs the current one. Anyone else's: `edit:users:{name}` and every permission
 * they hold. Ends their sessions (on one's own change, all but the one in use).
 */
export async function setUserPassword({ ctx, input }: { ctx: Context; input: SetPasswordInput }): Promise<void> {
  const own = input.name === ctx.principal.userName && ctx.principal.via !== "cli";
  if (!own) authorizeActOnUser(ctx, "edit", input.name);
  const parsed = parseInput(SetPasswordInput, input);
  const user = findUser(parsed.name);
  if (own && !(await verifyPassword(parsed.currentPassword ?? "", user.passwordHash))) {
    throw new ValidationError("current password is wrong", "currentPassword");
  }
  const passwordHash = await hashPassword(parsed.password);
  runConfigChange((tx) => {
    tx.update(users).set({ passwordHash, updatedAt: Date.now() }).where(eq(users.id, user.id)).run();
    // Every other session of the user ends; one's own change keeps the session it was made in.
    const kept = own ? ctx.principal.sessionHash : undefined;
    tx.delete(sessions)
      .where(kept ? and(eq(sessions.userId, user.id), ne(sessions.idHash, kept)) : eq(sessions.userId, user.id))
      .run();
    recordInTransaction(tx, { event: "user_password_changed", principal: ctx.principal, target: `user ${parsed.name}`, clientIp: ctx.clientIp });
  });
}
