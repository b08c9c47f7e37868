import { desc, eq } from "drizzle-orm";
import { rows } from "../../db/program";
import type { Context } from "../context";
import { can } from "../rbac/permissions";
import { storedScopes } from "./scopes";
import type { TokenView } from "./schemas";

/** The caller's own tokens and those of users whose tokens they may view. Never a token. */
export async function listTokens({ ctx, input }: { ctx: Context; input?: { user?: string } }): Promise<TokenView[]> {
  const all = await ctx.store.read(({ db, t }) => {
    const query = db
      .select({
        id: t.apiTokens.id,
        user: t.users.name,
        name: t.apiTokens.name,
        prefix: t.apiTokens.prefix,
        expiresAt: t.apiTokens.expiresAt,
        lastUsedAt: t.apiTokens.lastUsedAt,
        revokedAt: t.apiTokens.revokedAt,
        scopes: t.apiTokens.scopes,
        createdAt: t.apiTokens.createdAt,
      })
      .from(t.apiTokens)
      .innerJoin(t.users, eq(t.users.id, t.apiTokens.userId));
    return rows((input?.user ? query.where(eq(t.users.name, input.user)) : query).orderBy(desc(t.apiTokens.id)));
  });
  return all
    .filter((row) => row.user === ctx.principal.userName || can(ctx.principal.bindings, "view", "tokens", row.user))
    .map((row) => ({ ...row, scopes: storedScopes(row.scopes) }));
}
