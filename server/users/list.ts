import { asc } from "drizzle-orm";
import { getDb } from "../../db/client";
import { users } from "../../db/schema";
import type { Context } from "../context";
import { can } from "../rbac/permissions";
import { toUserView } from "./find";
import type { UserView } from "./schemas";

/** Users the caller may view; everyone may view themselves. */
export function listUsers({ ctx }: { ctx: Context }): UserView[] {
  return getDb()
    .select()
    .from(users)
    .orderBy(asc(users.name))
    .all()
    .filter((user) => user.name === ctx.principal.userName || can(ctx.principal.bindings, "view", "users", user.name))
    .map(toUserView);
}
