import { one } from "../../db/program";
import { recordInTransaction, recordSoon } from "../audit/record";
import { generateApiToken, sha256Hex, tokenPrefix } from "../auth/tokens";
import { getDirectory } from "../auth/directory";
import type { Context } from "../context";
import { AppError } from "../errors";
import { authorize } from "../rbac/authorize";
import { holdsEverything } from "../rbac/permissions";
import { findUser } from "../users/find";
import { parseInput } from "../validation";
import { CreateTokenInput, type TokenView } from "./schemas";
import { scopesForNewToken, storedScopes } from "./scopes";

/**
 * Everyone may create their own tokens. A token for someone else carries their permissions, so
 * minting one needs `create:tokens:{user}` and every permission that user holds.
 */
export async function createToken({ ctx, input }: { ctx: Context; input: CreateTokenInput }): Promise<TokenView & { token: string }> {
  const own = input.user === ctx.principal.userName;
  if (!own) authorize(ctx, "create", "tokens", input.user);
  const parsed = parseInput(CreateTokenInput, input);
  const user = await ctx.store.read((scope) => findUser(scope, parsed.user));
  const directory = await getDirectory(ctx.store);
  if (!own) {
    const target = directory.usersById.get(user.id);
    if (!holdsEverything(ctx.principal.bindings, target?.bindings ?? [])) {
      recordSoon(ctx.store, { event: "permission_denied", principal: ctx.principal, target: `token for ${user.name}`, clientIp: ctx.clientIp });
      throw new AppError("forbidden", `cannot create a token for '${user.name}': it would carry permissions you do not hold`);
    }
  }
  const token = generateApiToken();
  const now = Date.now();
  const scopes = scopesForNewToken(parsed.scopes, ctx.principal, directory);
  // A token minted through the API with another token ends when that one does: at its expiry at
  // the latest, and when it is revoked (the directory drops tokens whose parent is gone).
  const parent = ctx.principal.tokenSha ? directory.tokensBySha.get(ctx.principal.tokenSha) : undefined;
  const requestedExpiry = parsed.expiresInSeconds ? now + parsed.expiresInSeconds * 1000 : null;
  const expiresAt = parent?.expiresAt != null && (requestedExpiry === null || requestedExpiry > parent.expiresAt) ? parent.expiresAt : requestedExpiry;
  const row = await ctx.store.change(function* (scope) {
    const { db, t } = scope;
    const inserted = (yield* one(
      db
        .insert(t.apiTokens)
        .values({
          userId: user.id,
          name: parsed.name,
          sha256: sha256Hex(token),
          prefix: tokenPrefix(token),
          expiresAt,
          scopes: scopes === null ? null : JSON.stringify(scopes),
          parentTokenId: parent?.id ?? null,
          createdAt: now,
        })
        .returning(),
    ))!;
    yield* recordInTransaction(scope, {
      event: "token_created",
      principal: ctx.principal,
      target: `token ${inserted.prefix} for ${user.name}`,
      clientIp: ctx.clientIp,
    });
    return inserted;
  });
  return {
    id: row.id,
    user: user.name,
    name: row.name,
    prefix: row.prefix,
    expiresAt: row.expiresAt,
    lastUsedAt: null,
    revokedAt: null,
    scopes: storedScopes(row.scopes),
    createdAt: row.createdAt,
    token,
  };
}
