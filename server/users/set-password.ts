import { and, eq, ne } from "drizzle-orm";
import { run } from "../../db/program";
import { hashPassword, verifyPassword } from "../auth/passwords";
import { recordInTransaction } from "../audit/record";
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
  if (!own) await authorizeActOnUser(ctx, "edit", input.name);
  const parsed = parseInput(SetPasswordInput, input);
  const user = await ctx.store.read((scope) => findUser(scope, parsed.name));
  if (own && !(await verifyPassword(parsed.currentPassword ?? "", user.passwordHash))) {
    throw new ValidationError("current password is wrong", "currentPassword");
  }
  const passwordHash = await hashPassword(parsed.password);
  await ctx.store.change(function* (scope) {
    const { db, t } = scope;
    yield* run(db.update(t.users).set({ passwordHash, updatedAt: Date.now() }).where(eq(t.users.id, user.id)));
    // Every other session of the user ends; one's own change keeps the session it was made in.
    const kept = own ? ctx.principal.sessionHash : undefined;
    yield* run(db.delete(t.sessions).where(kept ? and(eq(t.sessions.userId, user.id), ne(t.sessions.idHash, kept)) : eq(t.sessions.userId, user.id)));
    yield* recordInTransaction(scope, { event: "user_password_changed", principal: ctx.principal, target: `user ${parsed.name}`, clientIp: ctx.clientIp });
  });
}
