import { desc, eq } from "drizzle-orm";
import { getDb } from "../../db/client";
import { apiTokens, users } from "../../db/schema";
import type { Context } from "../context";
import { can } from "../rbac/permissions";
import { storedScopes } from "./scopes";
import type { TokenView } from "./schemas";

/** The caller's own tokens and those of users whose tokens they may view. Never a token. */
export function listTokens({ ctx, input }: { ctx: Context; input?: { user?: string } }): TokenView[] {
  const query = getDb()
    .select({
      id: apiTokens.id,
      user: users.name,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      scopes: apiTokens.scopes,
      createdAt: apiTokens.createdAt,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId));
  const rows = (input?.user ? query.where(eq(users.name, input.user)) : query).orderBy(desc(apiTokens.id)).all();
  return rows
    .filter((row) => row.user === ctx.principal.userName || can(ctx.principal.bindings, "view", "tokens", row.user))
    .map((row) => ({ ...row, scopes: storedScopes(row.scopes) }));
}
