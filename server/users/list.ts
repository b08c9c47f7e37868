import { asc } from "drizzle-orm";
import { rows } from "../../db/program";
import type { Context } from "../context";
import { can } from "../rbac/permissions";
import { toUserView } from "./find";
import type { UserView } from "./schemas";

/** Users the caller may view; everyone may view themselves. */
export async function listUsers({ ctx }: { ctx: Context }): Promise<UserView[]> {
  const all = await ctx.store.read(({ db, t }) => rows(db.select().from(t.users).orderBy(asc(t.users.name))));
  return all.filter((user) => user.name === ctx.principal.userName || can(ctx.principal.bindings, "view", "users", user.name)).map(toUserView);
}
